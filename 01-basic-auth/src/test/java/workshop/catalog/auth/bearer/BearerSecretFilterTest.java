package workshop.catalog.auth.bearer;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import workshop.catalog.Config;
import workshop.catalog.Wiring;
import workshop.catalog.server.Catalog;
import workshop.catalog.server.CatalogServer;
import workshop.catalog.support.RawHttp;

@DisplayName("The shared-secret filter, over real HTTP")
class BearerSecretFilterTest {

    private static final String SECRET = Config.randomSecret();
    private static final String GOOD = "Bearer " + SECRET;
    private static final String INVALID_TOKEN =
            "Bearer realm=\"mcp\", error=\"invalid_token\", error_description=\"The secret is not valid\"";

    private static CatalogServer server;
    private static URI mcp;

    @BeforeAll
    static void start() throws Exception {
        server = CatalogServer.start("127.0.0.1", 0, Catalog.seeded(), Set.of(), Wiring.layers(SECRET));
        mcp = server.endpoint();
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    /** Every refusal below is paired with this: the same server accepts the right secret. */
    private static void assertTheRightSecretIsAccepted() throws Exception {
        HttpResponse<String> response = RawHttp.initialize(mcp, "Authorization", GOOD);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Mcp-Session-Id")).isPresent();
        assertThat(response.body()).contains("\"serverInfo\"");
    }

    private static void assertRefused(HttpResponse<String> response, int status, String challenge, String error) {
        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(RawHttp.challenge(response)).isEqualTo(challenge);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        assertThat(response.body()).contains("\"error\":\"" + error + "\"").doesNotContain(SECRET);
    }

    @Test
    @DisplayName("the right secret opens an MCP session (200 and a session id)")
    void rightSecretIsAccepted() throws Exception {
        assertTheRightSecretIsAccepted();
    }

    @Test
    @DisplayName("the scheme name is case-insensitive: 'bearer <secret>' is accepted")
    void schemeIsCaseInsensitive() throws Exception {
        assertThat(RawHttp.initialize(mcp, "Authorization", "bearer " + SECRET).statusCode()).isEqualTo(200);
    }

    @Test
    @DisplayName("no Authorization header gets 401 with a bare Bearer challenge (no error code)")
    void missingHeader() throws Exception {
        assertRefused(RawHttp.initialize(mcp), 401, "Bearer realm=\"mcp\"", "unauthorized");
        assertTheRightSecretIsAccepted();
    }

    @Test
    @DisplayName("an empty Authorization header gets 401 with a bare Bearer challenge")
    void emptyHeader() throws Exception {
        assertRefused(RawHttp.initialize(mcp, "Authorization", ""), 401, "Bearer realm=\"mcp\"", "unauthorized");
        assertTheRightSecretIsAccepted();
    }

    @Test
    @DisplayName("another scheme ('Basic ...', even with the secret in it) gets 401 with a bare Bearer challenge")
    void otherScheme() throws Exception {
        assertRefused(RawHttp.initialize(mcp, "Authorization", "Basic " + SECRET), 401, "Bearer realm=\"mcp\"",
                "unauthorized");
        assertRefused(RawHttp.initialize(mcp, "Authorization", SECRET), 401, "Bearer realm=\"mcp\"", "unauthorized");
        assertTheRightSecretIsAccepted();
    }

    @Test
    @DisplayName("'Bearer' with no token gets 400 invalid_request")
    void bearerWithoutToken() throws Exception {
        String challenge = "Bearer realm=\"mcp\", error=\"invalid_request\", "
                + "error_description=\"Bearer scheme without a token\"";
        assertRefused(RawHttp.initialize(mcp, "Authorization", "Bearer"), 400, challenge, "invalid_request");
        assertRefused(RawHttp.initialize(mcp, "Authorization", "Bearer    "), 400, challenge, "invalid_request");
        assertTheRightSecretIsAccepted();
    }

    @Test
    @DisplayName("two Authorization headers get 400 invalid_request, even when both carry the right secret")
    void twoHeaders() throws Exception {
        HttpResponse<String> response = RawHttp.initialize(mcp, "Authorization", GOOD, "Authorization", GOOD);
        assertRefused(response, 400, "Bearer realm=\"mcp\", error=\"invalid_request\", "
                + "error_description=\"More than one Authorization header\"", "invalid_request");
        assertTheRightSecretIsAccepted();
    }

    @Test
    @DisplayName("a wrong secret gets 401 invalid_token")
    void wrongSecret() throws Exception {
        assertRefused(RawHttp.initialize(mcp, "Authorization", "Bearer not-the-secret"), 401, INVALID_TOKEN,
                "invalid_token");
        assertTheRightSecretIsAccepted();
    }

    @Test
    @DisplayName("near misses of the secret (prefix, extra character, other case) get 401, also right after a good request")
    void nearMisses() throws Exception {
        // The good request first: Jetty's per-connection header cache once let a case variant of a
        // header it had just seen pass as that header (see CatalogServer).
        assertTheRightSecretIsAccepted();
        for (String guess : List.of(SECRET.substring(0, SECRET.length() - 1), SECRET + "x", SECRET.toUpperCase(),
                SECRET.toLowerCase())) {
            if (!guess.equals(SECRET)) {
                HttpResponse<String> response = RawHttp.initialize(mcp, "Authorization", "Bearer " + guess);
                assertThat(response.statusCode()).as(guess + " for " + SECRET).isEqualTo(401);
            }
        }
        assertTheRightSecretIsAccepted();
    }

    @Test
    @DisplayName("a 10 KB token gets 401 invalid_token, not a 500")
    void tenKilobyteToken() throws Exception {
        assertRefused(RawHttp.initialize(mcp, "Authorization", "Bearer " + "a".repeat(10 * 1024)), 401,
                INVALID_TOKEN, "invalid_token");
        assertTheRightSecretIsAccepted();
    }

    @Test
    @DisplayName("a header block over 16 KB gets 431 from Jetty, not a 500, with no stack trace")
    void oversizedHeader() throws Exception {
        HttpResponse<String> response = RawHttp.initialize(mcp, "Authorization", "Bearer " + "a".repeat(20 * 1024));
        assertThat(response.statusCode()).isEqualTo(431);
        assertThat(response.body()).doesNotContain("Exception", "\tat ");
        assertTheRightSecretIsAccepted();
    }

    @Test
    @DisplayName("a non-ASCII token gets 401 invalid_token, not a 500")
    void nonAsciiToken() throws Exception {
        assertRefused(RawHttp.initialize(mcp, "Authorization", "Bearer s\u00e9cr\u00e9t-\u00fc\u00f1\u00ee"), 401,
                INVALID_TOKEN, "invalid_token");
        assertTheRightSecretIsAccepted();
    }

    @Test
    @DisplayName("a page from a foreign Origin is refused with 403 even with the right secret")
    void foreignOrigin() throws Exception {
        for (String origin : List.of("http://evil.example", "null", "http://localhost.evil.example:8080",
                "http://127.0.0.1.nip.io")) {
            HttpResponse<String> response = RawHttp.initialize(mcp, "Authorization", GOOD, "Origin", origin);
            assertThat(response.statusCode()).as(origin).isEqualTo(403);
            assertThat(response.body()).contains("\"error\":\"forbidden_origin\"");
        }
        for (String origin : List.of("http://localhost:6274", "http://127.0.0.1:" + server.port(), "http://[::1]")) {
            assertThat(RawHttp.initialize(mcp, "Authorization", GOOD, "Origin", origin).statusCode()).as(origin)
                    .isEqualTo(200);
        }
    }

    @Test
    @DisplayName("an Origin listed in MCP_ALLOWED_ORIGINS is accepted, others still are not")
    void configuredOrigin() throws Exception {
        try (CatalogServer custom = CatalogServer.start("127.0.0.1", 0, Catalog.seeded(),
                Set.of("https://tools.example"), Wiring.layers(SECRET))) {
            URI endpoint = custom.endpoint();
            assertThat(RawHttp.initialize(endpoint, "Authorization", GOOD, "Origin", "https://tools.example")
                    .statusCode()).isEqualTo(200);
            assertThat(RawHttp.initialize(endpoint, "Authorization", GOOD, "Origin", "https://other.example")
                    .statusCode()).isEqualTo(403);
        }
    }

    /** The SDK's JSON-RPC error, byte for byte: an exact body has no room for a trace or a class name. */
    private static void assertSdkError(HttpResponse<String> response, int status, int code, String message) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        assertThat(response.body()).isEqualTo("{\"jsonrpc\":\"2.0\",\"error\":{\"code\":" + code + ",\"message\":\""
                + message + "\"}}");
    }

