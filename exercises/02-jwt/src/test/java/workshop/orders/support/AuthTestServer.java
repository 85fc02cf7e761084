package workshop.orders.support;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.TypeRef;
import java.net.URI;
import java.net.http.HttpResponse;
import java.security.KeyPair;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import workshop.orders.Wiring;
import workshop.orders.auth.jwt.RefreshTokens;
import workshop.orders.auth.jwt.TokenService;
import workshop.orders.client.OrdersClient;
import workshop.orders.demo.DemoClock;
import workshop.orders.server.Orders;
import workshop.orders.server.OrdersServer;

/**
 * The step's server as the tests need it: the JWT filter in front of /mcp and the login endpoints,
 * users with known passwords, and a clock the test moves instead of waiting. The clock starts at the
 * real time, so a token this fixture signs is good on the system clock too (which the starting point's
 * token check reads): the filter's tests do not depend on task 02.2.
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

    private AuthTestServer() throws Exception {
        users = new TestUsers();
        Wiring wiring = Wiring.create(keys, clock, users.directory);
        tokens = wiring.tokens();
        refreshTokens = wiring.refreshTokens();
        server = OrdersServer.start("127.0.0.1", 0, Orders.seeded(), Set.of(), wiring.layers());
        mcp = server.endpoint();
    }

    /** The private key as base64 text: what it would look like if it leaked into an answer or a log. */
    public String privateKeyText() {
        return Base64.getEncoder().encodeToString(keys.getPrivate().getEncoded());
    }

    public static AuthTestServer start() throws Exception {
        return new AuthTestServer();
    }

    /** A good access token for bob, signed by the test (not by TokenService.issue) at the server's time. */
    public String goodToken() throws Exception {
        return TestTokens.sign(TestTokens.header(), TestTokens.claims(clock.instant()), keys);
    }

    /** A good access token for a user of {@link TestUsers} (or any name), signed by the test. */
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
