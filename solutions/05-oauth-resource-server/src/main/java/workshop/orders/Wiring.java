package workshop.orders;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import workshop.orders.auth.permissions.WhoAmI;
import workshop.orders.auth.pertool.FeatureGuard;
import workshop.orders.auth.pertool.FeaturePermissions;
import workshop.orders.auth.pertool.OrderOwnership;
import workshop.orders.auth.resourceserver.AccessTokenVerifier;
import workshop.orders.auth.resourceserver.IssuerKeys;
import workshop.orders.auth.resourceserver.ProtectedResource;
import workshop.orders.auth.resourceserver.ResourceMetadataServlet;
import workshop.orders.auth.resourceserver.ResourceServerFilter;
import workshop.orders.server.Layers;
import workshop.orders.server.Orders;

/**
 * Step 05's security, built in one place: {@link Main}, the demo and the tests all take the layers of their server
 * from here. The orders desk trusts one authorization server (its issuer) and knows no user and no password.
 *
 * @param issuer      the authorization server's issuer, exactly as its tokens carry it in {@code iss}
 * @param keys        the authorization server's signing keys, fetched from its JWKS
 * @param permissions the per-feature table of step 04, in scopes
 * @param clock       the time the tokens are checked against
 */
public record Wiring(URI issuer, IssuerKeys keys, FeaturePermissions permissions, Clock clock) {

    /** The scopes of the orders desk, as the metadata lists them; the first is what a client needs to start. */
    public static final List<String> SCOPES = List.of("orders.read", "orders.write", "orders.cancel");

    /** The parts for an authorization server with this issuer, on the given clock. */
    public static Wiring create(URI issuer, Clock clock) {
        IssuerKeys keys = new IssuerKeys(issuer, clock, HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(5)).followRedirects(HttpClient.Redirect.NEVER).build());
        return new Wiring(issuer, keys, FeaturePermissions.orders(), clock);
    }

    /**
     * The layers of step 05 for a server of these orders listening at {@code endpoint} (its canonical URL): a valid
     * access token of the authorization server on every {@code /mcp} request, the scope its call needs (403 otherwise)
     * and, to cancel, a recent login (401 otherwise); the metadata that names the authorization server; the verified
     * caller handed on to the tools (and to the desk as who places an order), and {@code whoami} to show it; every
     * tool, resource and prompt behind the table, and {@code cancel_order} also open to the user who placed the order.
     */
    public Layers layers(Orders orders, URI endpoint) {
        ProtectedResource resource = new ProtectedResource(endpoint, issuer, SCOPES);
        AccessTokenVerifier verifier = new AccessTokenVerifier(resource, keys, clock);
        OrderOwnership ownership = new OrderOwnership(orders);
        return Layers.NONE
                .filter(new ResourceServerFilter(resource, verifier, permissions, ownership, clock))
                .endpoint(ResourceMetadataServlet.PATH, new ResourceMetadataServlet(resource))
                .context(OrderOwnership::transportContext)
                .tool(WhoAmI.tool())
                .features(new FeatureGuard(permissions, ownership));
    }
}
