package workshop.orders.auth.jwt;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import workshop.orders.Config;
import workshop.orders.support.AuthTestServer;
import workshop.orders.support.RawHttp;
import workshop.orders.support.TestTokens;

/**
 * The JWT filter of exercise 02 over real HTTP (03.0), on a server built with the filter alone and
 * tokens the test signs itself. Each refusal is checked next to a good token on the same server, so
 * it keeps holding while the scope claim (03.5) is added to the token check.
 */
@DisplayName("The JWT filter in front of /mcp, over real HTTP")
class JwtAuthFilterTest {

    private static final String BARE_CHALLENGE = "Bearer realm=\"mcp\"";
    private static final String NOT_A_JWT = "The token is not a well-formed JWT";

    private static AuthTestServer fixture;
    private static URI mcp;
    private static String good;

    @BeforeAll
    static void start() throws Exception {
        fixture = AuthTestServer.start();
        mcp = fixture.mcp;
        good = "Bearer " + fixture.goodToken();
    }

    @AfterAll
    static void stop() throws Exception {
        fixture.close();
    }

    private static void assertAGoodTokenIsAccepted() throws Exception {
        HttpResponse<String> response = RawHttp.initialize(mcp, "Authorization", good);
        assertThat(response.statusCode()).as("a good access token must still open a session").isEqualTo(200);
        assertThat(response.headers().firstValue("Mcp-Session-Id")).isPresent();
        assertThat(response.body()).contains("\"serverInfo\"");
    }

    /** The status, exactly this challenge, and a JSON error body that echoes neither the token nor the key. */
    private static void assertRefused(HttpResponse<String> response, int status, String challenge, String error) {
        String sent = "a request with Authorization " + response.request().headers().allValues("Authorization").stream()
                .map(value -> value.length() > 40 ? value.substring(0, 40) + "...(" + value.length() + " chars)" : value)
                .toList();
        assertThat(response.statusCode()).as("HTTP status of " + sent).isEqualTo(status);
        assertThat(RawHttp.challenge(response)).as("WWW-Authenticate of " + sent).isEqualTo(challenge);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        assertThat(response.body()).contains("\"error\":\"" + error + "\"").doesNotContain(fixture.privateKeyText());
        response.request().headers().allValues("Authorization").stream()
                .filter(value -> value.length() > 20)
                .forEach(value -> assertThat(response.body()).doesNotContain(value.substring(value.indexOf(' ') + 1)));
    }

    private static String invalidToken(String description) {
        return BARE_CHALLENGE + ", error=\"invalid_token\", error_description=\"" + description + "\"";
    }

    private static String invalidRequest(String description) {
        return BARE_CHALLENGE + ", error=\"invalid_request\", error_description=\"" + description + "\"";
    }

    @Test
    @DisplayName("03.0 a request without Authorization is refused with 401 and a bare Bearer challenge")
    void given_missingHeader() throws Exception {
        assertRefused(RawHttp.initialize(mcp), 401, BARE_CHALLENGE, "unauthorized");
        assertAGoodTokenIsAccepted();
    }

    @Test
    @DisplayName("03.0 an empty Authorization header is refused with 401 and a bare Bearer challenge")
    void given_emptyHeader() throws Exception {
        assertRefused(RawHttp.initialize(mcp, "Authorization", ""), 401, BARE_CHALLENGE, "unauthorized");
        assertAGoodTokenIsAccepted();
    }

    @Test
    @DisplayName("03.0 another scheme (Basic, or none) gets 401 and a bare challenge; 'bearer' in any case is Bearer")
    void given_otherScheme() throws Exception {
        String token = good.substring("Bearer ".length());
        assertRefused(RawHttp.initialize(mcp, "Authorization", "Basic " + token), 401, BARE_CHALLENGE, "unauthorized");
        assertRefused(RawHttp.initialize(mcp, "Authorization", token), 401, BARE_CHALLENGE, "unauthorized");
        for (String scheme : List.of("bearer ", "BEARER ")) {
            assertThat(RawHttp.initialize(mcp, "Authorization", scheme + token).statusCode()).as(scheme).isEqualTo(200);
        }
        assertAGoodTokenIsAccepted();
    }

