package workshop.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import workshop.catalog.support.RawHttp;
import workshop.catalog.support.TestStack;

/**
 * CORS for MCP clients that run in a browser page (the MCP Inspector's web UI reads the metadata and redeems the
 * code with {@code fetch} from http://localhost:6274, and in Direct mode calls {@code /mcp} too): allowed for pages on
 * the loopback interface, on {@code /mcp}, the resource metadata (and the MCP origin's other well-known paths) and
 * the authorization server's metadata, registration, token and keys only; never for another origin.
 */
@DisplayName("CORS for browser-based clients: loopback pages only, the fetched endpoints only")
class BrowserClientsTest {

    private static final String PAGE = "http://localhost:6274";
    private static TestStack stack;

    @BeforeAll
    static void start() throws Exception {
        stack = TestStack.start();
    }

    @AfterAll
    static void stop() throws Exception {
        stack.close();
    }

    private static HttpResponse<String> preflight(URI uri, String origin, String method, String headers)
            throws Exception {
        return RawHttp.send("OPTIONS", uri, null, null, "Origin", origin, "Access-Control-Request-Method", method,
                "Access-Control-Request-Headers", headers);
    }

    private static HttpResponse<String> get(URI uri, String origin) throws Exception {
        return RawHttp.send("GET", uri, null, null, "Origin", origin, "MCP-Protocol-Version", "2025-11-25");
    }

    private static String allowedOrigin(HttpResponse<?> response) {
        return response.headers().firstValue("Access-Control-Allow-Origin").orElse(null);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/.well-known/oauth-protected-resource/mcp", "/.well-known/oauth-protected-resource"})
    @DisplayName("the resource metadata: a loopback page's preflight (with MCP-Protocol-Version) and GET are allowed")
    void resourceMetadata(String path) throws Exception {
        URI uri = stack.mcp.resolve(path);
        HttpResponse<String> preflight = preflight(uri, PAGE, "GET", "mcp-protocol-version");
        assertThat(preflight.statusCode()).isEqualTo(204);
        assertThat(allowedOrigin(preflight)).isEqualTo(PAGE);
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Headers").orElseThrow())
                .contains("MCP-Protocol-Version");
        HttpResponse<String> read = get(uri, "http://127.0.0.1:5173");
        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(allowedOrigin(read)).isEqualTo("http://127.0.0.1:5173");
        assertThat(read.headers().allValues("Vary")).contains("Origin");
        assertThat(allowedOrigin(RawHttp.get(uri))).as("no Origin, no CORS header").isNull();
    }

    @Test
    @DisplayName("the resource metadata: a page of another origin is refused (403 forbidden_origin), with no CORS header")
    void resourceMetadataForeignOrigin() throws Exception {
        URI uri = stack.mcp.resolve("/.well-known/oauth-protected-resource/mcp");
        for (HttpResponse<String> refused : new HttpResponse[] {get(uri, "https://evil.example"),
                preflight(uri, "http://localhost.evil.example", "GET", "mcp-protocol-version")}) {
            assertThat(refused.statusCode()).isEqualTo(403);
            assertThat(allowedOrigin(refused)).isNull();
        }
    }

    @Test
    @DisplayName("/mcp answers a loopback page's preflight with 204, and its 401 to that page exposes the challenge that starts discovery")
    void mcpServesLoopbackPages() throws Exception {
        HttpResponse<String> preflight = preflight(stack.mcp, PAGE, "POST", "authorization,content-type");
        assertThat(preflight.statusCode()).isEqualTo(204);
        assertThat(allowedOrigin(preflight)).isEqualTo(PAGE);
        HttpResponse<String> refused = RawHttp.initialize(stack.mcp, "Origin", PAGE);
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(RawHttp.challenge(refused)).contains("resource_metadata=");
        assertThat(allowedOrigin(refused)).isEqualTo(PAGE);
        assertThat(refused.headers().firstValue("Access-Control-Expose-Headers").orElseThrow())
                .contains("WWW-Authenticate");
        HttpResponse<String> foreign = preflight(stack.mcp, "https://evil.example", "POST", "authorization");
        assertThat(foreign.statusCode()).isEqualTo(403);
        assertThat(allowedOrigin(foreign)).isNull();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/.well-known/oauth-authorization-server", "/.well-known/openid-configuration",
            "/.well-known/oauth-authorization-server/mcp"})
    @DisplayName("the MCP origin's well-known 404s (a client probing for an authorization server there) carry CORS for a loopback page")
    void mcpOriginWellKnownNotFound(String path) throws Exception {
        URI uri = stack.mcp.resolve(path);
        assertThat(preflight(uri, PAGE, "GET", "mcp-protocol-version").statusCode()).isEqualTo(204);
        HttpResponse<String> missing = get(uri, PAGE);
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(allowedOrigin(missing)).isEqualTo(PAGE);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/.well-known/oauth-authorization-server", "/.well-known/openid-configuration",
            "/oauth2/register", "/oauth2/token", "/oauth2/jwks"})
    @DisplayName("the authorization server's fetched endpoints: a loopback page's preflight is allowed, without credentials")
    void authorizationServer(String path) throws Exception {
        URI uri = stack.authServer.issuer().resolve(path);
        HttpResponse<String> preflight = preflight(uri, PAGE, "POST", "content-type,mcp-protocol-version");
        assertThat(preflight.statusCode()).isEqualTo(200);
        assertThat(allowedOrigin(preflight)).isEqualTo(PAGE);
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Credentials")).isEmpty();
    }

    @Test
    @DisplayName("the authorization server's metadata read by a loopback page carries Access-Control-Allow-Origin")
    void authorizationServerMetadata() throws Exception {
        HttpResponse<String> read = get(stack.authServer.issuer().resolve("/.well-known/oauth-authorization-server"),
                "http://[::1]:6274");
        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(allowedOrigin(read)).isEqualTo("http://[::1]:6274");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"https://evil.example", "http://localhost.evil.example:6274", "null"})
    @DisplayName("the authorization server refuses the preflight of another origin: 403, no CORS header")
    void authorizationServerForeignOrigin(String origin) throws Exception {
        HttpResponse<String> preflight = preflight(stack.authServer.issuer().resolve("/oauth2/token"), origin, "POST",
                "content-type");
        assertThat(preflight.statusCode()).isEqualTo(403);
        assertThat(allowedOrigin(preflight)).isNull();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/oauth2/authorize", "/login"})
    @DisplayName("the pages a browser navigates to (authorize, login) get no CORS header: a page cannot fetch them")
    void pagesHaveNoCors(String path) throws Exception {
        URI uri = stack.authServer.issuer().resolve(path);
        assertThat(allowedOrigin(preflight(uri, PAGE, "GET", "content-type"))).isNull();
        assertThat(allowedOrigin(get(uri, PAGE))).isNull();
    }
}
