package workshop.orders.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Set;
import workshop.orders.Wiring;
import workshop.orders.auth.permissions.WhoAmI;
import workshop.orders.auth.pertool.FeatureGuard;
import workshop.orders.auth.pertool.FeaturePermissions;
import workshop.orders.auth.pertool.OrderOwnership;
import workshop.orders.auth.resourceserver.ProtectedResource;
import workshop.orders.auth.resourceserver.ResourceServerFilter;
import workshop.orders.demo.DemoClock;
import workshop.orders.server.Layers;
import workshop.orders.server.Orders;
import workshop.orders.server.OrdersServer;

/**
 * The orders desk behind the real {@link ResourceServerFilter}, the guard and the ownership rule, as
 * {@code Wiring.layers} builds them, but with a {@link TestVerifier} instead of the JWKS verification: the tests of
 * 05.2, 05.4 and 05.5 need no authorization server and no finished 05.3. The metadata endpoint (05.1) is not on it.
 * One per test class.
 */
public final class LayerServer implements AutoCloseable {

    /** An issuer nobody asks: the test verifier fetches no keys. */
    private static final URI ISSUER = URI.create("http://127.0.0.1:1");

    public final DemoClock clock;
    public final TestVerifier tokens = new TestVerifier();
    public final Orders orders = Orders.seeded();
    public final OrdersServer server;
    public final URI mcp;
    /** The URL every challenge must name in resource_metadata. */
    public final String metadataUrl;

    private LayerServer(DemoClock clock) throws Exception {
        this.clock = clock;
        OrderOwnership ownership = new OrderOwnership(orders);
        FeaturePermissions table = FeaturePermissions.orders();
        server = OrdersServer.start("127.0.0.1", 0, orders, Set.of(), endpoint -> Layers.NONE
                .filter(new ResourceServerFilter(new ProtectedResource(endpoint, ISSUER, Wiring.SCOPES), tokens, table,
                        ownership, clock))
                .context(OrderOwnership::transportContext)
                .tool(WhoAmI.tool())
                .features(new FeatureGuard(table, ownership)));
        mcp = server.endpoint();
        metadataUrl = mcp.resolve("/.well-known/oauth-protected-resource/mcp").toString();
    }

    /** On a clock that follows the system's. */
    public static LayerServer start() throws Exception {
        return new LayerServer(DemoClock.followingSystem());
    }

    /** On a clock that stands still until a test moves it: for the boundaries of the recent-login rule. */
    public static LayerServer startStopped() throws Exception {
        return new LayerServer(new DemoClock(Instant.now().truncatedTo(ChronoUnit.SECONDS)));
    }

    /** A token of a user who logged in just now, with these scopes. */
    public String fresh(String subject, String... scopes) {
        return tokens.token(subject, clock.instant(), scopes);
    }

    /** A token of a user who logged in {@code ago} before now, with these scopes. */
    public String loggedIn(Duration ago, String subject, String... scopes) {
        return tokens.token(subject, clock.instant().minus(ago), scopes);
    }

    /** Opens an MCP session with this token and returns its id. */
    public String open(String token) throws Exception {
        HttpResponse<String> opened = RawHttp.initialize(mcp, "Authorization", "Bearer " + token);
        assertThat(opened.statusCode()).as("initialize with a good token: " + opened.body()).isEqualTo(200);
        String session = opened.headers().firstValue("Mcp-Session-Id").orElseThrow();
        RawHttp.post(mcp, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}", "Authorization",
                "Bearer " + token, "Mcp-Session-Id", session);
        return session;
    }

    /** A JSON-RPC request in the session, with the token. */
    public HttpResponse<String> call(String token, String session, String method, String params) throws Exception {
        return RawHttp.post(mcp, "{\"jsonrpc\":\"2.0\",\"id\":9,\"method\":\"" + method + "\",\"params\":" + params
                + "}", "Authorization", "Bearer " + token, "Mcp-Session-Id", session);
    }

    /** A tools/call of {@code cancel_order} for the order id. */
    public HttpResponse<String> cancel(String token, String session, int id) throws Exception {
        return call(token, session, "tools/call", "{\"name\":\"cancel_order\",\"arguments\":{\"id\":" + id + "}}");
    }

    /** A tools/call of {@code place_order}: two of the product. */
    public HttpResponse<String> place(String token, String session, String product) throws Exception {
        return call(token, session, "tools/call", "{\"name\":\"place_order\",\"arguments\":{\"product\":\""
                + product + "\",\"quantity\":2}}");
    }

    /** The id of the order a successful {@code place_order} answer names. */
    public static int placedId(HttpResponse<String> placed) {
        assertThat(placed.body()).as("an order is placed").contains("Placed #");
        return Integer.parseInt(placed.body().replaceAll("(?s).*Placed #(\\d+) .*", "$1"));
    }

    /** True while the order is open, asked of the desk itself. */
    public boolean isOpen(int id) {
        return orders.placedBy(id).isPresent();
    }

    @Override
    public void close() throws Exception {
        server.close();
    }
}
