package workshop.catalog.client;

import io.modelcontextprotocol.client.transport.HttpRequestSnapshot;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import workshop.catalog.client.AuthorizationCodeFlow.FlowException;
import workshop.catalog.client.AuthorizationCodeFlow.Granted;
import workshop.catalog.client.AuthorizationCodeFlow.ResourceMetadata;
import workshop.catalog.client.AuthorizationCodeFlow.ServerMetadata;

/**
 * What the catalog client does about authorization (MCP authorization, 2025-11-25, and what 2026-07-28 adds),
 * plugged into the SDK's two hooks of {@code HttpClientStreamableHttpTransport}: {@link #addToken} is the request
 * customizer, which puts the current access token on every HTTP request; {@link #onRefused} is the authorization
 * error handler, which the SDK calls on a 401 or a 403 and whose {@code true} makes it send the refused request
 * again, once.
 *
 * <ol>
 *   <li>401: the Protected Resource Metadata (RFC 9728), at the challenge's {@code resource_metadata}, else at
 *       the well-known places ({@link Discovery}); read again at every 401, as the resource may have moved to
 *       another authorization server;</li>
 *   <li>its {@code resource} must be the endpoint the client connects to, else the client stops;</li>
 *   <li>its {@code authorization_servers} names the issuer, whose metadata names the endpoints and must name
 *       that issuer; without resource metadata, the 2025-03-26 fallbacks (the MCP server's origin);</li>
 *   <li>the client at that issuer ({@link Registrations}): configured, a Client ID Metadata Document, or
 *       registered (RFC 7591);</li>
 *   <li>the user logs in through the {@link UserAgent} (authorization code, PKCE S256, {@code resource}, the
 *       challenge's {@code scope}, else the metadata's {@code scopes_supported}, else none); the answer's
 *       {@code iss} is checked (RFC 9207); the code is redeemed for a token; the request is sent again with it;</li>
 *   <li>403 {@code insufficient_scope}: log in again, once, asking for the scopes held plus the challenge's; if
 *       the new token has what the call needs, send the request again, else stop with one line.</li>
 * </ol>
 * Nothing here prints a token: {@code shown} gets what a reader may see (URLs, scopes, the client_id). The two
 * hooks need no SDK client: any HTTP exchange can call them (the conformance harness does, for the 2026-07-28
 * lifecycle, which the SDK's client does not speak yet).
 */
public final class McpAuthorization {

    private final URI endpoint;
    private final UserAgent user;
    private final Registrations registrations;
    private final BiConsumer<String, String> shown;
    private ServerMetadata server;          // after discovery
    private URI resource;                   // the resource metadata's resource: what tokens are asked for
    private Set<String> supported = Set.of(); // the resource metadata's scopes_supported
    private RegisteredClient client;        // this client at the server
    private Granted token;                  // the current access token, or null
    private final Set<String> askedFor = new TreeSet<>();

    public McpAuthorization(URI endpoint, UserAgent user, Registrations registrations,
            BiConsumer<String, String> shown) {
        this.endpoint = endpoint;
        this.user = user;
        this.registrations = registrations;
        this.shown = shown;
    }

    /** The request customizer: the current access token, if there is one yet. */
    public synchronized void addToken(HttpRequest.Builder request) {
        if (token != null) {
            request.setHeader("Authorization", "Bearer " + token.accessToken());
        }
    }

    /** The scopes the current token was granted (empty before the first login). */
    public synchronized Set<String> granted() {
        return token == null ? Set.of() : token.scopes();
    }

    /** The authorization error handler: true to send the refused request again with the new token. */
    public synchronized boolean onRefused(HttpRequestSnapshot request, HttpResponse.ResponseInfo response) {
        String header = response.headers().firstValue("WWW-Authenticate").orElse("");
        Map<String, String> challenge = AuthorizationCodeFlow.parameters(header);
        Optional<String> sent = request.headers().firstValue("Authorization");
        if (token != null && !sent.equals(Optional.of("Bearer " + token.accessToken()))) {
            return true; // another request got a newer token meanwhile: send this one again with it
        }
        String holding = sent.isEmpty() ? "no token" : user.who() + "'s token: " + String.join(" ", granted());
        shown.accept(request.method() + " " + request.requestUri().getPath() + " (" + holding + ")",
                response.statusCode() + ", WWW-Authenticate: " + header);
        Set<String> wanted = new TreeSet<>(scopes(challenge.get("scope")));
        if (response.statusCode() == 401) {
            URI issuerBefore = server == null ? null : server.issuer();
            discover(challenge.get("resource_metadata"));
            if (token != null && token.refreshToken() != null && server.issuer().equals(issuerBefore)
                    && refreshed()) {
                return true;
            }
            wanted.addAll(granted());
            logIn(wanted.isEmpty() ? supported : wanted); // no scope in the challenge: all the resource lists
            return true;
        }
        if (response.statusCode() == 403 && "insufficient_scope".equals(challenge.get("error"))) {
            Set<String> needed = Set.copyOf(wanted);
            wanted.addAll(granted());
            if (!askedFor.containsAll(wanted)) { // once: what was asked for and cut stays cut
                logIn(wanted);
            }
            if (!granted().containsAll(needed)) {
                Set<String> missing = new TreeSet<>(needed);
                missing.removeAll(granted());
                throw new FlowException("step-up refused: asked for " + String.join(" ", wanted)
                        + ", the authorization server granted " + user.who() + " only " + String.join(" ", granted())
                        + " (" + user.who() + " may not have " + String.join(" ", missing) + ")");
            }
            return true;
        }
        return false;
    }

