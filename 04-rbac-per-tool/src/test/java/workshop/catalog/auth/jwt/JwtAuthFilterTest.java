package workshop.catalog.auth.jwt;

import static org.assertj.core.api.Assertions.assertThat;
import static workshop.catalog.support.TestTokens.header;

import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import workshop.catalog.Config;
import workshop.catalog.auth.permissions.Caller;
import workshop.catalog.auth.permissions.WhoAmI;
import workshop.catalog.server.Catalog;
import workshop.catalog.server.CatalogServer;
import workshop.catalog.server.Layers;
import workshop.catalog.support.AuthTestServer;
import workshop.catalog.support.RawHttp;
import workshop.catalog.support.TestTokens;

@DisplayName("The JWT filter in front of /mcp, over real HTTP")
class JwtAuthFilterTest {

    private static final String NOT_A_JWT = "The token is not a well-formed JWT";

    private static AuthTestServer fixture;
    private static URI mcp;
    private static String good;

    @BeforeAll
    static void start() throws Exception {
        fixture = AuthTestServer.start();
        mcp = fixture.mcp;
        good = "Bearer " + fixture.login("bob").accessToken();
    }

    @AfterAll
    static void stop() throws Exception {
        fixture.close();
    }

    /** Every refusal below is paired with this: the same server accepts a good access token. */
    private static void assertAGoodTokenIsAccepted() throws Exception {
        HttpResponse<String> response = RawHttp.initialize(mcp, "Authorization", good);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Mcp-Session-Id")).isPresent();
        assertThat(response.body()).contains("\"serverInfo\"");
    }

    private static void assertRefused(HttpResponse<String> response, int status, String challenge, String error) {
        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(RawHttp.challenge(response)).isEqualTo(challenge);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        assertThat(response.body()).contains("\"error\":\"" + error + "\"").doesNotContain(fixture.secret);
    }

    private static String invalidToken(String description) {
        return "Bearer realm=\"mcp\", error=\"invalid_token\", error_description=\"" + description + "\"";
    }

    @Test
    @DisplayName("a good access token opens an MCP session (200 and a session id)")
    void goodTokenIsAccepted() throws Exception {
        assertAGoodTokenIsAccepted();
    }

    @Test
    @DisplayName("the scheme name is case-insensitive: 'bearer <token>' is accepted")
    void schemeIsCaseInsensitive() throws Exception {
        assertThat(RawHttp.initialize(mcp, "Authorization", "bearer " + good.substring(7)).statusCode()).isEqualTo(200);
    }

    @Test
    @DisplayName("no Authorization header gets 401 with a bare Bearer challenge (no error code)")
    void missingHeader() throws Exception {
        assertRefused(RawHttp.initialize(mcp), 401, "Bearer realm=\"mcp\"", "unauthorized");
        assertAGoodTokenIsAccepted();
    }

    @Test
    @DisplayName("an empty Authorization header gets 401 with a bare Bearer challenge")
    void emptyHeader() throws Exception {
        assertRefused(RawHttp.initialize(mcp, "Authorization", ""), 401, "Bearer realm=\"mcp\"", "unauthorized");
        assertAGoodTokenIsAccepted();
    }

    @Test
    @DisplayName("another scheme ('Basic ...', even with a good token in it) gets 401 with a bare Bearer challenge")
    void otherScheme() throws Exception {
        assertRefused(RawHttp.initialize(mcp, "Authorization", "Basic " + good.substring(7)), 401,
                "Bearer realm=\"mcp\"", "unauthorized");
        assertRefused(RawHttp.initialize(mcp, "Authorization", good.substring(7)), 401, "Bearer realm=\"mcp\"",
                "unauthorized");
        assertAGoodTokenIsAccepted();
    }

    @Test
    @DisplayName("'Bearer' with no token gets 400 invalid_request")
    void bearerWithoutToken() throws Exception {
        String challenge = "Bearer realm=\"mcp\", error=\"invalid_request\", "
                + "error_description=\"Bearer scheme without a token\"";
        assertRefused(RawHttp.initialize(mcp, "Authorization", "Bearer"), 400, challenge, "invalid_request");
        assertRefused(RawHttp.initialize(mcp, "Authorization", "Bearer    "), 400, challenge, "invalid_request");
        assertAGoodTokenIsAccepted();
    }