    @Test
    @DisplayName("03.0 'Bearer' with no token is refused with 400 invalid_request")
    void given_bearerWithoutToken() throws Exception {
        for (String value : List.of("Bearer", "Bearer    ")) {
            assertRefused(RawHttp.initialize(mcp, "Authorization", value), 400,
                    invalidRequest("Bearer scheme without a token"), "invalid_request");
        }
        assertAGoodTokenIsAccepted();
    }

    @Test
    @DisplayName("03.0 two Authorization headers get 400 invalid_request, even when both carry a good token")
    void given_twoHeaders() throws Exception {
        assertRefused(RawHttp.initialize(mcp, "Authorization", good, "Authorization", good), 400,
                invalidRequest("More than one Authorization header"), "invalid_request");
        assertAGoodTokenIsAccepted();
    }

    @Test
    @DisplayName("03.0 a token verify() refuses gets 401 invalid_token with verify()'s sentence as description")
    void given_refusedToken() throws Exception {
        assertRefused(RawHttp.initialize(mcp, "Authorization", "Bearer not-a-token"), 401, invalidToken(NOT_A_JWT),
                "invalid_token");
        String forged = TestTokens.sign(TestTokens.header(), TestTokens.claims(fixture.clock.instant()),
                TestTokens.newKeyPair());
        HttpResponse<String> response = RawHttp.initialize(mcp, "Authorization", "Bearer " + forged);
        assertRefused(response, 401, invalidToken("The token signature is not valid"), "invalid_token");
        assertThat(response.body()).contains("\"error_description\":\"The token signature is not valid\"");
        assertAGoodTokenIsAccepted();
    }

    @Test
    @DisplayName("03.0 an expired token gets 401 invalid_token that says so, so that a client knows to refresh")
    void given_expiredToken() throws Exception {
        Instant tenMinutesAgo = fixture.clock.instant().minus(Duration.ofMinutes(10));
        Map<String, Object> claims = TestTokens.claims(tenMinutesAgo.minus(TokenService.DEFAULT_LIFETIME));
        String expired = TestTokens.sign(TestTokens.header(), claims, fixture.keys);
        assertRefused(RawHttp.initialize(mcp, "Authorization", "Bearer " + expired), 401,
                invalidToken("The access token expired"), "invalid_token");
        assertAGoodTokenIsAccepted();
    }

    @Test
    @DisplayName("03.0 near misses of a good token (a character less or more, other case) get 401")
    void given_nearMisses() throws Exception {
        // The good request first: Jetty's per-connection header cache once let a case variant of a header
        // it had just seen pass as that header (see OrdersServer).
        assertAGoodTokenIsAccepted();
        String token = good.substring("Bearer ".length());
        for (String guess : List.of(token.substring(0, token.length() - 1), token + "x", token.toUpperCase(),
                token.toLowerCase())) {
            HttpResponse<String> response = RawHttp.initialize(mcp, "Authorization", "Bearer " + guess);
            assertThat(response.statusCode()).as(guess).isEqualTo(401);
            assertThat(RawHttp.challenge(response)).as(guess).startsWith(BARE_CHALLENGE + ", error=\"invalid_token\"");
        }
        assertAGoodTokenIsAccepted();
    }

    @Test
    @DisplayName("03.0 a 10 KB token and a non-ASCII token get 401 invalid_token, not a 500")
    void given_oddTokens() throws Exception {
        for (String odd : List.of("a".repeat(10 * 1024), "s\u00e9cr\u00e9t-\u00fc\u00f1\u00ee")) {
            assertRefused(RawHttp.initialize(mcp, "Authorization", "Bearer " + odd), 401, invalidToken(NOT_A_JWT),
                    "invalid_token");
        }
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
        return TestTokens.sign(header, claims, fixture.keys);
    }

    private static Map<String, Object> claims(String name, Object value) {
        return TestTokens.claims(now(), name, value);
    }

    private static Instant now() {
        return fixture.clock.instant();
    }