    @Test
    @DisplayName("SDK-side errors (unknown session, broken JSON, a message the SDK cannot map, a response nobody asked for) are exact JSON-RPC errors, never a 500 or a trace")
    void sdkErrorsAreClean() throws Exception {
        String toolsList = "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\"}";
        String session = RawHttp.initialize(mcp, "Authorization", GOOD).headers().firstValue("Mcp-Session-Id").orElseThrow();
        assertSdkError(RawHttp.post(mcp, toolsList, "Authorization", GOOD, "Mcp-Session-Id", "no-such-session"), 404,
                -32603, "Session not found");
        assertSdkError(RawHttp.post(mcp, toolsList, "Authorization", GOOD), 400, -32601,
                "Session ID required in mcp-session-id header");
        assertSdkError(RawHttp.post(mcp, "{\"jsonrpc\": oops", "Authorization", GOOD), 400, -32600,
                "Invalid message format");
        // Well-formed JSON that is no JSON-RPC message: neither method nor result, an object as id.
        for (String unmappable : List.of("{\"jsonrpc\":\"2.0\",\"id\":2}",
                "{\"jsonrpc\":\"2.0\",\"id\":{},\"method\":\"tools/list\"}")) {
            assertSdkError(RawHttp.post(mcp, unmappable, "Authorization", GOOD, "Mcp-Session-Id", session), 400, -32600,
                    "Invalid message format");
        }
        // A response to a request the server never sent: the SDK answers 500, Sdk500To400Filter makes it 400.
        assertSdkError(RawHttp.post(mcp, "{\"jsonrpc\":\"2.0\",\"id\":99,\"result\":{}}", "Authorization", GOOD,
                "Mcp-Session-Id", session), 400, -32603, "Error processing message");
        assertTheRightSecretIsAccepted();
    }

    @Test
    @DisplayName("an unknown path gets a JSON 404 without server details")
    void unknownPath() throws Exception {
        HttpResponse<String> response = RawHttp.get(mcp.resolve("/admin"));
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.body()).isEqualTo("{\"error\":\"not_found\",\"error_description\":\"Not Found\"}");
        assertThat(response.headers().firstValue("Server")).isEmpty();
    }
}