    @Test
    @DisplayName("two Authorization headers get 400 invalid_request, even when both carry a good token")
    void twoHeaders() throws Exception {
        HttpResponse<String> response = RawHttp.initialize(mcp, "Authorization", good, "Authorization", good);
        assertRefused(response, 400, "Bearer realm=\"mcp\", error=\"invalid_request\", "
                + "error_description=\"More than one Authorization header\"", "invalid_request");
        assertAGoodTokenIsAccepted();
    }

    @Test
    @DisplayName("a random string as token gets 401 invalid_token")
    void randomToken() throws Exception {
        assertRefused(RawHttp.initialize(mcp, "Authorization", "Bearer not-a-token"), 401, invalidToken(NOT_A_JWT),
                "invalid_token");
        assertAGoodTokenIsAccepted();
    }

    @Test
    @DisplayName("near misses of a good token (prefix, extra character, other case) get 401, also right after a good request")
    void nearMisses() throws Exception {
        // The good request first: Jetty's per-connection header cache once let a case variant of a
        // header it had just seen pass as that header (see CatalogServer).
        assertAGoodTokenIsAccepted();
        String token = good.substring(7);
        for (String guess : List.of(token.substring(0, token.length() - 1), token + "x", token.toUpperCase(),
                token.toLowerCase())) {
            if (!guess.equals(token)) {
                HttpResponse<String> response = RawHttp.initialize(mcp, "Authorization", "Bearer " + guess);
                assertThat(response.statusCode()).as(guess).isEqualTo(401);
            }
        }
        assertAGoodTokenIsAccepted();
    }

    @Test
    @DisplayName("a 10 KB token gets 401 invalid_token, not a 500")
    void tenKilobyteToken() throws Exception {
        assertRefused(RawHttp.initialize(mcp, "Authorization", "Bearer " + "a".repeat(10 * 1024)), 401,
                invalidToken(NOT_A_JWT), "invalid_token");
        assertAGoodTokenIsAccepted();
    }

    @Test
    @DisplayName("a header block over 16 KB gets 431 from Jetty, not a 500, with no stack trace")
    void oversizedHeader() throws Exception {
        HttpResponse<String> response = RawHttp.initialize(mcp, "Authorization", "Bearer " + "a".repeat(20 * 1024));
        assertThat(response.statusCode()).isEqualTo(431);
        assertThat(response.body()).doesNotContain("Exception", "\tat ");
        assertAGoodTokenIsAccepted();
    }

    @Test
    @DisplayName("a non-ASCII token gets 401 invalid_token, not a 500")
    void nonAsciiToken() throws Exception {
        assertRefused(RawHttp.initialize(mcp, "Authorization", "Bearer s\u00e9cr\u00e9t-\u00fc\u00f1\u00ee"), 401,
                invalidToken(NOT_A_JWT), "invalid_token");
        assertAGoodTokenIsAccepted();
    }

    /** A way to make a token from the fixture's key and clock. */
    interface TokenMaker {
        String make() throws Exception;
    }

    private static Arguments bad(String name, TokenMaker token, String description) {
        return Arguments.of(name, token, description);
    }

    private static String signed(Map<String, Object> header, Map<String, Object> claims) throws Exception {
        return TestTokens.sign(header, claims, fixture.secret);
    }

    private static Map<String, Object> claims(String name, Object value) {
        return TestTokens.with(TestTokens.claims(fixture.clock.instant()), name, value);
    }

    private static Instant now() {
        return fixture.clock.instant();
    }