    static Stream<Arguments> badTokens() {
        String mustBeEs256 = "The token must be a JWT signed with ES256";
        String badSignature = "The token signature is not valid";
        String notAccessToken = "The token is not an access token (typ must be at+jwt)";
        return Stream.of(
                bad("alg none, no signature", () -> signed(TestTokens.header("alg", "none"), claims("sub", "bob")),
                        mustBeEs256),
                bad("alg HS256, an HMAC keyed with the server's public key (algorithm confusion)",
                        () -> signed(TestTokens.header("alg", "HS256"), claims("sub", "bob")), mustBeEs256),
                bad("alg HS512, an HMAC keyed with the server's public key (algorithm confusion)",
                        () -> signed(TestTokens.header("alg", "HS512"), claims("sub", "bob")), mustBeEs256),
                bad("signed with another key pair", () -> TestTokens.sign(TestTokens.header(), claims("sub", "bob"),
                        TestTokens.newKeyPair()), badSignature),
                bad("payload changed after signing (sub: alice)", () -> {
                    String[] parts = signed(TestTokens.header(), claims("sub", "bob")).split("\\.");
                    String payload = TestTokens.decode(parts[1]).replace("\"bob\"", "\"alice\"");
                    return parts[0] + "." + TestTokens.encode(payload) + "." + parts[2];
                }, badSignature),
                bad("token cut after the header",
                        () -> signed(TestTokens.header(), claims("sub", "bob")).split("\\.")[0], NOT_A_JWT),
                bad("parts that are not base64url", () -> "*!*.{not-base64}.%%%", NOT_A_JWT),
                bad("no exp", () -> signed(TestTokens.header(), claims("exp", null)), "The token has no expiry time"),
                bad("exp 31 s in the past (beyond the 30 s skew)", () -> signed(TestTokens.header(),
                        claims("exp", now().minusSeconds(31).getEpochSecond())), "The access token expired"),
                bad("nbf 5 minutes in the future", () -> signed(TestTokens.header(),
                        claims("nbf", now().plus(Duration.ofMinutes(5)).getEpochSecond())),
                        "The access token is not valid yet"),
                bad("another issuer", () -> signed(TestTokens.header(), claims("iss", "https://evil.example")),
                        "The token was not issued by this server"),
                bad("another audience", () -> signed(TestTokens.header(), claims("aud", "another-mcp-server")),
                        "The token is meant for another audience"),
                bad("typ JWT (not an access token)", () -> signed(TestTokens.header("typ", "JWT"), claims("sub", "bob")),
                        notAccessToken),
                bad("a refresh token sent as access token",
                        () -> new RefreshTokens(fixture.clock, RefreshTokens.DEFAULT_LIFETIME).issue("bob"), NOT_A_JWT));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badTokens")
    @DisplayName("03.0 every bad access token of the matrix gets 401 invalid_token, with a description that says why")
    void given_badTokenMatrix(String name, TokenMaker maker, String description) throws Exception {
        HttpResponse<String> response = RawHttp.initialize(mcp, "Authorization", "Bearer " + maker.make());
        assertRefused(response, 401, invalidToken(description), "invalid_token");
        assertThat(response.body()).contains("\"error_description\":\"" + description + "\"");
        assertAGoodTokenIsAccepted();
    }

    @Test
    @DisplayName("03.0 a good token stops working once the server's clock passes its exp by 30 s, and says it expired")
    void given_tokenExpiresOnTheServerClock() throws Exception {
        try (AuthTestServer own = AuthTestServer.start()) {
            String token = own.goodToken();
            own.clock.advance(TokenService.DEFAULT_LIFETIME.plusSeconds(TokenService.CLOCK_SKEW_SECONDS));
            assertThat(own.initialize(token).statusCode()).as("30 s after exp").isEqualTo(200);
            own.clock.advance(Duration.ofSeconds(1));
            HttpResponse<String> expired = own.initialize(token);
            assertThat(expired.statusCode()).as("31 s after exp").isEqualTo(401);
            assertThat(RawHttp.challenge(expired)).isEqualTo(invalidToken("The access token expired"));
            assertThat(own.initialize(own.goodToken()).statusCode()).as("a token made at the new time").isEqualTo(200);
        }
    }
}
