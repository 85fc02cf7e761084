package workshop.orders.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import workshop.orders.Config;
import workshop.orders.Wiring;
import workshop.orders.auth.bearer.BearerSecretFilter;
import workshop.orders.support.RawHttp;

/**
 * The server around the filter: task 01.4 (the wiring), and what the starting point already does
 * right (01.0), checked on a server without any auth layer so that it holds whatever the filter does.
 */
@DisplayName("The orders desk server: wiring, Origin checks and error pages")
class OrdersServerTest {

    private static OrdersServer server;
    private static URI mcp;

    @BeforeAll
    static void start() throws Exception {
        server = OrdersServer.start("127.0.0.1", 0, Orders.seeded(), Set.of(), Layers.NONE);
        mcp = server.endpoint();
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    @Test
    @DisplayName("01.4 Main and the demo start the server with a BearerSecretFilter holding the configured secret")
    void task01_4_serverIsWiredWithTheFilter() throws Exception {
        String secret = Config.randomSecret();
        Config config = Config.from(Map.of("MCP_SECRET", secret));
        assertThat(Wiring.layers(config.secret(), config.previousSecret()).mcpFilters())
                .as("Wiring.layers(secret, previousSecret)").hasExactlyElementsOfTypes(BearerSecretFilter.class);
        try (OrdersServer secured = OrdersServer.start("127.0.0.1", 0, Orders.seeded(), Set.of(),
                Wiring.layers(config.secret(), config.previousSecret()))) {
            assertThat(RawHttp.initialize(secured.endpoint(), "Authorization", "Bearer " + secret).statusCode())
                    .as("the configured secret opens a session").isEqualTo(200);
        }
    }

    @Test
    @DisplayName("01.4+01.6 Main and the demo let in MCP_PREVIOUS_SECRET too, and still refuse a wrong one")
    void task01_6_serverIsWiredWithThePreviousSecret() throws Exception {
        String secret = Config.randomSecret();
        String previous = Config.randomSecret();
        Config config = Config.from(Map.of("MCP_SECRET", secret, "MCP_PREVIOUS_SECRET", previous));
        try (OrdersServer secured = OrdersServer.start("127.0.0.1", 0, Orders.seeded(), Set.of(),
                Wiring.layers(config.secret(), config.previousSecret()))) {
            for (String token : List.of(previous, secret)) {
                assertThat(RawHttp.initialize(secured.endpoint(), "Authorization", "Bearer " + token).statusCode())
                        .as(token.equals(secret) ? "the configured secret" : "the previous secret").isEqualTo(200);
            }
            assertThat(RawHttp.initialize(secured.endpoint(), "Authorization", "Bearer " + Config.randomSecret())
                    .statusCode()).as("a wrong secret").isEqualTo(401);
        }
    }

    @Test
    @DisplayName("01.0 a page from a foreign Origin is refused with 403, pages served from this machine pass")
    void given_foreignOrigin() throws Exception {
        for (String origin : List.of("http://evil.example", "null", "http://localhost.evil.example:8080",
                "http://127.0.0.1.nip.io")) {
            HttpResponse<String> response = RawHttp.initialize(mcp, "Origin", origin);
            assertThat(response.statusCode()).as(origin).isEqualTo(403);
            assertThat(response.body()).contains("\"error\":\"forbidden_origin\"");
        }
        for (String origin : List.of("http://localhost:6274", "http://127.0.0.1:" + server.port(), "http://[::1]")) {
            assertThat(RawHttp.initialize(mcp, "Origin", origin).statusCode()).as(origin).isEqualTo(200);
        }
    }

    @Test
    @DisplayName("01.0 an Origin listed in MCP_ALLOWED_ORIGINS is accepted, others still are not")
    void given_configuredOrigin() throws Exception {
        try (OrdersServer custom = OrdersServer.start("127.0.0.1", 0, Orders.seeded(), Set.of("https://tools.example"), Layers.NONE)) {
            URI endpoint = custom.endpoint();
            assertThat(RawHttp.initialize(endpoint, "Origin", "https://tools.example").statusCode()).isEqualTo(200);
            assertThat(RawHttp.initialize(endpoint, "Origin", "https://other.example").statusCode()).isEqualTo(403);
        }
    }

    /** The SDK's JSON-RPC error, byte for byte: an exact body has no room for a trace or a class name. */
    private static void assertSdkError(HttpResponse<String> response, int status, int code, String message) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        assertThat(response.body()).isEqualTo("{\"jsonrpc\":\"2.0\",\"error\":{\"code\":" + code
                + ",\"message\":\"" + message + "\"}}");
    }

    @Test
    @DisplayName("01.0 SDK-side errors (unknown session, broken JSON, ...) are exact JSON-RPC errors, no 500, no trace")
    void given_sdkErrorsAreClean() throws Exception {
        String toolsList = "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\"}";
        String session = RawHttp.initialize(mcp).headers().firstValue("Mcp-Session-Id").orElseThrow();
        assertSdkError(RawHttp.post(mcp, toolsList, "Mcp-Session-Id", "no-such-session"), 404, -32603,
                "Session not found");
        assertSdkError(RawHttp.post(mcp, toolsList), 400, -32601, "Session ID required in mcp-session-id header");
        assertSdkError(RawHttp.post(mcp, "{\"jsonrpc\": oops"), 400, -32600, "Invalid message format");
        // Well-formed JSON that is no JSON-RPC message: neither method nor result, an object as id.
        for (String unmappable : List.of("{\"jsonrpc\":\"2.0\",\"id\":2}",
                "{\"jsonrpc\":\"2.0\",\"id\":{},\"method\":\"tools/list\"}")) {
            assertSdkError(RawHttp.post(mcp, unmappable, "Mcp-Session-Id", session), 400, -32600,
                    "Invalid message format");
        }
        // A response to a request the server never sent: the SDK answers 500, Sdk500To400Filter makes it 400.
        String strayResponse = "{\"jsonrpc\":\"2.0\",\"id\":99,\"result\":{}}";
        assertSdkError(RawHttp.post(mcp, strayResponse, "Mcp-Session-Id", session), 400, -32603,
                "Error processing message");
        assertThat(RawHttp.initialize(mcp).statusCode()).as("a good initialize right after").isEqualTo(200);
    }

    @Test
    @DisplayName("01.0 an unknown path gets a JSON 404 without server details")
    void given_unknownPath() throws Exception {
        HttpResponse<String> response = RawHttp.get(mcp.resolve("/admin"));
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.body()).isEqualTo("{\"error\":\"not_found\",\"error_description\":\"Not Found\"}");
        assertThat(response.headers().firstValue("Server")).isEmpty();
    }

    @Test
    @DisplayName("01.0 a header block over 16 KB gets 431, not a 500, and no stack trace")
    void given_oversizedHeader() throws Exception {
        HttpResponse<String> response = RawHttp.initialize(mcp, "Authorization", "Bearer " + "a".repeat(20 * 1024));
        assertThat(response.statusCode()).isEqualTo(431);
        assertThat(response.body()).doesNotContain("Exception", "\tat ");
    }
}