    static Stream<Arguments> badTokens() {
        String mustBeHs256 = "The token must be a JWT signed with HS256";
        String badSignature = "The token signature is not valid";
        String notAccessToken = "The token is not an access token (typ must be at+jwt)";
        return Stream.of(
                bad("header alg: none, no signature", () -> signed(header("alg", "none"), claims("sub", "bob")),
                        mustBeHs256),
                bad("header alg: HS384, signed with HS384 and the right key",
                        () -> signed(header("alg", "HS384"), claims("sub", "bob")), mustBeHs256),
                bad("header alg: HS512, signed with HS512 and the right key",
                        () -> signed(header("alg", "HS512"), claims("sub", "bob")), mustBeHs256),
                bad("header alg: RS256", () -> {
                    String[] parts = signed(TestTokens.header(), claims("sub", "bob")).split("\\.");
                    return TestTokens.encode("{\"alg\":\"RS256\",\"typ\":\"at+jwt\"}") + "." + parts[1] + "." + parts[2];
                }, mustBeHs256),
                bad("signed with another key", () -> TestTokens.sign(TestTokens.header(), claims("sub", "bob"),
                        Config.randomSecret()), badSignature),
                bad("payload changed after signing (sub: alice)", () -> {
                    String[] parts = signed(TestTokens.header(), claims("sub", "bob")).split("\\.");
                    String payload = TestTokens.decode(parts[1]).replace("\"bob\"", "\"alice\"");
                    return parts[0] + "." + TestTokens.encode(payload) + "." + parts[2];
                }, badSignature),
                bad("signature cut short", () -> {
                    String token = signed(TestTokens.header(), claims("sub", "bob"));
                    return token.substring(0, token.length() - 8);
                }, badSignature),
                bad("token cut after the header", () -> signed(TestTokens.header(), claims("sub", "bob")).split("\\.")[0],
                        NOT_A_JWT),
                bad("parts that are not base64url", () -> "*!*.{not-base64}.%%%", NOT_A_JWT),
                bad("header that is not JSON", () -> TestTokens.encode("alg=HS256") + "."
                        + TestTokens.encode("{}") + ".c2ln", NOT_A_JWT),
                bad("no exp claim", () -> signed(TestTokens.header(), claims("exp", null)),
                        "The token has no expiry time"),
                bad("exp in the past (beyond the 30 s skew)", () -> signed(TestTokens.header(),
                        claims("exp", now().minusSeconds(31).getEpochSecond())), "The access token expired"),
                bad("exp that is not a number", () -> signed(TestTokens.header(), claims("exp", "tomorrow")),
                        NOT_A_JWT),
                bad("exp written as a date string", () -> signed(TestTokens.header(),
                        claims("exp", now().plus(Duration.ofMinutes(5)).toString())), "The token's exp claim is not a number"),
                bad("nbf in the future (beyond the 30 s skew)", () -> signed(TestTokens.header(),
                        claims("nbf", now().plus(Duration.ofMinutes(5)).getEpochSecond())),
                        "The access token is not valid yet"),
                bad("another issuer", () -> signed(TestTokens.header(), claims("iss", "https://evil.example")),
                        "The token was not issued by this server"),
                bad("no issuer", () -> signed(TestTokens.header(), claims("iss", null)),
                        "The token was not issued by this server"),
                bad("another audience", () -> signed(TestTokens.header(), claims("aud", "another-mcp-server")),
                        "The token is meant for another audience"),
                bad("no audience", () -> signed(TestTokens.header(), claims("aud", null)),
                        "The token is meant for another audience"),
                bad("typ: JWT (not an access token)", () -> signed(header("typ", "JWT"), claims("sub", "bob")),
                        notAccessToken),
                bad("no typ", () -> signed(header("typ", null), claims("sub", "bob")), notAccessToken),
                bad("no subject", () -> signed(TestTokens.header(), claims("sub", null)), "The token has no subject"),
                bad("a name claim that is not a string", () -> signed(TestTokens.header(), claims("name", 42)),
                        "The token's name claim is not a string"),
                bad("a refresh token sent as access token", () -> fixture.login("alice").refreshToken(), NOT_A_JWT));
    }

    @ParameterizedTest(name = "{0}: 401 invalid_token")
    @MethodSource("badTokens")
    @DisplayName("a bad access token gets 401 invalid_token, with a description that says why")
    void badTokenMatrix(String name, TokenMaker maker, String description) throws Exception {
        assertThat(description).doesNotContain("\"", "\\");
        HttpResponse<String> response = RawHttp.initialize(mcp, "Authorization", "Bearer " + maker.make());
        assertRefused(response, 401, invalidToken(description), "invalid_token");
        assertThat(response.body()).contains("\"error_description\":\"" + description + "\"");
        assertAGoodTokenIsAccepted();
    }

    @Test
    @DisplayName("a token signed by hand like the server does is accepted: the matrix above fails for its one flaw only")
    void handMadeGoodTokenIsAccepted() throws Exception {
        String token = TestTokens.sign(TestTokens.header(), TestTokens.claims(now()), fixture.secret);
        assertThat(fixture.initialize(token).statusCode()).isEqualTo(200);
        String lateButWithinSkew = TestTokens.sign(TestTokens.header(),
                claims("exp", now().minusSeconds(20).getEpochSecond()), fixture.secret);
        assertThat(fixture.initialize(lateButWithinSkew).statusCode()).isEqualTo(200);
        String typeInMediaTypeForm = TestTokens.sign(header("typ", "application/at+jwt"), claims("sub", "bob"),
                fixture.secret);
        assertThat(fixture.initialize(typeInMediaTypeForm).statusCode()).isEqualTo(200);
    }

