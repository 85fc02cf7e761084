/**
 * Hardening that every step of the workshop has, from step 01 on, byte for byte the same in every module: it is
 * not a lesson of its own, and no step changes it. 01-basic-auth/README.md ("The hardening around every step")
 * says what each piece stops; docs/design.md#status-codes lists the answers.
 * <ul>
 * <li>{@link workshop.orders.http.OriginFilter}: a request a web page of another site makes the browser send
 * (DNS rebinding) gets 403 before any credential is looked at;</li>
 * <li>{@link workshop.orders.http.CorsFilter}: a page on this machine (an MCP client in a browser tab) gets its
 * preflight answered and may read the answers of {@code /mcp}, the challenge of a 401 included; no other page;</li>
 * <li>{@link workshop.orders.http.MethodFilter}: only GET, POST and DELETE reach the MCP servlet (TRACE would
 * echo the {@code Authorization} header back);</li>
 * <li>{@link workshop.orders.http.ProtocolVersionFilter}: an {@code MCP-Protocol-Version} the server does not speak
 * gets 400, as the transport asks;</li>
 * <li>{@link workshop.orders.http.InvalidParamsFilter}: params that do not fit their method get -32602, where the
 * SDK would end the exchange with an empty answer; {@link workshop.orders.http.ReplayedBody} puts the body it read
 * back for the servlet;</li>
 * <li>{@link workshop.orders.http.Sdk500To400Filter}: a message only the client could get wrong is a 400, not
 * the SDK's 500;</li>
 * <li>{@link workshop.orders.http.SafeErrorJsonMapper}: no stack trace in an MCP error (java-sdk issue 955);</li>
 * <li>{@link workshop.orders.http.JsonErrorHandler} and {@link workshop.orders.http.HttpErrors}: every error
 * is the same small JSON body, with the {@code WWW-Authenticate} challenge where one belongs, which only
 * {@link workshop.orders.http.BearerChallenge} builds: realm first, every value escaped.</li>
 * </ul>
 * Each class that works around the SDK names, in one line of its Javadoc, the SDK behaviour it exists for; each was
 * checked again on SDK 2.2.0 by a test that fails without it. (SDK 2.2.0 sends a GET event stream's headers at once,
 * so the filter that used to do it is gone.)
 * <p>
 * Why {@code OriginFilter} and not the SDK's {@code DefaultServerTransportSecurityValidator}: the SDK runs its
 * validator inside the MCP servlet, so it would come after the auth filters (a rebound request would be told
 * 401, not refused) and would not guard the login endpoints of step 02 at all; it compares the raw header text
 * (so {@code localhost} and {@code LOCALHOST}, or the forms of an IPv6 address, differ), reads only the first of
 * several {@code Origin} headers, and answers with Jetty's error page and 421 for a bad {@code Host}, where this
 * workshop answers every refusal with a JSON 403.
 */
package workshop.orders.http;
