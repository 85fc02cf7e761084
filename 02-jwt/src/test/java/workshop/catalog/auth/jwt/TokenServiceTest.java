package workshop.catalog.auth.jwt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.TypeRef;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import workshop.catalog.Config;
import workshop.catalog.demo.DemoClock;
import workshop.catalog.support.TestTokens;

@DisplayName("The token service, with a clock the test moves")
class TokenServiceTest {

    private static final Instant NOW = Instant.parse("2026-03-01T09:00:00Z");
    private static final UserDirectory.User BOB = new UserDirectory.User("bob", "Bob", List.of("User.Read"));

    private final String secret = Config.randomSecret();
    private final DemoClock clock = new DemoClock(NOW);
    private final TokenService tokens = new TokenService(secret, clock, TokenService.DEFAULT_LIFETIME);

    private static Map<String, Object> part(String token, int index) throws Exception {
        return McpJsonDefaults.getMapper().readValue(TestTokens.decode(token.split("\\.")[index]),
                new TypeRef<Map<String, Object>>() {
                });
    }

    private String refusal(String token) {
        Throwable refused = catchThrowable(() -> tokens.verify(token));
        return refused == null ? "accepted" : ((TokenService.InvalidTokenException) refused).getMessage();
    }

    @Test
    @DisplayName("an issued token is an HS256 at+jwt with iss, aud, sub, name, iat, exp (15 minutes later) and a jti")
    void issuedTokenHasTheContractClaims() throws Exception {
        TokenService.AccessToken token = tokens.issue(BOB);
        assertThat(part(token.value(), 0)).containsExactlyInAnyOrderEntriesOf(Map.of("alg", "HS256", "typ", "at+jwt"));
        Map<String, Object> claims = part(token.value(), 1);
        assertThat(claims).containsOnlyKeys("iss", "aud", "sub", "name", "iat", "exp", "jti")
                .containsEntry("iss", TokenService.ISSUER)
                .containsEntry("aud", List.of(TokenService.AUDIENCE))
                .containsEntry("sub", "bob")
                .containsEntry("name", "Bob");
        assertThat(((Number) claims.get("iat")).longValue()).isEqualTo(NOW.getEpochSecond());
        assertThat(((Number) claims.get("exp")).longValue()).isEqualTo(NOW.plus(Duration.ofMinutes(15)).getEpochSecond());
        assertThat(token.expiresAt()).isEqualTo(NOW.plus(Duration.ofMinutes(15)));
        assertThat(claims.get("jti")).isNotEqualTo(part(tokens.issue(BOB).value(), 1).get("jti"));
        assertThat(token.toString()).doesNotContain(token.value());
    }

    @Test
    @DisplayName("verify() returns who the token is for and when it expires")
    void verifyReturnsThePrincipal() throws Exception {
        TokenService.AccessToken token = tokens.issue(BOB);
        assertThat(tokens.verify(token.value()))
                .isEqualTo(new TokenService.Principal("bob", "Bob", NOW.plus(TokenService.DEFAULT_LIFETIME)));
    }

    @Test
    @DisplayName("the lifetime is configurable")
    void lifetimeIsConfigurable() throws Exception {
        TokenService shortLived = new TokenService(secret, clock, Duration.ofMinutes(2));
        String token = shortLived.issue(BOB).value();
        assertThat(((Number) part(token, 1).get("exp")).longValue()).isEqualTo(NOW.plusSeconds(120).getEpochSecond());
        assertThat(shortLived.lifetime()).isEqualTo(Duration.ofMinutes(2));
    }

    @Test
    @DisplayName("a token is accepted up to 30 s after exp (clock skew) and refused as expired after that")
    void expiryAllowsThirtySecondsOfSkew() {
        String token = tokens.issue(BOB).value();
        clock.advance(TokenService.DEFAULT_LIFETIME.plusSeconds(30));
        assertThat(refusal(token)).isEqualTo("accepted");
        clock.advance(Duration.ofSeconds(1));
        assertThat(refusal(token)).isEqualTo("The access token expired");
    }

    @Test
    @DisplayName("a token whose nbf is more than 30 s ahead is refused as not yet valid, within 30 s it is accepted")
    void notBefore() throws Exception {
        Map<String, Object> claims = TestTokens.claims(NOW);
        claims.put("nbf", NOW.plusSeconds(31).getEpochSecond());
        assertThat(refusal(TestTokens.sign(TestTokens.header(), claims, secret)))
                .isEqualTo("The access token is not valid yet");
        claims.put("nbf", NOW.plusSeconds(29).getEpochSecond());
        assertThat(refusal(TestTokens.sign(TestTokens.header(), claims, secret))).isEqualTo("accepted");
    }

    @Test
    @DisplayName("tokens of another key, algorithm, type, issuer or audience are refused with fixed descriptions")
    void foreignTokens() throws Exception {
        Map<String, Object> claims = TestTokens.claims(NOW);
        assertThat(refusal(new TokenService(Config.randomSecret(), clock, TokenService.DEFAULT_LIFETIME)
                .issue(BOB).value())).isEqualTo("The token signature is not valid");
        for (String alg : List.of("none", "HS384", "HS512")) {
            Map<String, Object> header = TestTokens.header();
            header.put("alg", alg);
            assertThat(refusal(TestTokens.sign(header, claims, secret))).as(alg)
                    .isEqualTo("The token must be a JWT signed with HS256");
        }
        Map<String, Object> idToken = TestTokens.header();
        idToken.put("typ", "JWT");
        assertThat(refusal(TestTokens.sign(idToken, claims, secret)))
                .isEqualTo("The token is not an access token (typ must be at+jwt)");
        claims.put("iss", "someone-else");
        assertThat(refusal(TestTokens.sign(TestTokens.header(), claims, secret)))
                .isEqualTo("The token was not issued by this server");
        claims = TestTokens.claims(NOW);
        claims.put("aud", List.of("other-api"));
        assertThat(refusal(TestTokens.sign(TestTokens.header(), claims, secret)))
                .isEqualTo("The token is meant for another audience");
        claims.put("aud", List.of("other-api", TokenService.AUDIENCE));
        assertThat(refusal(TestTokens.sign(TestTokens.header(), claims, secret))).isEqualTo("accepted");
    }

