package workshop.orders;

import static org.assertj.core.api.Assertions.assertThat;

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
import workshop.orders.server.OrdersServer;
import workshop.orders.support.AuthTestServer;
import workshop.orders.support.RawHttp;
import workshop.orders.support.RawSocket;
import workshop.orders.support.TestTokens;

/**
 * Hostile requests over a raw socket ({@link RawSocket}), on the server with your JwtAuthFilter and the login
 * endpoints, and tokens the test signs. Each row starts with the task it grades: the credential and the session
 * of another user need 02.3, the bad tokens 02.2 too, the wrong passwords 02.4 and the bad refresh tokens 02.5;
 * the rows marked 02.0 (header syntax, Origin and Host, the MCP servlet, framing, paths and methods, malformed
 * requests to /auth/*) already pass. Every row also checks that the answer holds no trace, key, password or
 * token and that a good request passes right after.
 */
@DisplayName("Hostile requests over a raw socket: each gets its status, no 5xx or leak; the server still serves")
class AttackMatrixTest {

    /** What a response body must never contain: traces, class and package names. */
    private static final List<String> LEAKS = List.of("Exception", "\tat ", "at java.", "at org.", "at io.",
            "workshop.", "jakarta.");
    private static final String TOOLS_LIST = "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\"}";

    private static AuthTestServer fixture;
    private static RawSocket socket;
    /** bob's access token, signed by the test: the rows do not wait for TokenService.issue (02.1). */
    private static String bobsToken;
    private static String bobsRefreshToken;
    private static String good;
    private static String session;
    private static String alicesSession;
    /** The key, the passwords and every token of this test: none may appear in an answer. */
    private static final List<String> secrets = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        fixture = AuthTestServer.start();
        socket = new RawSocket(fixture.server.port());
        bobsToken = tokenOf("bob");
        bobsRefreshToken = fixture.refreshTokens.issue("bob");
        good = "Bearer " + bobsToken;
        String alicesToken = tokenOf("alice");
        secrets.addAll(List.of(fixture.privateKeyText(), bobsToken, bobsRefreshToken, alicesToken));
        for (String user : List.of("alice", "bob", "carol")) {
            secrets.add(fixture.users.password(user));
        }
        session = openSessionOrNone(good);
        alicesSession = openSessionOrNone("Bearer " + alicesToken);
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
        return mcp("POST", OrdersServer.MCP_PATH, body);
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

    /**
     * A login's access token or, while 02.1 and 02.4 are not done, a token the test signs with the server's key:
     * the rows test the filter, and must run whatever state the login is in.
     */
    private static String tokenOf(String user) throws Exception {
        try {
            return fixture.token(user);
        } catch (Exception | AssertionError notYet) {
            return TestTokens.sign(TestTokens.header(), TestTokens.claimsFor(user, java.time.Instant.now()),
                    fixture.keys);
        }
    }

