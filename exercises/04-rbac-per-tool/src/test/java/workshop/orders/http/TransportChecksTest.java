package workshop.orders.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.TypeRef;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServletResponse;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import workshop.orders.server.Layers;
import workshop.orders.server.Orders;
import workshop.orders.server.OrdersServer;
import workshop.orders.support.RawHttp;

/**
 * The transport checks of the http package, on a server without any auth layer (they are the same in every
 * step): the MCP-Protocol-Version header, the headers of the GET event stream, params that do not bind, and CORS
 * for pages on this machine (with a second server whose one layer refuses every request with a 401, as an auth
 * layer refuses a request without a credential). Each refusal is checked next to the good request it must not catch.
 */
@DisplayName("The transport checks of every step: protocol version, event stream, params that do not bind, CORS")
class TransportChecksTest {

    private static final String PAGE = "http://localhost:6274";
    /** An auth layer's answer to a request without a credential, for every request. */
    private static final Filter CHALLENGE_ALL =
            (request, response, chain) -> HttpErrors.challenge((HttpServletResponse) response, 401, null, null);

    private static OrdersServer server;
    private static OrdersServer guarded;
    private static URI mcp;
    private static String session;
    private static String tool;
    private static String prompt;

    @BeforeAll
    static void start() throws Exception {
        server = OrdersServer.start("127.0.0.1", 0, Orders.seeded(), Set.of(), Layers.NONE);
        mcp = server.endpoint();
        HttpResponse<String> opened = RawHttp.initialize(mcp);
        assertThat(opened.statusCode()).isEqualTo(200);
        session = opened.headers().firstValue("Mcp-Session-Id").orElseThrow();
        tool = first(rpc(1, "tools/list", "{}"), "tools");
        prompt = first(rpc(2, "prompts/list", "{}"), "prompts");
        guarded = OrdersServer.start("127.0.0.1", 0, Orders.seeded(), Set.of("https://app.example"),
                Layers.NONE.filter(CHALLENGE_ALL));
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            server.close();
        } finally {
            guarded.close();
        }
    }

    @Test
    @DisplayName("04.0 no MCP-Protocol-Version, or one the SDK speaks, is served")
    void knownOrMissingVersionIsServed() throws Exception {
        assertThat(post(3, "tools/list", "{}").statusCode()).isEqualTo(200);
        for (String version : List.of("2025-03-26", "2025-06-18", "2025-11-25")) {
            assertThat(post(4, "tools/list", "{}", "MCP-Protocol-Version", version).statusCode()).as(version)
                    .isEqualTo(200);
        }
    }

    @ParameterizedTest(name = "MCP-Protocol-Version: {0}")
    @ValueSource(strings = {"1999-01-01", "banana", "2025-06-18, 2025-11-25", ""})
    @DisplayName("04.0 an MCP-Protocol-Version the server does not speak gets 400 listing those it does")
    void unknownVersionIsRefused(String version) throws Exception {
        HttpResponse<String> refused = post(5, "tools/list", "{}", "MCP-Protocol-Version", version);
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).startsWith("{\"error\":\"unsupported_protocol_version\"")
                .contains("2025-03-26", "2025-11-25");
        assertThat(post(6, "tools/list", "{}").statusCode()).isEqualTo(200);
    }

    @Test
    @DisplayName("04.0 the GET event stream sends its status line and headers at once, before any event")
    void eventStreamHeadersComeAtOnce() throws Exception {
        HttpRequest get = HttpRequest.newBuilder(mcp).header("Accept", "text/event-stream")
                .header("Mcp-Session-Id", session).GET().build();
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        // No event is due on this stream: without the filter, the answer would not start until the stream ends.
        HttpResponse<java.io.InputStream> stream = client.sendAsync(get, HttpResponse.BodyHandlers.ofInputStream())
                .get(10, TimeUnit.SECONDS);
        try (java.io.InputStream body = stream.body()) {
            assertThat(stream.statusCode()).isEqualTo(200);
            assertThat(stream.headers().firstValue("Content-Type")).hasValueSatisfying(
                    type -> assertThat(type).startsWith("text/event-stream"));
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "tools/call|\"x\"", "tools/call|{\"name\":{}}", "tools/call|{\"name\":\"TOOL\",\"arguments\":\"x\"}",
            "tools/call|{\"name\":\"TOOL\",\"arguments\":[1,2]}", "tools/call|null", "tools/call|",
            "prompts/get|{\"name\":\"PROMPT\",\"arguments\":\"x\"}", "resources/read|{\"uri\":[]}"})
    @DisplayName("04.0 params that do not bind get JSON-RPC -32602 Invalid params with the request's id")
    void paramsThatDoNotBind(String call) throws Exception {
        String[] parts = call.split("\\|", -1);
        String params = parts[1].replace("TOOL", tool).replace("PROMPT", prompt);
        HttpResponse<String> answer = post(42, parts[0], params.isEmpty() ? null : params);
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(payload(answer)).isEqualTo(
                "{\"jsonrpc\":\"2.0\",\"id\":42,\"error\":{\"code\":-32602,\"message\":\"Invalid params\"}}");
        // The same method with params that bind still reaches the tool: a filter that refused everything would not.
        assertThat(rpc(43, "tools/call", "{\"name\":\"" + tool + "\",\"arguments\":{}}")).containsKey("result");
    }

    @Test
    @DisplayName("04.0 params that bind go on to the SDK, the request's id kept")
    void paramsThatBindGoOn() throws Exception {
        Map<String, Object> called = rpc(43, "tools/call", "{\"name\":\"" + tool + "\",\"arguments\":{}}");
        assertThat(called).containsEntry("id", 43).containsKey("result");
        Map<String, Object> got = rpc(44, "prompts/get", "{\"name\":\"" + prompt + "\",\"arguments\":{}}");
        assertThat(got).containsEntry("id", 44).containsKey("result");
    }

    @ParameterizedTest(name = "body {0}")
    @ValueSource(strings = {"null", "[]", "\"text\"", "7", "true"})
    @DisplayName("04.0 a body that is JSON but no message object gets 400 and a JSON error, never a 500")
    void jsonThatIsNoMessage(String body) throws Exception {
        HttpResponse<String> refused = RawHttp.post(mcp, body, "Mcp-Session-Id", session);
        assertThat(refused.statusCode()).as(body + " answered " + refused.body()).isBetween(400, 499);
        assertThat(refused.body()).as(body).startsWith("{").doesNotContain("Exception");
        assertThat(rpc(45, "tools/list", "{}")).containsKey("result");
    }

    @ParameterizedTest(name = "Content-Type: {0}")
    @ValueSource(strings = {"application/json; charset=x-bogus", "application/json; charset=utf-16",
            "application/json; charset=\"\"", "application/json;charset=iso-8859-1"})
    @DisplayName("04.0 a body in a charset other than UTF-8 gets 415 and a JSON error, never a 500")
    void charsetOtherThanUtf8(String contentType) throws Exception {
        HttpResponse<String> refused = postWithType(contentType);
        assertThat(refused.statusCode()).as(contentType + " answered " + refused.body()).isEqualTo(415);
        assertThat(refused.body()).startsWith("{\"error\":\"unsupported_media_type\"");
        for (String good : List.of("application/json", "application/json; charset=utf-8",
                "application/json;charset=UTF-8", "application/json; charset=\"utf-8\"")) {
            assertThat(postWithType(good).statusCode()).as(good).isEqualTo(200);
        }
    }

    @Test
    @DisplayName("04.0 CORS: loopback preflight is 204 before any auth; answers name the origin, expose Mcp-Session-Id")
    void loopbackPage() throws Exception {
        for (String origin : List.of(PAGE, "http://127.0.0.1:5173", "http://[::1]:6274", "https://app.example")) {
            HttpResponse<String> preflight = preflight(guarded.endpoint(), origin);
            assertThat(preflight.statusCode()).as(origin).isEqualTo(204);
            assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).as(origin).hasValue(origin);
            assertThat(preflight.headers().allValues("Vary")).contains("Origin");
            assertThat(preflight.headers().firstValue("Access-Control-Allow-Methods")).hasValue("GET, POST, DELETE");
            assertThat(preflight.headers().firstValue("Access-Control-Allow-Headers").orElseThrow().split(", "))
                    .containsExactlyInAnyOrder("Authorization", "Content-Type", "Accept", "Mcp-Session-Id",
                            "MCP-Protocol-Version", "Last-Event-ID");
            assertThat(preflight.headers().firstValue("Access-Control-Max-Age")).isPresent();
            assertThat(preflight.headers().firstValue("Access-Control-Allow-Credentials")).isEmpty();
        }
        // An OPTIONS that is no preflight still gets the 405 of the methods /mcp does not serve.
        assertThat(send("OPTIONS", guarded.endpoint(), "Origin", PAGE).statusCode()).isEqualTo(405);
        HttpResponse<String> opened = RawHttp.initialize(mcp, "Origin", "http://127.0.0.1:5173");
        assertThat(opened.statusCode()).isEqualTo(200);
        assertThat(opened.headers().firstValue("Access-Control-Allow-Origin")).hasValue("http://127.0.0.1:5173");
        assertThat(exposed(opened)).contains("Mcp-Session-Id", "MCP-Protocol-Version");
        assertThat(RawHttp.initialize(mcp).headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    }

    @Test
    @DisplayName("04.0 CORS: a 401 to a loopback page exposes WWW-Authenticate; the well-known 404s carry CORS too")
    void challengeAndWellKnownToALoopbackPage() throws Exception {
        HttpResponse<String> refused = RawHttp.initialize(guarded.endpoint(), "Origin", PAGE);
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(RawHttp.challenge(refused)).startsWith("Bearer ");
        assertThat(refused.headers().firstValue("Access-Control-Allow-Origin")).hasValue(PAGE);
        assertThat(exposed(refused)).contains("WWW-Authenticate");
        for (String path : List.of("/.well-known/oauth-protected-resource", "/.well-known/oauth-authorization-server")) {
            URI uri = guarded.endpoint().resolve(path);
            assertThat(preflight(uri, PAGE).statusCode()).as(path).isEqualTo(204);
            HttpResponse<String> missing = send("GET", uri, "Origin", PAGE);
            assertThat(missing.statusCode()).as(path).isEqualTo(404);
            assertThat(missing.headers().firstValue("Access-Control-Allow-Origin")).as(path).hasValue(PAGE);
            assertThat(missing.headers().allValues("Vary")).as(path).contains("Origin");
        }
    }

    @Test
    @DisplayName("04.0 CORS: a page of another origin gets 403 and no CORS header, on the preflight and on the request")
    void foreignOriginGetsNoCors() throws Exception {
        for (String origin : List.of("https://evil.example", "http://localhost.evil.example:6274", "null")) {
            for (HttpResponse<String> refused : List.of(preflight(guarded.endpoint(), origin),
                    RawHttp.initialize(guarded.endpoint(), "Origin", origin), preflight(mcp, origin),
                    RawHttp.initialize(mcp, "Origin", origin),
                    send("GET", guarded.endpoint().resolve("/.well-known/oauth-protected-resource"), "Origin",
                            origin))) {
                String what = origin + " " + refused.request().method() + " " + refused.uri();
                assertThat(refused.statusCode()).as(what).isEqualTo(403);
                assertThat(refused.body()).as(what).startsWith("{\"error\":\"forbidden_origin\"");
                assertThat(refused.headers().map().keySet()).as(what)
                        .noneMatch(name -> name.toLowerCase(Locale.ROOT).startsWith("access-control-"));
            }
        }
        assertThat(preflight(guarded.endpoint(), PAGE).statusCode()).isEqualTo(204);
    }

    private static HttpResponse<String> preflight(URI uri, String origin) throws Exception {
        return send("OPTIONS", uri, "Origin", origin, "Access-Control-Request-Method", "POST",
                "Access-Control-Request-Headers", "authorization,content-type,mcp-protocol-version");
    }

    private static HttpResponse<String> send(String method, URI uri, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
                .method(method, HttpRequest.BodyPublishers.noBody());
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
                .send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static List<String> exposed(HttpResponse<?> response) {
        return List.of(response.headers().firstValue("Access-Control-Expose-Headers").orElse("").split(", "));
    }

    private static HttpResponse<String> postWithType(String contentType) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(mcp)
                .header("Accept", "application/json, text/event-stream")
                .header("Content-Type", contentType)
                .header("Mcp-Session-Id", session)
                .POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"id\":46,\"method\":\"tools/list\"}"))
                .build();
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
                .send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(int id, String method, String params, String... headers)
            throws Exception {
        String body = "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"" + method + "\""
                + (params == null ? "" : ",\"params\":" + params) + "}";
        String[] all = new String[headers.length + 2];
        all[0] = "Mcp-Session-Id";
        all[1] = session;
        System.arraycopy(headers, 0, all, 2, headers.length);
        return RawHttp.post(mcp, body, all);
    }

    private static Map<String, Object> rpc(int id, String method, String params) throws Exception {
        HttpResponse<String> answer = post(id, method, params);
        assertThat(answer.statusCode()).as(method).isEqualTo(200);
        return McpJsonDefaults.getMapper().readValue(payload(answer), new TypeRef<Map<String, Object>>() {
        });
    }

    /** The JSON-RPC message of an answer, sent as JSON or as the data of one server-sent event. */
    private static String payload(HttpResponse<String> answer) {
        String body = answer.body().strip();
        return body.startsWith("{") ? body : body.lines().filter(line -> line.startsWith("data:"))
                .map(line -> line.substring(5).strip()).findFirst().orElse(body);
    }

    @SuppressWarnings("unchecked")
    private static String first(Map<String, Object> answer, String list) {
        Map<String, Object> result = (Map<String, Object>) answer.get("result");
        return (String) ((List<Map<String, Object>>) result.get(list)).get(0).get("name");
    }
}