    @Test
    @DisplayName("a good token stops working once the clock passes its expiry, and says it expired")
    void tokenExpires() throws Exception {
        try (AuthTestServer own = AuthTestServer.start()) {
            String token = own.login("bob").accessToken();
            own.clock.advance(TokenService.DEFAULT_LIFETIME);
            assertThat(own.initialize(token).statusCode()).isEqualTo(200);
            own.clock.advance(Duration.ofSeconds(TokenService.CLOCK_SKEW_SECONDS + 1));
            HttpResponse<String> expired = own.initialize(token);
            assertThat(expired.statusCode()).isEqualTo(401);
            assertThat(RawHttp.challenge(expired)).isEqualTo(invalidToken("The access token expired"));
            assertThat(own.initialize(own.login("bob").accessToken()).statusCode()).isEqualTo(200);
        }
    }

    @Test
    @DisplayName("a page from a foreign Origin is refused with 403 even with a good token, on /mcp and /auth/*")
    void foreignOrigin() throws Exception {
        for (String origin : List.of("http://evil.example", "null", "http://localhost.evil.example:8080",
                "http://127.0.0.1.nip.io")) {
            HttpResponse<String> response = RawHttp.initialize(mcp, "Authorization", good, "Origin", origin);
            assertThat(response.statusCode()).as(origin).isEqualTo(403);
            assertThat(response.body()).contains("\"error\":\"forbidden_origin\"");
            HttpResponse<String> login = RawHttp.send("POST", mcp.resolve("/auth/token"), "application/json",
                    "{\"username\":\"bob\",\"password\":\"" + fixture.users.password("bob") + "\"}", "Origin", origin);
            assertThat(login.statusCode()).as(origin).isEqualTo(403);
        }
        for (String origin : List.of("http://localhost:6274", "http://127.0.0.1:" + fixture.server.port(),
                "http://[::1]")) {
            assertThat(RawHttp.initialize(mcp, "Authorization", good, "Origin", origin).statusCode()).as(origin)
                    .isEqualTo(200);
        }
    }

    @Test
    @DisplayName("an Origin listed in MCP_ALLOWED_ORIGINS is accepted, others still are not")
    void configuredOrigin() throws Exception {
        try (CatalogServer custom = CatalogServer.start("127.0.0.1", 0, Catalog.seeded(),
                Set.of("https://tools.example"), Layers.NONE
                .filter(new JwtAuthFilter(fixture.tokens))
                .context(Caller::transportContext)
                .tool(WhoAmI.tool()))) {
            URI endpoint = custom.endpoint();
            assertThat(RawHttp.initialize(endpoint, "Authorization", good, "Origin", "https://tools.example")
                    .statusCode()).isEqualTo(200);
            assertThat(RawHttp.initialize(endpoint, "Authorization", good, "Origin", "https://other.example")
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
        String session = RawHttp.initialize(mcp, "Authorization", good).headers().firstValue("Mcp-Session-Id").orElseThrow();
        assertSdkError(RawHttp.post(mcp, toolsList, "Authorization", good, "Mcp-Session-Id", "no-such-session"), 404,
                -32603, "Session not found");
        assertSdkError(RawHttp.post(mcp, toolsList, "Authorization", good), 400, -32601,
                "Session ID required in mcp-session-id header");
        assertSdkError(RawHttp.post(mcp, "{\"jsonrpc\": oops", "Authorization", good), 400, -32600,
                "Invalid message format");
        // Well-formed JSON that is no JSON-RPC message: neither method nor result, an object as id.
        for (String unmappable : List.of("{\"jsonrpc\":\"2.0\",\"id\":2}",
                "{\"jsonrpc\":\"2.0\",\"id\":{},\"method\":\"tools/list\"}")) {
            assertSdkError(RawHttp.post(mcp, unmappable, "Authorization", good, "Mcp-Session-Id", session), 400, -32600,
                    "Invalid message format");
        }
        // A response to a request the server never sent: the SDK answers 500, Sdk500To400Filter makes it 400.
        assertSdkError(RawHttp.post(mcp, "{\"jsonrpc\":\"2.0\",\"id\":99,\"result\":{}}", "Authorization", good,
                "Mcp-Session-Id", session), 400, -32603, "Error processing message");
        assertAGoodTokenIsAccepted();
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