    @Test
    @DisplayName("odd headers and claims (wrong JSON types, JWE shape, crit, zip) are refused as invalid, never another exception")
    void oddTokensAreInvalid() throws Exception {
        List<String> odd = new java.util.ArrayList<>();
        for (Object alg : List.of(256, List.of("HS256"), "hs256", "")) {
            Map<String, Object> header = TestTokens.header();
            header.put("alg", alg);
            odd.add(TestTokens.sign(TestTokens.header(), TestTokens.claims(NOW), secret).replaceFirst("^[^.]+",
                    TestTokens.encode(McpJsonDefaults.getMapper().writeValueAsString(header))));
        }
        for (Map.Entry<String, Object> extra : List.of(Map.<String, Object>entry("typ", 7),
                Map.<String, Object>entry("crit", List.of("exp")), Map.<String, Object>entry("zip", "DEF"))) {
            Map<String, Object> header = TestTokens.header();
            header.put(extra.getKey(), extra.getValue());
            odd.add(TestTokens.sign(header, TestTokens.claims(NOW), secret));
        }
        for (Map.Entry<String, Object> claim : List.of(Map.<String, Object>entry("exp", 1.0e30),
                Map.<String, Object>entry("exp", List.of(1)), Map.<String, Object>entry("iat", "yesterday"),
                Map.<String, Object>entry("nbf", Map.of()), Map.<String, Object>entry("sub", 42),
                Map.<String, Object>entry("sub", ""), Map.<String, Object>entry("aud", 7),
                Map.<String, Object>entry("iss", List.of(TokenService.ISSUER)), Map.<String, Object>entry("jti", 1))) {
            Map<String, Object> claims = TestTokens.claims(NOW);
            claims.put(claim.getKey(), claim.getValue());
            odd.add(TestTokens.sign(TestTokens.header(), claims, secret));
        }
        odd.add("a.b.c.d.e");
        odd.add(TestTokens.encode("[1,2]") + "." + TestTokens.encode("[]") + ".x");
        odd.add(TestTokens.encode("{\"alg\":\"HS256\"}") + "." + TestTokens.encode("not json") + ".x");
        odd.add("..");
        odd.add(" ");
        for (String token : odd) {
            assertThat(catchThrowable(() -> tokens.verify(token))).as(token)
                    .isInstanceOf(TokenService.InvalidTokenException.class)
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\"", "\\"));
        }
    }

    @Test
    @DisplayName("a key under 32 bytes or a lifetime of zero is refused when the service is built")
    void constructorChecks() {
        assertThatThrownBy(() -> new TokenService("x".repeat(31), clock, TokenService.DEFAULT_LIFETIME))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("32 bytes");
        assertThatThrownBy(() -> new TokenService(secret, clock, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    @DisplayName("a key longer than 32 bytes still signs HS256")
    void longKeyStillSignsHs256() throws Exception {
        TokenService longKey = new TokenService("k".repeat(100), clock, TokenService.DEFAULT_LIFETIME);
        String token = longKey.issue(BOB).value();
        assertThat(part(token, 0)).containsEntry("alg", "HS256");
        assertThat(longKey.verify(token).subject()).isEqualTo("bob");
    }

    @Test
    @DisplayName("a well-signed token that lives longer than this server's tokens, was issued in the future, has no iat or carries a crit header is refused, each with its own description; the edges are accepted")
    void tokensThisServerDidNotIssue() throws Exception {
        long now = NOW.getEpochSecond();
        long lifetime = TokenService.DEFAULT_LIFETIME.toSeconds();
        long skew = TokenService.CLOCK_SKEW_SECONDS;
        Map<String, Object> claims = TestTokens.claims(NOW);
        claims.put("exp", now + Duration.ofDays(3650).toSeconds());
        assertThat(refusal(TestTokens.sign(TestTokens.header(), claims, secret)))
                .isEqualTo("The token lives longer than this server's access tokens");
        claims = TestTokens.claims(NOW);
        claims.put("iat", now + Duration.ofDays(1).toSeconds());
        claims.put("exp", now + Duration.ofDays(1).toSeconds() + lifetime);
        assertThat(refusal(TestTokens.sign(TestTokens.header(), claims, secret)))
                .isEqualTo("The token was issued in the future");
        claims = TestTokens.claims(NOW);
        claims.remove("iat");
        assertThat(refusal(TestTokens.sign(TestTokens.header(), claims, secret)))
                .isEqualTo("The token has no issue time");
        Map<String, Object> header = TestTokens.header();
        header.put("crit", List.of());
        assertThat(refusal(TestTokens.sign(header, TestTokens.claims(NOW), secret)))
                .isEqualTo("The token has a crit header, and this server understands no extension");

        claims = TestTokens.claims(NOW);
        claims.put("exp", now + lifetime + skew);
        assertThat(refusal(TestTokens.sign(TestTokens.header(), claims, secret))).as("the lifetime plus the skew")
                .isEqualTo("accepted");
        claims = TestTokens.claims(NOW);
        claims.put("iat", now + skew);
        claims.put("exp", now + skew + lifetime);
        assertThat(refusal(TestTokens.sign(TestTokens.header(), claims, secret))).as("iat within the skew")
                .isEqualTo("accepted");
    }
}