    /**
     * A session opened with this credential or, while the task that lets it in is not done, an id no session
     * has: every row still runs and reports its own result, rather than the whole matrix failing in its fixture.
     */
    private static String openSessionOrNone(String authorization) {
        try {
            return openSession(authorization);
        } catch (Exception | AssertionError notYet) {
            return "no-session-opened-" + java.util.UUID.randomUUID();
        }
    }

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
        return TestTokens.sign(header, claims, fixture.keys);
    }

    private static Map<String, Object> header(String name, Object value) {
        Map<String, Object> header = TestTokens.header();
        header.put(name, value);
        return header;
    }

    /** bob's good claims with one changed (null: removed). */
    private static Map<String, Object> claims(String name, Object value) {
        Map<String, Object> claims = TestTokens.claims(fixture.clock.instant());
        if (value == null) {
            claims.remove(name);
        } else {
            claims.put(name, value);
        }
        return claims;
    }

    private static long now(Duration plus) {
        return fixture.clock.instant().plus(plus).getEpochSecond();
    }

    static Stream<Arguments> attacks() {
        return Stream.of(
                // The credential (docs/design.md#status-codes)
                row("02.3 no Authorization header", 401, "unauthorized",
                        () -> initialize().without("Authorization").send()),
                row("02.3 an empty Authorization header", 401, "unauthorized", () -> authorization("").send()),
                row("02.3 Basic credentials", 401, "unauthorized", () -> authorization("Basic Ym9iOmJvYg==").send()),
                row("02.3 'Bearer' with no token", 400, "invalid_request", () -> authorization("Bearer").send()),
                row("02.3 two Authorization headers, both good", 400, "invalid_request",
                        () -> initialize().header("Authorization", good).send()),
                row("02.3 a 10 KB token", 401, "invalid_token",
                        () -> authorization("Bearer " + "a".repeat(10 * 1024)).send()),
                row("02.0 a 20 KB header", 431, null, () -> authorization("Bearer " + "a".repeat(20 * 1024)).send()),
                row("02.0 a 64 KB header", 431, null, () -> authorization("Bearer " + "a".repeat(64 * 1024)).send()),
                row("02.3 non-ASCII bytes in the token", 401, "invalid_token",
                        () -> authorization("Bearer ey\u00c3\u00a9.\u00ff.x").send()),
                // Bad access tokens (docs/design.md#tokens)
                row("02.2-02.3 together: alg none, no signature", 401, "invalid_token",
                        token(() -> signed(header("alg", "none"), claims("sub", "bob")))),
                row("02.2-02.3 together: alg HS256 keyed with the server's public key", 401, "invalid_token",
                        token(() -> signed(header("alg", "HS256"), claims("sub", "bob")))),
                row("02.2-02.3 together: a forged signature (payload changed to alice)", 401, "invalid_token", token(() -> {
                    String[] parts = bobsToken.split("\\.");
                    String payload = TestTokens.decode(parts[1]).replace("\"bob\"", "\"alice\"");
                    return parts[0] + "." + TestTokens.encode(payload) + "." + parts[2];
                })),
                row("02.2-02.3 together: signed with another key", 401, "invalid_token",
                        token(() -> TestTokens.sign(TestTokens.header(), claims("sub", "bob"), TestTokens.newKeyPair()))),
                row("02.2-02.3 together: expired", 401, "invalid_token", token(() -> signed(TestTokens.header(),
                        claims("exp", now(Duration.ofMinutes(-5)))))),
                row("02.2-02.3 together: nbf in the future", 401, "invalid_token",
                        token(() -> signed(TestTokens.header(), claims("nbf", now(Duration.ofMinutes(5)))))),
                row("02.2-02.3 together: another issuer", 401, "invalid_token",
                        token(() -> signed(TestTokens.header(), claims("iss", "https://evil.example")))),
                row("02.2-02.3 together: another audience", 401, "invalid_token",
                        token(() -> signed(TestTokens.header(), claims("aud", "another-mcp-server")))),
                row("02.2-02.3 together: typ JWT, not at+jwt", 401, "invalid_token",
                        token(() -> signed(header("typ", "JWT"), claims("sub", "bob")))),
                row("02.2-02.3 together: no exp", 401, "invalid_token",
                        token(() -> signed(TestTokens.header(), claims("exp", null)))),
                row("02.2-02.3 together: exp as a string", 401, "invalid_token",
                        token(() -> signed(TestTokens.header(), claims("exp", "tomorrow")))),
                row("02.2-02.3 together: name as a number", 401, "invalid_token",
                        token(() -> signed(TestTokens.header(), claims("name", 42)))),
                row("02.2-02.3 together: two segments", 401, "invalid_token",
                        token(() -> bobsToken.substring(0, bobsToken.lastIndexOf('.')))),
                row("02.2-02.3 together: four segments", 401, "invalid_token", token(() -> bobsToken + ".e30")),
                row("02.3 garbage", 401, "invalid_token", token(() -> "*!*.{not-base64}.%%%")),
                row("02.2-02.3 together: exp ten years after iat, signed with the right key", 401, "invalid_token",
                        token(() -> signed(TestTokens.header(), claims("exp", now(Duration.ofDays(3650)))))),
                row("02.2-02.3 together: iat a day in the future, signed with the right key", 401, "invalid_token",
                        token(() -> signed(TestTokens.header(), claims("iat", now(Duration.ofDays(1)))))),
                row("02.2-02.3 together: an empty crit header, signed with the right key", 401, "invalid_token",
                        token(() -> signed(header("crit", List.of()), claims("sub", "bob")))),
                row("02.3 a refresh token as access token", 401, "invalid_token", token(() -> bobsRefreshToken)),
                // Header syntax: Jetty refuses these before any of our code runs
                row("02.0 a bare CR inside a header value", 400, null,
                        () -> authorization(good + "\rX-Injected: 1").send()),
                row("02.0 a header folded onto a second line", 400, null, () -> authorization(good + "\r\n x").send()),
                row("02.0 a NUL byte in a header value", 400, null, () -> authorization("Bearer a\u0000b").send()),
                row("02.0 a space between a header name and its colon", 400, null,
                        () -> initialize().header("X-Test ", "1").send()),
                row("02.0 a request line with a space inside the method", 400, null,
                        raw("G ET /mcp HTTP/1.1\nHost: " + host() + "\nConnection: close\n", "")),
                row("02.0 a 20 KB request target", 414, null,
                        () -> socket.request("GET", "/mcp?" + "a".repeat(20 * 1024)).send()),
                // DNS rebinding and browsers (MCP transport spec)
                row("02.0 a foreign Origin", 403, "forbidden_origin",
                        () -> initialize().header("Origin", "http://evil.example").send()),
                row("02.0 Origin: null", 403, "forbidden_origin", () -> initialize().header("Origin", "null").send()),
                row("02.0 two Origin headers, both loopback", 403, "forbidden_origin", () -> initialize()
                        .header("Origin", "http://localhost").header("Origin", "http://127.0.0.1").send()),
                row("02.0 a login from a foreign Origin", 403, "forbidden_origin", () -> auth("token", "{}")
                        .header("Origin", "http://evil.example").send()),
                row("02.0 a CORS preflight from a foreign Origin", 403, "forbidden_origin",
                        () -> socket.request("OPTIONS", "/mcp")
                        .header("Origin", "http://evil.example").header("Access-Control-Request-Method", "POST").send()),
                row("02.0 the Host of another site", 403, "forbidden_host",
                        () -> initialize().without("Host").header("Host", "evil.example").send()),
                row("02.0 a rebound name that starts like localhost", 403, "forbidden_host",
                        () -> initialize().without("Host")
                        .header("Host", "localhost.evil.example:" + fixture.server.port()).send()),
                row("02.0 no Host header in HTTP/1.1", 400, null, () -> initialize().without("Host").send()),
                row("02.0 a malformed Host", 400, null,
                        () -> initialize().without("Host").header("Host", "[::1").send()),
                row("02.0 two Host headers", 400, null, () -> initialize().header("Host", "127.0.0.1").send()),
                // What the MCP servlet gets once the request is through
                row("02.0 malformed JSON", 400, null, () -> mcp("{\"jsonrpc\": oops").send()),
                row("02.0 an empty body", 400, null, () -> mcp("").send()),
                row("02.0 a JSON array", 400, null, () -> mcp("[" + RawHttp.INITIALIZE + "]").send()),
                row("02.0 a JSON scalar", 400, null, () -> mcp("42").send()),
                row("02.0 100000 nested arrays", 400, null, () -> mcp("[".repeat(100_000)).send()),
                row("02.0 an unknown JSON-RPC method in a session", 200, null,
                        () -> mcp("{\"jsonrpc\":\"2.0\",\"id\":3,"
                        + "\"method\":\"admin/shutdown\"}").header("Mcp-Session-Id", session).send()),
                row("02.0 a JSON-RPC response to a request the server never sent", 400, null,
                        () -> mcp("{\"jsonrpc\":\"2.0\",\"id\":99,\"result\":{}}").header("Mcp-Session-Id", session).send()),
                row("02.0 tools/call with params that are a string (the SDK ends the stream, no answer)", 200, null,
                        () -> mcp("{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"tools/call\",\"params\":\"x\"}")
                                .header("Mcp-Session-Id", session).send()),
                row("02.0 tools/list without a session id", 400, null, () -> mcp(TOOLS_LIST).send()),
                row("02.0 an unknown session id", 404, null,
                        () -> mcp(TOOLS_LIST).header("Mcp-Session-Id", "no-such-session").send()),
                row("02.3 the session id of another user", 404, null,
                        () -> mcp(TOOLS_LIST).header("Mcp-Session-Id", alicesSession).send()),
                row("02.0 GET /mcp without a session id", 400, null, () -> socket.request("GET", "/mcp")
                        .header("Accept", "text/event-stream").header("Authorization", good).send()),
                row("02.0 DELETE of an unknown session", 404, null, () -> socket.request("DELETE", "/mcp")
                        .header("Authorization", good).header("Mcp-Session-Id", "no-such-session").send()),
                row("02.0 Content-Type: text/plain", 415, null, () -> initialize().without("Content-Type")
                        .header("Content-Type", "text/plain").send()),
                row("02.0 no Accept header", 400, null, () -> initialize().without("Accept").send()),
                row("02.0 a 10 MB body (over the 1 MiB limit)", 413, "payload_too_large",
                        () -> mcp("{\"jsonrpc\":\"2.0\","
                        + "\"id\":4,\"method\":\"ping\",\"params\":{\"pad\":\"" + "x".repeat(10 * 1024 * 1024) + "\"}}")
                        .header("Mcp-Session-Id", session).send()),
                // Request smuggling shapes
                row("02.0 Content-Length and Transfer-Encoding together", 400, null, raw("POST /mcp HTTP/1.1\nHost: "
                        + host() + "\nAuthorization: " + good + "\nContent-Length: 4\nTransfer-Encoding: chunked\n",
                        "0\r\n\r\n")),
                row("02.0 two different Content-Lengths", 400, null, raw("POST /mcp HTTP/1.1\nHost: " + host()
                        + "\nAuthorization: " + good + "\nContent-Length: 2\nContent-Length: 3\n", "{}}")),
                row("02.0 a chunk size that is not hex", 400, null, raw("POST /mcp HTTP/1.1\nHost: " + host()
                        + "\nAuthorization: " + good + "\nContent-Type: application/json\nTransfer-Encoding: chunked\n",
                        "zz\r\n{}\r\n0\r\n\r\n")),
                row("02.0 a negative Content-Length", 400, null, raw("POST /mcp HTTP/1.1\nHost: " + host()
                        + "\nAuthorization: " + good + "\nContent-Length: -1\n", "")),
                row("02.0 a Content-Length that is not a number", 400, null, raw("POST /mcp HTTP/1.1\nHost: "
                        + host() + "\nAuthorization: " + good + "\nContent-Length: 1e3\n", "")),
                // Paths and methods
                row("02.0 an unknown path", 404, "not_found", () -> socket.request("GET", "/admin").send()),
                row("02.0 POST to /MCP in upper case", 404, "not_found",
                        () -> socket.request("POST", "/MCP").body(RawHttp.INITIALIZE).send()),
                row("02.0 a path that climbs out with /../", 400, null,
                        () -> socket.request("GET", "/mcp/../../etc/passwd").send()),
                row("02.3 /mcp percent-encoded, without a credential", 401, "unauthorized",
                        () -> mcp("POST", "/%6Dcp", RawHttp.INITIALIZE).without("Authorization").send()),
                row("02.3 /mcp with a path parameter, without a credential", 401, "unauthorized",
                        () -> mcp("POST", "/mcp;x=1", RawHttp.INITIALIZE).without("Authorization").send()),
                row("02.0 PUT /mcp", 405, "method_not_allowed", () -> mcp("PUT", "/mcp", RawHttp.INITIALIZE).send()),
                row("02.0 PATCH /mcp", 405, "method_not_allowed",
                        () -> mcp("PATCH", "/mcp", RawHttp.INITIALIZE).send()),
                row("02.0 a made-up method", 405, "method_not_allowed",
                        () -> mcp("BREW", "/mcp", RawHttp.INITIALIZE).send()),
                row("02.0 OPTIONS /mcp", 405, "method_not_allowed", () -> socket.request("OPTIONS", "/mcp").send()),
                row("02.0 TRACE /mcp with a token, which must not be echoed", 405, "method_not_allowed",
                        () -> socket.request("TRACE", "/mcp").header("Authorization", good).send()),
                row("02.0 PATCH on an unknown path", 404, null,
                        () -> socket.request("PATCH", "/admin").body("{}").send()),
                // The login endpoints (docs/design.md#status-codes)
                row("02.0 /auth/token: 8000 nested arrays, within the 8 KB limit", 400, "invalid_request",
                        () -> auth("token", "{\"username\":" + "[".repeat(8000)).send()),
                row("02.0 /auth/token: a 10 MB body", 413, "invalid_request",
                        () -> auth("token", "{\"username\":\"bob\","
                        + "\"password\":\"" + "x".repeat(10 * 1024 * 1024) + "\"}").send()),
                row("02.0 /auth/token: Content-Type text/plain", 415, "invalid_request", () -> auth("token", "{}")
                        .without("Content-Type").header("Content-Type", "text/plain").send()),
                row("02.0 /auth/token: GET", 405, "method_not_allowed",
                        () -> socket.request("GET", "/auth/token").send()),
                row("02.0 /auth/token: TRACE with a token, which must not be echoed", 405, "method_not_allowed",
                        () -> socket.request("TRACE", "/auth/token").header("Authorization", good).send()),
                row("02.0 /auth/token: malformed JSON", 400, "invalid_request",
                        () -> auth("token", "{\"username\":").send()),
                row("02.0 /auth/token: no password", 400, "invalid_request",
                        () -> auth("token", "{\"username\":\"bob\"}").send()),
                row("02.0 /auth/token: a username that is a number", 400, "invalid_request",
                        () -> auth("token", "{\"username\":42,\"password\":\"x\"}").send()),
                row("02.0 /auth/token: a password that is an object", 400, "invalid_request",
                        () -> auth("token", "{\"username\":\"bob\",\"password\":{\"$ne\":null}}").send()),
                row("02.4 /auth/token: a wrong password", 400, "invalid_grant",
                        () -> auth("token", "{\"username\":\"bob\","
                        + "\"password\":\"" + fixture.users.password("alice") + "\"}").send()),
                row("02.4 /auth/token: an unknown user", 400, "invalid_grant",
                        () -> auth("token", "{\"username\":\"mallory\","
                        + "\"password\":\"" + fixture.users.password("bob") + "\"}").send()),
                row("02.5 /auth/refresh: a garbage refresh token", 400, "invalid_grant",
                        () -> auth("refresh", "{\"refresh_token\":\"garbage\"}").send()),
                row("02.5 /auth/refresh: an access token as refresh token", 400, "invalid_grant",
                        () -> auth("refresh", "{\"refresh_token\":\"" + bobsToken + "\"}").send()),
                row("02.0 /auth/refresh: 1600 nested objects, within the 8 KB limit", 400, "invalid_request",
                        () -> auth("refresh", "{\"a\":".repeat(1600)).send()),
                row("02.0 /auth/revoke: a JSON array", 400, "invalid_request", () -> auth("revoke", "[]").send()));
    }

    @ParameterizedTest(name = "{0} -> {1} {2}")
    @MethodSource("attacks")
    @DisplayName("02.0-02.5 a hostile request gets its pinned status, no 5xx, trace, key or token; a good one passes")
    void attack(String name, int status, String error, Attack attack) throws Exception {
        RawSocket.Response response = attack.send();
        // The row's name first: the build's summary of a failure shows this description, not the row.
        String answer = name + ": the server answered " + response;
        assertThat(response.status()).as(answer).isLessThan(500).isEqualTo(status);
        if (error != null) {
            assertThat(response.body()).as(answer).contains("\"error\":\"" + error + "\"");
        }
        assertThat(response.body()).as(answer).doesNotContain(LEAKS).doesNotContain(secrets);
        assertThat(response.head()).doesNotContain(secrets);

        RawSocket.Response next = initialize().send();
        assertThat(next.status()).as(name + ": a good request right after got " + next).isEqualTo(200);
        assertThat(next.body()).contains("\"serverInfo\"");
    }
}
