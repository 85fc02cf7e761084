package workshop.catalog;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import workshop.catalog.auth.permissions.Caller;
import workshop.catalog.auth.permissions.WhoAmI;
import workshop.catalog.auth.pertool.FeaturePermissions;
import workshop.catalog.auth.resourceserver.AccessTokenVerifier;
import workshop.catalog.auth.resourceserver.IssuerKeys;
import workshop.catalog.auth.resourceserver.ProtectedResource;
import workshop.catalog.auth.resourceserver.ResourceMetadataServlet;
import workshop.catalog.auth.resourceserver.ResourceServerFilter;
import workshop.catalog.auth.resourceserver.ToolsWithTheirScopes;
import workshop.catalog.server.Layers;

/**
 * Step 05's security, built in one place: {@link Main}, the demo and the tests all take the layers of their server
 * from here. The MCP server trusts one authorization server (its issuer) and knows no user and no password.
 *
 * @param issuer      the authorization server's issuer, exactly as its tokens carry it in {@code iss}
 * @param keys        the authorization server's signing keys, fetched from its JWKS
 * @param permissions the per-feature table of step 04, in scopes
 * @param clock       the time the tokens are checked against
 */
public record Wiring(URI issuer, IssuerKeys keys, FeaturePermissions permissions, Clock clock) {

    /** The scopes of the catalog, as the metadata lists them. */
    public static final List<String> SCOPES = List.of("catalog.read", "catalog.write", "catalog.delete");

    /** The parts for an authorization server with this issuer, on the given clock. */
    public static Wiring create(URI issuer, Clock clock) {
        IssuerKeys keys = new IssuerKeys(issuer, clock, HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(5)).followRedirects(HttpClient.Redirect.NEVER).build());
        return new Wiring(issuer, keys, FeaturePermissions.catalog(), clock);
    }

    /**
     * The layers of step 05 for the server listening at {@code endpoint} (its canonical URL): a valid access token of
     * the authorization server on every {@code /mcp} request, and the scope its call needs (403 otherwise); the
     * metadata that names the authorization server; the verified caller handed on to the tools, and {@code whoami} to
     * show it; every tool, resource and prompt behind the table, and every tool listed with the scopes it needs.
     */
    public Layers layers(URI endpoint) {
        ProtectedResource resource = new ProtectedResource(endpoint, issuer, SCOPES);
        AccessTokenVerifier verifier = new AccessTokenVerifier(resource, keys, clock);
        return Layers.NONE
                .filter(new ResourceServerFilter(resource, verifier, permissions, SCOPES.get(0)))
                .endpoint(ResourceMetadataServlet.PATH, new ResourceMetadataServlet(resource))
                .context(Caller::transportContext)
                .tool(WhoAmI.tool())
                .features(new ToolsWithTheirScopes(permissions));
    }
}
