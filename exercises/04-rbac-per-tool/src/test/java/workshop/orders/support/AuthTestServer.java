package workshop.orders.support;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.TypeRef;
import jakarta.servlet.Filter;
import java.net.URI;
import java.net.http.HttpResponse;
import java.security.KeyPair;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import workshop.orders.Wiring;
import workshop.orders.auth.jwt.JwtAuthFilter;
import workshop.orders.auth.jwt.RefreshTokens;
import workshop.orders.auth.jwt.TokenService;
import workshop.orders.auth.permissions.PermissionFilter;
import workshop.orders.auth.pertool.FeatureGuard;
import workshop.orders.auth.pertool.FeaturePermissions;
import workshop.orders.auth.pertool.OrderOwnership;
import workshop.orders.client.OrdersClient;
import workshop.orders.demo.DemoClock;
import workshop.orders.server.FeatureGate;
import workshop.orders.server.Layers;
import workshop.orders.server.Orders;
import workshop.orders.server.OrdersServer;

/**
 * The step's server as the tests need it: the given filters in front of /mcp and the login endpoints,
 * users with known passwords, and a clock the test moves instead of waiting. {@link #start()} has the
 * JWT filter alone; {@link #withPermissionFilter()} adds exercise 03's PermissionFilter (User.Read);
 * {@link #withEndpointFilter()} adds the PermissionFilter built without a permission (task 04.5);
 * {@link #guardedBy(FeaturePermissions)} has the JWT filter alone and a FeatureGuard over the given table, so the
 * guard (04.2 to 04.4) is graded whatever state 04.1 and 04.5 are in; {@link #ownedBy(FeaturePermissions)} adds the
 * ownership rule over the server's orders (04.6); {@link #full()} has exactly the layers Main and the demo use.
 */
public final class AuthTestServer implements AutoCloseable {

    /** The server's ES256 key pair: the tests sign good tokens with its private key, as the server does. */
    public final KeyPair keys = TestTokens.newKeyPair();
    public final DemoClock clock = new DemoClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    public final TestUsers users;
    public final TokenService tokens;
    /** The store behind /auth/*: a test can issue a refresh token without logging in. */
    public final RefreshTokens refreshTokens;
    /** The server's orders, seeded: #1 placed by alice, #2 by bob, #3 by carol. */
    public final Orders orders = Orders.seeded();
    public final OrdersServer server;
    public final URI mcp;

    /** Which filters the server puts in front of /mcp. */
    private enum Stack { JWT, PERMISSION, ENDPOINT, FULL }

    private AuthTestServer(Stack stack, Function<Orders, FeatureGate> gate) throws Exception {
        users = new TestUsers();
        Wiring wiring = Wiring.create(keys, clock, users.directory);
        tokens = wiring.tokens();
        refreshTokens = wiring.refreshTokens();
        Layers full = wiring.layers(orders);
        List<Filter> filters = switch (stack) {
            case JWT -> List.of(new JwtAuthFilter(tokens));
            case PERMISSION -> List.of(new JwtAuthFilter(tokens), new PermissionFilter(users.directory, "User.Read"));
            case ENDPOINT -> List.of(new JwtAuthFilter(tokens), new PermissionFilter(users.directory));
            case FULL -> full.mcpFilters();
        };
        // The filters and the gate differ; the login endpoints, the caller's way to the tools and whoami are the
        // step's, from Wiring.
        FeatureGate features = gate == null ? full.features() : gate.apply(orders);
        server = OrdersServer.start("127.0.0.1", 0, orders, Set.of(),
                new Layers(filters, full.endpoints(), full.context(), full.tools(), features));
        mcp = server.endpoint();
    }

    /** The private key as base64 text: what it would look like if it leaked into an answer or a log. */
    public String privateKeyText() {
        return Base64.getEncoder().encodeToString(keys.getPrivate().getEncoded());
    }

    /** The JWT filter alone in front of /mcp. */
    public static AuthTestServer start() throws Exception {
        return new AuthTestServer(Stack.JWT, orders -> FeatureGate.OPEN);
    }

