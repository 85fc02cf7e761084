/**
 * Step 05: the MCP server as an OAuth 2.1 resource server (MCP authorization, 2025-11-25). It issues no tokens and
 * checks no passwords: an authorization server does (here the stand-in of {@code workshop.orders.authserver}).
 * {@link workshop.orders.auth.resourceserver.ResourceMetadataServlet} publishes RFC 9728 metadata that names it;
 * {@link workshop.orders.auth.resourceserver.ResourceServerFilter} answers every request without a good token with
 * a 401 pointing there, a call needing a scope the token lacks with 403 {@code insufficient_scope}, and a
 * {@code cancel_order} whose login is not recent ({@link workshop.orders.auth.resourceserver.RecentLogin}, the orders
 * desk's rule of its own, RFC 9470) with 401 {@code insufficient_user_authentication};
 * {@link workshop.orders.auth.resourceserver.AccessTokenVerifier}, the filter's
 * {@link workshop.orders.auth.resourceserver.TokenVerifier}, checks the RS256 tokens against the keys
 * {@link workshop.orders.auth.resourceserver.IssuerKeys} fetches from the authorization server's JWKS;
 * {@link workshop.orders.auth.resourceserver.ProtectedResource} is the server's canonical URL and issuer;
 * {@link workshop.orders.auth.resourceserver.SessionOwners} keeps each MCP session to the token's subject, as
 * in step 02. The rules: the exercise README, "Tasks" and "The rule of its own".
 */
package workshop.orders.auth.resourceserver;
