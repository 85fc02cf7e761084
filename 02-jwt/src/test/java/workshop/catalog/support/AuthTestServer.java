package workshop.catalog.support;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.TypeRef;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import workshop.catalog.Config;
import workshop.catalog.Wiring;
import workshop.catalog.auth.jwt.TokenService;
import workshop.catalog.client.CatalogClient;
import workshop.catalog.demo.DemoClock;
import workshop.catalog.server.Catalog;
import workshop.catalog.server.CatalogServer;

/**
 * The step's server as the tests need it, its layers built by {@link Wiring} as {@code Main} builds them: users
 * with known passwords, and a clock the test moves instead of waiting.
 */
public final class AuthTestServer implements AutoCloseable {

    public static final Instant START = Instant.parse("2026-03-01T09:00:00Z");

    public final String secret = Config.randomSecret();
    public final DemoClock clock = new DemoClock(START);
    public final TestUsers users;
    public final TokenService tokens;
    public final CatalogServer server;
    public final URI mcp;

    private AuthTestServer() throws Exception {
        users = new TestUsers();
        Wiring wiring = Wiring.create(secret, clock, users.directory);
        tokens = wiring.tokens();
        server = CatalogServer.start("127.0.0.1", 0, Catalog.seeded(), Set.of(), wiring.layers());
        mcp = server.endpoint();
    }

    public static AuthTestServer start() throws Exception {
        return new AuthTestServer();
    }

    /** A JSON POST to /auth/{endpoint}. */
    public HttpResponse<String> post(String endpoint, String json) throws Exception {
        return RawHttp.send("POST", mcp.resolve("/auth/" + endpoint), "application/json", json);
    }

    /** Logs the user in with the right password; fails the test unless the answer is 200. */
    public CatalogClient.Tokens login(String username) throws Exception {
        HttpResponse<String> response = post("token", "{\"username\":\"" + username + "\",\"password\":\""
                + users.password(username) + "\"}");
        if (response.statusCode() != 200) {
            throw new AssertionError("login of " + username + " answered " + response.statusCode() + " " + response.body());
        }
        Map<String, Object> body = json(response);
        return new CatalogClient.Tokens((String) body.get("access_token"), (String) body.get("refresh_token"));
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
