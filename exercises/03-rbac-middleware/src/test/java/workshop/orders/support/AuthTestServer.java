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
import workshop.orders.Wiring;
import workshop.orders.auth.jwt.JwtAuthFilter;
import workshop.orders.auth.jwt.RefreshTokens;
import workshop.orders.auth.jwt.TokenService;
import workshop.orders.auth.permissions.PermissionFilter;
import workshop.orders.client.OrdersClient;
import workshop.orders.demo.DemoClock;
import workshop.orders.server.Layers;
import workshop.orders.server.Orders;
import workshop.orders.server.OrdersServer;

/**
 * The step's server as the tests need it: the given filters in front of /mcp and the login endpoints,
 * users with known passwords, and a clock the test moves instead of waiting. {@link #start()} has the
 * JWT filter alone (exercise 02's layer, and task 03.2's wiring); {@link #withPermissionFilter()} adds
 * {@link StandInCaller} and the PermissionFilter (User.Read), so tasks 03.3 and 03.4 are graded whatever
 * state 03.2 is in; {@link #full()} has exactly the layers Main and the demo use.
 */
public final class AuthTestServer implements AutoCloseable {

    /** The server's ES256 key pair: the tests sign good tokens with its private key, as the server does. */
    public final KeyPair keys = TestTokens.newKeyPair();
    public final DemoClock clock = new DemoClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    public final TestUsers users;
    public final TokenService tokens;
    /** The store behind /auth/*: a test can issue a refresh token without logging in. */
    public final RefreshTokens refreshTokens;
    public final OrdersServer server;
    public final URI mcp;

    /** Which filters the server puts in front of /mcp. */
    private enum Stack { JWT, PERMISSION, FULL }

    private AuthTestServer(Stack stack, Filter behind) throws Exception {
        users = new TestUsers();
        Wiring wiring = Wiring.create(keys, clock, users.directory);
        tokens = wiring.tokens();
        refreshTokens = wiring.refreshTokens();
        Layers full = wiring.layers();
        List<Filter> filters = switch (stack) {
            case JWT -> List.of(new JwtAuthFilter(tokens));
            case PERMISSION -> List.of(new JwtAuthFilter(tokens), new StandInCaller(tokens),
                    new PermissionFilter(users.directory, PermissionFilter.USER_READ));
            case FULL -> full.mcpFilters();
        };
        if (behind != null) {
            filters = new java.util.ArrayList<>(filters);
            filters.add(behind);
        }
        // Only the filters differ: the login endpoints, the caller's way to the tools (task 03.2) and whoami
        // are the step's, from Wiring.
        server = OrdersServer.start("127.0.0.1", 0, Orders.seeded(), Set.of(),
                new Layers(filters, full.endpoints(), full.context(), full.tools(), full.features()));
        mcp = server.endpoint();
    }

    /** The private key as base64 text: what it would look like if it leaked into an answer or a log. */
    public String privateKeyText() {
        return Base64.getEncoder().encodeToString(keys.getPrivate().getEncoded());
    }

    /** The JWT filter alone in front of /mcp. */
    public static AuthTestServer start() throws Exception {
        return new AuthTestServer(Stack.JWT, null);
    }

    /** The JWT filter, the stand-in that attaches the Caller, and the PermissionFilter requiring User.Read. */
    public static AuthTestServer withPermissionFilter() throws Exception {
        return new AuthTestServer(Stack.PERMISSION, null);
    }

    /** As {@link #withPermissionFilter()}, with one more filter behind the PermissionFilter: a test's probe. */
    public static AuthTestServer withPermissionFilterAnd(Filter behind) throws Exception {
        return new AuthTestServer(Stack.PERMISSION, behind);
    }

    /** Exactly the layers of Main and the demo, from Wiring. */
    public static AuthTestServer full() throws Exception {
        return new AuthTestServer(Stack.FULL, null);
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