    /** The JWT filter and the PermissionFilter requiring User.Read (exercise 03's endpoint check). */
    public static AuthTestServer withPermissionFilter() throws Exception {
        return new AuthTestServer(Stack.PERMISSION, orders -> FeatureGate.OPEN);
    }

    /** The JWT filter and the PermissionFilter built without a permission (task 04.5). */
    public static AuthTestServer withEndpointFilter() throws Exception {
        return new AuthTestServer(Stack.ENDPOINT, orders -> FeatureGate.OPEN);
    }

    /** The JWT filter alone, and every feature registered through a FeatureGuard over this table. */
    public static AuthTestServer guardedBy(FeaturePermissions table) throws Exception {
        return new AuthTestServer(Stack.JWT, orders -> new FeatureGuard(table));
    }

    /** The JWT filter alone, and a FeatureGuard over this table and the ownership rule over the server's orders. */
    public static AuthTestServer ownedBy(FeaturePermissions table) throws Exception {
        return new AuthTestServer(Stack.JWT, orders -> new FeatureGuard(table, new OrderOwnership(orders)));
    }

    /** Exactly the layers of Main and the demo, from Wiring. */
    public static AuthTestServer full() throws Exception {
        return new AuthTestServer(Stack.FULL, null);
    }

    /** An SDK client for this user, with a token the test signs (no refresh token). */
    public OrdersClient connect(String username) throws Exception {
        return OrdersClient.connect(mcp, new OrdersClient.Tokens(token(username), null));
    }

    /** An SDK client with a token the test signs for any subject, display name and scope (no refresh token). */
    public OrdersClient connect(String subject, String name, String scope) throws Exception {
        Map<String, Object> claims = TestTokens.claims(clock.instant());
        claims.put("sub", subject);
        claims.put("name", name);
        claims.put("scope", scope);
        return OrdersClient.connect(mcp, new OrdersClient.Tokens(TestTokens.sign(TestTokens.header(), claims, keys),
                null));
    }

    /** A good access token for bob, signed by the test (not by TokenService.issue) at the server's time. */
    public String goodToken() throws Exception {
        return TestTokens.sign(TestTokens.header(), TestTokens.claims(clock.instant()), keys);
    }

    /** A good access token for a user of {@link TestUsers} (or any name), with that user's permissions. */
    public String token(String username) throws Exception {
        return TestTokens.sign(TestTokens.header(), TestTokens.claimsFor(username, clock.instant()), keys);
    }

    /** A JSON POST to /auth/{endpoint}. */
    public HttpResponse<String> post(String endpoint, String json) throws Exception {
        return RawHttp.send("POST", mcp.resolve("/auth/" + endpoint), "application/json", json);
    }

    /** Logs the user in with the right password; fails the test unless the answer is 200, naming the task. */
    public OrdersClient.Tokens login(String username) throws Exception {
        HttpResponse<String> response = post("token", "{\"username\":\"" + username + "\",\"password\":\""
                + users.password(username) + "\"}");
        if (response.statusCode() != 200) {
            // Which task stopped the login: the steps of /auth/token run directly, where a stub's TODO shows.
            throw Prerequisite.failed("logs in", Prerequisite.unfinished(() -> users.directory
                    .authenticate(username, users.password(username)).map(tokens::issue)),
                    "login of " + username + " answered " + response.statusCode() + " " + response.body());
        }
        Map<String, Object> body = json(response);
        return new OrdersClient.Tokens((String) body.get("access_token"), (String) body.get("refresh_token"));
    }

    public HttpResponse<String> refresh(String refreshToken) throws Exception {
        return post("refresh", "{\"refresh_token\":\"" + refreshToken + "\"}");
    }

    /** An MCP initialize with this access token. */
    public HttpResponse<String> initialize(String accessToken) throws Exception {
        return RawHttp.initialize(mcp, "Authorization", "Bearer " + accessToken);
    }

    public static Map<String, Object> json(HttpResponse<String> response) throws Exception {
        return McpJsonDefaults.getMapper().readValue(response.body(), new TypeRef<Map<String, Object>>() {
        });
    }

    @Override
    public void close() throws Exception {
        server.close();
    }
}