    /** Steps 1 to 4: from the challenge to this client at the authorization server. */
    private void discover(String resourceMetadata) {
        Optional<ResourceMetadata> found = AuthorizationCodeFlow.resourceMetadata(endpoint, resourceMetadata);
        ServerMetadata discovered;
        if (found.isPresent()) {
            ResourceMetadata metadata = found.get();
            shown.accept("GET " + metadata.metadataUrl() + " (RFC 9728)", "resource " + metadata.resource()
                    + (metadata.resource().equals(endpoint) ? " (the endpoint: checked)" : " (its origin: checked)")
                    + ", authorization_servers [" + metadata.authorizationServer()
                    + "], scopes_supported " + metadata.scopes());
            resource = metadata.resource();
            supported = new TreeSet<>(metadata.scopes());
            discovered = AuthorizationCodeFlow.serverMetadata(metadata.authorizationServer());
        } else {
            shown.accept("GET /.well-known/oauth-protected-resource (RFC 9728)",
                    "none: the MCP 2025-03-26 rules, the authorization server at " + Discovery.origin(endpoint));
            resource = endpoint;
            supported = Set.of();
            discovered = AuthorizationCodeFlow.legacyServerMetadata(endpoint);
        }
        if (server == null || !server.equals(discovered)) {
            shown.accept("GET " + (discovered.metadataUrl() == null ? "(no metadata: the default endpoints)"
                    : discovered.metadataUrl() + " (RFC 8414)"), "authorization_endpoint "
                    + discovered.authorization() + ", token_endpoint " + discovered.token()
                    + ", registration_endpoint " + discovered.registration());
        }
        server = discovered;
        client = registrations.at(server, shown);
    }

    /**
     * The token was refused (expired, revoked) and the authorization server is the same: a new one from the refresh
     * token, without the user. False when that is refused too: then the user logs in again.
     */
    private boolean refreshed() {
        try {
            token = AuthorizationCodeFlow.refresh(server, client, token.refreshToken(), resource);
            shown.accept("POST " + server.token().getPath() + " (grant_type refresh_token, resource " + resource
                    + ")", "200: a new access token with the scope " + String.join(" ", token.scopes()));
            return true;
        } catch (FlowException refused) {
            shown.accept("POST " + server.token().getPath() + " (grant_type refresh_token)", refused.getMessage());
            return false;
        }
    }

    /**
     * Step 5 (and 6): the user logs in through the user agent; the new token replaces the old one. Where the
     * authorization server lists {@code offline_access}, the client asks for it too, to refresh without the user.
     */
    private void logIn(Set<String> asked) {
        Set<String> scopes = new TreeSet<>(asked);
        if (server.scopes().contains(AuthorizationCodeFlow.OFFLINE_ACCESS)) {
            scopes.add(AuthorizationCodeFlow.OFFLINE_ACCESS);
        }
        String scope = String.join(" ", scopes);
        String who = user.who() + (token == null ? " logs in" : " authorizes again");
        askedFor.addAll(scopes);
        token = AuthorizationCodeFlow.authorize(server, client, resource, scope, user);
        shown.accept(who + ": GET " + server.authorization().getPath() + " (scope "
                + (scope.isEmpty() ? "omitted" : scope) + ", PKCE S256, resource " + resource + "), POST "
                + server.token().getPath(), "200: an access token for " + resource + " with the scope "
                + String.join(" ", token.scopes()));
    }

    private static Set<String> scopes(String scope) {
        return scope == null || scope.isBlank() ? Set.of() : new TreeSet<>(Arrays.asList(scope.strip().split(" +")));
    }
}
