package workshop.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static workshop.catalog.support.TestTokens.header;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import workshop.catalog.client.CatalogClient;
import workshop.catalog.server.CatalogServer;
import workshop.catalog.support.AuthTestServer;
import workshop.catalog.support.RawHttp;
import workshop.catalog.support.RawSocket;
import workshop.catalog.support.TestTokens;

@DisplayName("Hostile requests over a raw socket: each gets its own status, never a 5xx or a leak, and the server still serves")
class AttackMatrixTest {

    /** What a response body must never contain: traces, class and package names. */
    private static final List<String> LEAKS = List.of("Exception", "\tat ", "at java.", "at org.", "at io.",
            "workshop.", "jakarta.");
    private static final String TOOLS_LIST = "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\"}";

    private static AuthTestServer fixture;
    private static RawSocket socket;
    private static CatalogClient.Tokens bob;
    private static String good;
    private static String session;
    private static String alicesSession;
    private static String disabled;
    /** The key, the passwords and every token of this test: none may appear in an answer. */
    private static final List<String> secrets = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        fixture = AuthTestServer.start();
        socket = new RawSocket(fixture.server.port());
        bob = fixture.login("bob");
        good = "Bearer " + bob.accessToken();
        CatalogClient.Tokens alice = fixture.login("alice");
        CatalogClient.Tokens carol = fixture.login("carol");
        // carol stays disabled for this class: her unexpired token is one of the rows.
        disabled = carol.accessToken();
        fixture.users.directory.setEnabled("carol", false);
        secrets.addAll(List.of(fixture.secret, bob.accessToken(), bob.refreshToken(), alice.accessToken(),
                alice.refreshToken(), carol.accessToken(), carol.refreshToken()));
        for (String user : List.of("alice", "bob", "carol")) {
            secrets.add(fixture.users.password(user));
        }
        session = openSession(good);
        alicesSession = openSession("Bearer " + alice.accessToken());
    }

    @AfterAll
    static void stop() throws Exception {
        fixture.close();
    }

    /** One hostile request; it returns what the server answered. */
    interface Attack {
        RawSocket.Response send() throws Exception;
    }

    /** A row: its name, the status it must get and the "error" of the JSON body (null: not ours to name). */
    private static Arguments row(String name, int status, String error, Attack attack) {
        return Arguments.of(name, status, error, attack);
    }

    /** A POST to /mcp with the MCP headers and bob's token: each row spoils one thing. */
    private static RawSocket.Request mcp(String body) {
        return mcp("POST", CatalogServer.MCP_PATH, body);
    }

    private static RawSocket.Request mcp(String method, String target, String body) {
        return socket.request(method, target)
                .header("Accept", "application/json, text/event-stream")
                .header("Content-Type", "application/json")
                .header("Authorization", good)
                .body(body);
    }

    private static RawSocket.Request initialize() {
        return mcp(RawHttp.INITIALIZE);
    }

    /** An initialize with the Authorization header of this value instead of bob's. */
    private static RawSocket.Request authorization(String value) {
        return initialize().without("Authorization").header("Authorization", value);
    }

    /** An initialize with this access token. */
    private static Attack token(TokenMaker token) {
        return () -> authorization("Bearer " + token.make()).send();
    }

    /** A POST of this body to /auth/{endpoint}. */
    private static RawSocket.Request auth(String endpoint, String body) {
        return socket.request("POST", "/auth/" + endpoint).header("Content-Type", "application/json").body(body);
    }

    /** An MCP session opened with this Authorization value, for the rows that need one. */
    private static String openSession(String authorization) throws Exception {
        RawSocket.Response opened = authorization(authorization).send();
        assertThat(opened.status()).as(opened.toString()).isEqualTo(200);
        String id = opened.header("Mcp-Session-Id").orElseThrow();
        RawSocket.Response initialized = mcp("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}")
                .without("Authorization").header("Authorization", authorization).header("Mcp-Session-Id", id).send();
        assertThat(initialized.status()).as(initialized.toString()).isEqualTo(202);
        return id;
    }

    /** Raw bytes for the framing rows, which must write their own headers. */
    private static Attack raw(String head, String body) {
        return () -> socket.send((head.replace("\n", "\r\n") + "\r\n" + body).getBytes(StandardCharsets.ISO_8859_1));
    }

    private static String host() {
        return "127.0.0.1:" + fixture.server.port();
    }

    /** Makes a token from the fixture's key and clock when the row runs. */
    interface TokenMaker {
        String make() throws Exception;
    }

    private static String signed(Map<String, Object> header, Map<String, Object> claims) throws Exception {
        return TestTokens.sign(header, claims, fixture.secret);
    }

    /** bob's good claims with one changed (null: removed). */
    private static Map<String, Object> claims(String name, Object value) {
        return TestTokens.with(TestTokens.claims(fixture.clock.instant()), name, value);
    }

    private static long now(Duration plus) {
        return fixture.clock.instant().plus(plus).getEpochSecond();
    }

    static Stream<Arguments> attacks() {
        return Stream.of(
                // The credential (docs/design.md#status-codes)
                row("no Authorization header", 401, "unauthorized", () -> initialize().without("Authorization").send()),
                row("an empty Authorization header", 401, "unauthorized", () -> authorization("").send()),
                row("Basic credentials", 401, "unauthorized", () -> authorization("Basic Ym9iOmJvYg==").send()),
                row("'Bearer' with no token", 400, "invalid_request", () -> authorization("Bearer").send()),
                row("two Authorization headers, both good", 400, "invalid_request",
                        () -> initialize().header("Authorization", good).send()),
                row("a 10 KB token", 401, "invalid_token", () -> authorization("Bearer " + "a".repeat(10 * 1024)).send()),
                row("a 20 KB header", 431, null, () -> authorization("Bearer " + "a".repeat(20 * 1024)).send()),
                row("a 64 KB header", 431, null, () -> authorization("Bearer " + "a".repeat(64 * 1024)).send()),
                row("non-ASCII bytes in the token", 401, "invalid_token",
                        () -> authorization("Bearer ey\u00c3\u00a9.\u00ff.x").send()),
                // Bad access tokens (docs/design.md#tokens)
                row("alg none, no signature", 401, "invalid_token",
                        token(() -> signed(header("alg", "none"), claims("sub", "bob")))),
                row("alg HS512 with the right key", 401, "invalid_token",
                        token(() -> signed(header("alg", "HS512"), claims("sub", "bob")))),
                row("a forged signature (payload changed to alice)", 401, "invalid_token", token(() -> {
                    String[] parts = bob.accessToken().split("\\.");
                    String payload = TestTokens.decode(parts[1]).replace("\"bob\"", "\"alice\"");
                    return parts[0] + "." + TestTokens.encode(payload) + "." + parts[2];
                })),
                row("signed with another key", 401, "invalid_token", token(() -> TestTokens.sign(TestTokens.header(),
                        claims("sub", "bob"), Config.randomSecret()))),
                row("expired", 401, "invalid_token", token(() -> signed(TestTokens.header(),
                        claims("exp", now(Duration.ofMinutes(-5)))))),
                row("nbf in the future", 401, "invalid_token", token(() -> signed(TestTokens.header(),
                        claims("nbf", now(Duration.ofMinutes(5)))))),
                row("another issuer", 401, "invalid_token",
                        token(() -> signed(TestTokens.header(), claims("iss", "https://evil.example")))),
                row("another audience", 401, "invalid_token",
                        token(() -> signed(TestTokens.header(), claims("aud", "another-mcp-server")))),
                row("typ JWT, not at+jwt", 401, "invalid_token",
                        token(() -> signed(header("typ", "JWT"), claims("sub", "bob")))),
                row("no exp", 401, "invalid_token", token(() -> signed(TestTokens.header(), claims("exp", null)))),
                row("exp as a string", 401, "invalid_token",
                        token(() -> signed(TestTokens.header(), claims("exp", "tomorrow")))),
                row("name as a number", 401, "invalid_token",
                        token(() -> signed(TestTokens.header(), claims("name", 42)))),
                row("two segments", 401, "invalid_token",
                        token(() -> bob.accessToken().substring(0, bob.accessToken().lastIndexOf('.')))),
                row("four segments", 401, "invalid_token", token(() -> bob.accessToken() + ".e30")),
                row("garbage", 401, "invalid_token", token(() -> "*!*.{not-base64}.%%%")),
                row("exp ten years after iat, signed with the right key", 401, "invalid_token",
                        token(() -> signed(TestTokens.header(), claims("exp", now(Duration.ofDays(3650)))))),
                row("iat a day in the future, signed with the right key", 401, "invalid_token",
                        token(() -> signed(TestTokens.header(), claims("iat", now(Duration.ofDays(1)))))),
                row("an empty crit header, signed with the right key", 401, "invalid_token",
                        token(() -> signed(header("crit", List.of()), claims("sub", "bob")))),
                row("a refresh token as access token", 401, "invalid_token", token(() -> bob.refreshToken())),
                row("permissions as a string", 401, "invalid_token",
                        token(() -> signed(TestTokens.header(), claims("permissions", "User.Read")))),
                row("permissions with a number in the array", 401, "invalid_token",
                        token(() -> signed(TestTokens.header(), claims("permissions", List.of("User.Read", 42))))),
                row("a user who is not in the directory", 401, "invalid_token",
                        token(() -> signed(TestTokens.header(), claims("sub", "mallory")))),
                row("the unexpired token of a disabled user", 401, "invalid_token", token(() -> disabled)),
                // Header syntax: Jetty refuses these before any of our code runs
                row("a bare CR inside a header value", 400, null,
                        () -> authorization(good + "\rX-Injected: 1").send()),
                row("a header folded onto a second line", 400, null, () -> authorization(good + "\r\n x").send()),
                row("a NUL byte in a header value", 400, null, () -> authorization("Bearer a\u0000b").send()),
                row("a space between a header name and its colon", 400, null,
                        () -> initialize().header("X-Test ", "1").send()),
                row("a request line with a space inside the method", 400, null,
                        raw("G ET /mcp HTTP/1.1\nHost: " + host() + "\nConnection: close\n", "")),
                row("a 20 KB request target", 414, null, () -> socket.request("GET", "/mcp?" + "a".repeat(20 * 1024)).send()),
                // DNS rebinding and browsers (MCP transport spec)
                row("a foreign Origin", 403, "forbidden_origin",
                        () -> initialize().header("Origin", "http://evil.example").send()),
                row("Origin: null", 403, "forbidden_origin", () -> initialize().header("Origin", "null").send()),
                row("two Origin headers, both loopback", 403, "forbidden_origin", () -> initialize()
                        .header("Origin", "http://localhost").header("Origin", "http://127.0.0.1").send()),
                row("a login from a foreign Origin", 403, "forbidden_origin", () -> auth("token", "{}")
                        .header("Origin", "http://evil.example").send()),
                row("a CORS preflight from a foreign Origin", 403, "forbidden_origin", () -> socket.request("OPTIONS", "/mcp")
                        .header("Origin", "http://evil.example").header("Access-Control-Request-Method", "POST").send()),
                row("the Host of another site", 403, "forbidden_host",
                        () -> initialize().without("Host").header("Host", "evil.example").send()),
                row("a rebound name that starts like localhost", 403, "forbidden_host", () -> initialize().without("Host")
                        .header("Host", "localhost.evil.example:" + fixture.server.port()).send()),
                row("no Host header in HTTP/1.1", 400, null, () -> initialize().without("Host").send()),
                row("a malformed Host", 400, null, () -> initialize().without("Host").header("Host", "[::1").send()),
                row("two Host headers", 400, null, () -> initialize().header("Host", "127.0.0.1").send()),
                // What the MCP servlet gets once the request is through
                row("malformed JSON", 400, null, () -> mcp("{\"jsonrpc\": oops").send()),
                row("an empty body", 400, null, () -> mcp("").send()),
                row("a JSON array", 400, null, () -> mcp("[" + RawHttp.INITIALIZE + "]").send()),
                row("a JSON scalar", 400, null, () -> mcp("42").send()),
                row("100000 nested arrays", 400, null, () -> mcp("[".repeat(100_000)).send()),
                row("an unknown JSON-RPC method in a session", 200, null, () -> mcp("{\"jsonrpc\":\"2.0\",\"id\":3,"
                        + "\"method\":\"admin/shutdown\"}").header("Mcp-Session-Id", session).send()),
                row("a JSON-RPC response to a request the server never sent", 400, null,
                        () -> mcp("{\"jsonrpc\":\"2.0\",\"id\":99,\"result\":{}}").header("Mcp-Session-Id", session).send()),
                row("tools/call with params that are a string (the SDK ends the stream without an answer)", 200, null,
                        () -> mcp("{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"tools/call\",\"params\":\"x\"}")
                                .header("Mcp-Session-Id", session).send()),
                row("tools/list without a session id", 400, null, () -> mcp(TOOLS_LIST).send()),
                row("an unknown session id", 404, null,
                        () -> mcp(TOOLS_LIST).header("Mcp-Session-Id", "no-such-session").send()),
                row("the session id of another user", 404, null,
                        () -> mcp(TOOLS_LIST).header("Mcp-Session-Id", alicesSession).send()),
                row("GET /mcp without a session id", 400, null, () -> socket.request("GET", "/mcp")
                        .header("Accept", "text/event-stream").header("Authorization", good).send()),
                row("DELETE of an unknown session", 404, null, () -> socket.request("DELETE", "/mcp")
                        .header("Authorization", good).header("Mcp-Session-Id", "no-such-session").send()),
                row("Content-Type: text/plain", 415, null, () -> initialize().without("Content-Type")
                        .header("Content-Type", "text/plain").send()),
                row("no Accept header", 400, null, () -> initialize().without("Accept").send()),
                row("a 10 MB body (over the 1 MiB limit)", 413, "payload_too_large", () -> mcp("{\"jsonrpc\":\"2.0\","
                        + "\"id\":4,\"method\":\"ping\",\"params\":{\"pad\":\"" + "x".repeat(10 * 1024 * 1024) + "\"}}")
                        .header("Mcp-Session-Id", session).send()),
                // Request smuggling shapes
                row("Content-Length and Transfer-Encoding together", 400, null, raw("POST /mcp HTTP/1.1\nHost: "
                        + host() + "\nAuthorization: " + good + "\nContent-Length: 4\nTransfer-Encoding: chunked\n",
                        "0\r\n\r\n")),
                row("two different Content-Lengths", 400, null, raw("POST /mcp HTTP/1.1\nHost: " + host()
                        + "\nAuthorization: " + good + "\nContent-Length: 2\nContent-Length: 3\n", "{}}")),
                row("a chunk size that is not hex", 400, null, raw("POST /mcp HTTP/1.1\nHost: " + host()
                        + "\nAuthorization: " + good + "\nContent-Type: application/json\nTransfer-Encoding: chunked\n",
                        "zz\r\n{}\r\n0\r\n\r\n")),
                row("a negative Content-Length", 400, null, raw("POST /mcp HTTP/1.1\nHost: " + host()
                        + "\nAuthorization: " + good + "\nContent-Length: -1\n", "")),
                row("a Content-Length that is not a number", 400, null, raw("POST /mcp HTTP/1.1\nHost: "
                        + host() + "\nAuthorization: " + good + "\nContent-Length: 1e3\n", "")),
                // Paths and methods
                row("an unknown path", 404, "not_found", () -> socket.request("GET", "/admin").send()),
                row("POST to /MCP in upper case", 404, "not_found",
                        () -> socket.request("POST", "/MCP").body(RawHttp.INITIALIZE).send()),
                row("a path that climbs out with /../", 400, null,
                        () -> socket.request("GET", "/mcp/../../etc/passwd").send()),
                row("/mcp percent-encoded, without a credential", 401, "unauthorized",
                        () -> mcp("POST", "/%6Dcp", RawHttp.INITIALIZE).without("Authorization").send()),
                row("/mcp with a path parameter, without a credential", 401, "unauthorized",
                        () -> mcp("POST", "/mcp;x=1", RawHttp.INITIALIZE).without("Authorization").send()),
                row("PUT /mcp", 405, "method_not_allowed", () -> mcp("PUT", "/mcp", RawHttp.INITIALIZE).send()),
                row("PATCH /mcp", 405, "method_not_allowed", () -> mcp("PATCH", "/mcp", RawHttp.INITIALIZE).send()),
                row("a made-up method", 405, "method_not_allowed", () -> mcp("BREW", "/mcp", RawHttp.INITIALIZE).send()),
                row("OPTIONS /mcp", 405, "method_not_allowed", () -> socket.request("OPTIONS", "/mcp").send()),
                row("TRACE /mcp with a token, which must not be echoed", 405, "method_not_allowed",
                        () -> socket.request("TRACE", "/mcp").header("Authorization", good).send()),
                row("PATCH on an unknown path", 404, null, () -> socket.request("PATCH", "/admin").body("{}").send()),
                // The login endpoints (docs/design.md#status-codes)
                row("/auth/token: 8000 nested arrays, within the 8 KB limit", 400, "invalid_request",
                        () -> auth("token", "{\"username\":" + "[".repeat(8000)).send()),
                row("/auth/token: a 10 MB body", 413, "invalid_request", () -> auth("token", "{\"username\":\"bob\","
                        + "\"password\":\"" + "x".repeat(10 * 1024 * 1024) + "\"}").send()),
                row("/auth/token: Content-Type text/plain", 415, "invalid_request", () -> auth("token", "{}")
                        .without("Content-Type").header("Content-Type", "text/plain").send()),
                row("/auth/token: GET", 405, "method_not_allowed", () -> socket.request("GET", "/auth/token").send()),
                row("/auth/token: TRACE with a token, which must not be echoed", 405, "method_not_allowed",
                        () -> socket.request("TRACE", "/auth/token").header("Authorization", good).send()),
                row("/auth/token: malformed JSON", 400, "invalid_request", () -> auth("token", "{\"username\":").send()),
                row("/auth/token: no password", 400, "invalid_request",
                        () -> auth("token", "{\"username\":\"bob\"}").send()),
                row("/auth/token: a username that is a number", 400, "invalid_request",
                        () -> auth("token", "{\"username\":42,\"password\":\"x\"}").send()),
                row("/auth/token: a password that is an object", 400, "invalid_request",
                        () -> auth("token", "{\"username\":\"bob\",\"password\":{\"$ne\":null}}").send()),
                row("/auth/token: a wrong password", 400, "invalid_grant", () -> auth("token", "{\"username\":\"bob\","
                        + "\"password\":\"" + fixture.users.password("alice") + "\"}").send()),
                row("/auth/token: an unknown user", 400, "invalid_grant", () -> auth("token", "{\"username\":\"mallory\","
                        + "\"password\":\"" + fixture.users.password("bob") + "\"}").send()),
                row("/auth/refresh: a garbage refresh token", 400, "invalid_grant",
                        () -> auth("refresh", "{\"refresh_token\":\"garbage\"}").send()),
                row("/auth/refresh: an access token as refresh token", 400, "invalid_grant",
                        () -> auth("refresh", "{\"refresh_token\":\"" + bob.accessToken() + "\"}").send()),
                row("/auth/refresh: 1600 nested objects, within the 8 KB limit", 400, "invalid_request",
                        () -> auth("refresh", "{\"a\":".repeat(1600)).send()),
                row("/auth/revoke: a JSON array", 400, "invalid_request", () -> auth("revoke", "[]").send()));
    }

    @ParameterizedTest(name = "{index}: {0} -> {1} {2}")
    @MethodSource("attacks")
    @DisplayName("a hostile request gets its pinned status, no 5xx, no trace, key or token in the answer, and a good request passes right after")
    void attack(String name, int status, String error, Attack attack) throws Exception {
        RawSocket.Response response = attack.send();
        assertThat(response.status()).as(response.toString()).isLessThan(500).isEqualTo(status);
        if (error != null) {
            assertThat(response.body()).as(response.toString()).contains("\"error\":\"" + error + "\"");
        }
        assertThat(response.body()).as(response.toString()).doesNotContain(LEAKS).doesNotContain(secrets);
        assertThat(response.head()).doesNotContain(secrets);

        RawSocket.Response next = initialize().send();
        assertThat(next.status()).as(next.toString()).isEqualTo(200);
        assertThat(next.body()).contains("\"serverInfo\"");
    }
}
