package workshop.orders.auth.jwt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.modelcontextprotocol.json.McpJsonDefaults;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import workshop.orders.demo.DemoClock;
import workshop.orders.support.TestTokens;

/**
 * The token service without HTTP, on a clock the test moves: what exercise 02 built (03.0), and the
 * permissions claim of task 03.1. Issued tokens are checked by hand (base64url, ECDSA); the tokens
 * verify() gets are signed by hand. Every refusal is checked next to a good token, so a verify() that
 * refuses everything earns nothing.
 */
@DisplayName("The token service, with a clock the test moves")
class TokenServiceTest {

    /** Far from the real time on purpose: only a verifier that reads the injected clock gets it right. */
    private static final Instant NOW = Instant.parse("2026-03-01T09:00:00Z");
    private static final UserDirectory.User BOB = new UserDirectory.User("bob", "Bob",
            List.of("User.Read", "User.Write"));
    private static final String MUST_BE_ES256 = "The token must be a JWT signed with ES256";
    private static final String BAD_SIGNATURE = "The token signature is not valid";
    private static final String NOT_A_JWT = "The token is not a well-formed JWT";

    private final KeyPair keys = TestTokens.newKeyPair();
    private final DemoClock clock = new DemoClock(NOW);
    private final TokenService tokens = new TokenService(keys, clock, TokenService.DEFAULT_LIFETIME);

    TokenServiceTest() throws Exception {
    }

    /** "accepted", or the sentence verify() refused the token with. */
    private String refusal(String token) {
        Throwable refused = catchThrowable(() -> tokens.verify(token));
        if (refused == null) {
            return "accepted";
        }
        assertThat(refused).as("verify() refuses with InvalidTokenException, nothing else")
                .isInstanceOf(TokenService.InvalidTokenException.class);
        return refused.getMessage();
    }

    private String signed(Map<String, Object> header, Map<String, Object> claims) throws Exception {
        return TestTokens.sign(header, claims, keys);
    }

    /** The claims of a good token at the clock's time, with one claim changed (or removed, for null). */
    private Map<String, Object> claims(String name, Object value) {
        return TestTokens.claims(clock.instant(), name, value);
    }

    /** Paired with every refusal below: a good token, made at the injected clock's time, is accepted. */
    private void assertAGoodTokenIsAccepted() throws Exception {
        assertThat(refusal(signed(TestTokens.header(), TestTokens.claims(clock.instant()))))
                .as("a good token made at the injected clock's time").isEqualTo("accepted");
    }

    private static long seconds(Object claim) {
        return ((Number) claim).longValue();
    }

    @Test
    @DisplayName("03.1 an issued token carries the user's permissions as scope: names separated by single spaces")
    void task03_1_issuedTokenCarriesScope() throws Exception {
        Map<String, Object> claims = TestTokens.part(tokens.issue(BOB).value(), 1);
        assertThat(claims).as("claims").containsOnlyKeys("iss", "aud", "sub", "name", "scope", "iat", "exp", "jti");
        assertThat(claims.get("scope")).as("scope of bob: one string, not the lesson's permissions array")
                .isIn("User.Read User.Write", "User.Write User.Read");
        UserDirectory.User alice = new UserDirectory.User("alice", "Alice",
                List.of("Admin.Write", "User.Read", "User.Write"));
        assertThat(TestTokens.scopeNames(tokens.issue(alice).value())).as("scope of alice: one string, her names "
                + "between single spaces").containsExactlyInAnyOrder("Admin.Write", "User.Read", "User.Write");
        UserDirectory.User carol = new UserDirectory.User("carol", "Carol", List.of("Guest.Read"));
        assertThat(TestTokens.part(tokens.issue(carol).value(), 1).get("scope")).as("scope of carol")
                .isEqualTo("Guest.Read");
        UserDirectory.User nobody = new UserDirectory.User("dave", "Dave", List.of());
        assertThat(TestTokens.part(tokens.issue(nobody).value(), 1).get("scope")).as("a user with no permissions")
                .isEqualTo("");
    }

    @Test
    @DisplayName("03.5 scope is read as names separated by single spaces, case kept; '' or no scope grants none")
    void task03_5_scopeIsNamesSeparatedBySingleSpaces() throws Exception {
        Map<String, Set<String>> read = new java.util.LinkedHashMap<>();
        read.put("User.Read User.Write", Set.of("User.Read", "User.Write"));
        read.put("Guest.Read", Set.of("Guest.Read"));
        read.put("user.read USER.WRITE", Set.of("user.read", "USER.WRITE"));
        read.put("Guest.Read,User.Read", Set.of("Guest.Read,User.Read"));
        read.put("", Set.of());
        for (Map.Entry<String, Set<String>> scope : read.entrySet()) {
            String token = signed(TestTokens.header(), claims("scope", scope.getKey()));
            assertThat(refusal(token)).as("a token with scope '" + scope.getKey() + "' is accepted").isEqualTo("accepted");
            assertThat(tokens.verify(token).permissions())
                    .as("scope '" + scope.getKey() + "' (case kept: 'user.read' is not User.Read; a comma is part of a"
                            + " name)").containsExactlyInAnyOrderElementsOf(scope.getValue());
        }
        assertThat(tokens.verify(signed(TestTokens.header(), claims("scope", null))).permissions()).as("no scope")
                .isEmpty();
        assertAGoodTokenIsAccepted();
    }

    @Test
    @DisplayName("03.5 a name the scope holds twice counts once: 'User.Read User.Read' grants User.Read")
    void task03_5_aNameTwiceCountsOnce() throws Exception {
        String refused = refusal(signed(TestTokens.header(), claims("scope", "User.Read User.Read")));
        assertThat(refused).as("verify() of a token with scope 'User.Read User.Read': a name twice is well formed (RFC"
                + " 6749 §3.3 only says the order does not matter) and must count once. If this says \"" + NOT_A_JWT
                + "\", the scope's names were collected into a set that refuses duplicates (Set.of throws"
                + " IllegalArgumentException, which verify() reports as not a JWT)").isEqualTo("accepted");
        assertThat(tokens.verify(signed(TestTokens.header(), claims("scope", "User.Read User.Read"))).permissions())
                .as("scope 'User.Read User.Read'").containsExactly("User.Read");
        assertAGoodTokenIsAccepted();
    }

    @Test
    @DisplayName("03.5 a leading, trailing or doubled space, a tab, a line break or a quote in scope is refused")
    void task03_5_badSeparatorsAreRefused() throws Exception {
        for (String bad : List.of(" User.Read", "User.Read ", "User.Read  User.Write", " ", "User.Read\tUser.Write",
                "User.Read\nUser.Write", "User.\"Read\"")) {
            assertThat(refusal(signed(TestTokens.header(), claims("scope", bad))))
                    .as("scope '" + bad.replace("\t", "\\t").replace("\n", "\\n") + "' is refused, saying why")
                    .isEqualTo("The token's scope claim is not names separated by single spaces");
        }
        assertAGoodTokenIsAccepted();
    }

    @Test
    @DisplayName("03.5 a name with a character outside printable ASCII (an accent, a control character) is refused")
    void task03_5_onlyPrintableAsciiNames() throws Exception {
        for (String bad : List.of("User.R\u00e9ad", "User.Read\u0001", "User.Read\u007f", "User.Read\u00a0User.Write")) {
            assertThat(refusal(signed(TestTokens.header(), claims("scope", bad))))
                    .as("scope with the character U+%04X (RFC 6749 §3.3 allows %%x21, %%x23-5B and %%x5D-7E in a name)",
                            bad.chars().filter(c -> c < 0x21 || c > 0x7e).findFirst().orElse(0))
                    .isEqualTo("The token's scope claim is not names separated by single spaces");
        }
        assertAGoodTokenIsAccepted();
    }

    @Test
    @DisplayName("03.5 a scope that is not a string (a number, an object, a boolean, an array) is refused")
    void task03_5_scopeMustBeAString() throws Exception {
        String notAString = "The token's scope claim is not a string";
        Map<String, Object> odd = new java.util.LinkedHashMap<>();
        odd.put("a number", 42);
        odd.put("an object", Map.of("User.Read", true));
        odd.put("a boolean", true);
        odd.put("an empty array", List.of());
        for (Map.Entry<String, Object> bad : odd.entrySet()) {
            assertThat(refusal(signed(TestTokens.header(), claims("scope", bad.getValue())))).as(bad.getKey())
                    .isEqualTo(notAString);
        }
        Map<String, Object> jsonNull = TestTokens.claims(clock.instant());
        jsonNull.put("scope", null);
        String token = signed(TestTokens.header(), jsonNull);
        if (refusal(token).equals("accepted")) {
            assertThat(tokens.verify(token).permissions()).as("\"scope\": null").isEmpty();
        } else {
            assertThat(refusal(token)).as("\"scope\": null").isEqualTo(notAString);
        }
        assertAGoodTokenIsAccepted();
    }

    @Test
    @DisplayName("03.5 the lesson's permissions array as scope is refused: a scope is one string")
    void task03_5_theLessonsPermissionsArrayAsScopeIsRefused() throws Exception {
        List<String> lessons = List.of("Admin.Write", "User.Read", "User.Write");
        for (List<String> array : List.of(lessons, List.of("User.Read"))) {
            assertThat(refusal(signed(TestTokens.header(), claims("scope", array))))
                    .as("scope " + array + ", the lesson's array: refused as not a string, never granting its names")
                    .isEqualTo("The token's scope claim is not a string");
        }
        assertAGoodTokenIsAccepted();
    }

    @Test
    @DisplayName("03.5 a permissions claim is not read: alone it grants nothing, next to a scope it is ignored")
    void task03_5_thePermissionsClaimIsNotRead() throws Exception {
        List<String> lessons = List.of("Admin.Write", "User.Read", "User.Write");
        Map<String, Object> lessonShaped = claims("scope", null);
        lessonShaped.put("permissions", lessons);
        assertThat(tokens.verify(signed(TestTokens.header(), lessonShaped)).permissions())
                .as("a permissions array and no scope").isEmpty();
        Map<String, Object> both = claims("scope", "Guest.Read");
        both.put("permissions", lessons);
        assertThat(tokens.verify(signed(TestTokens.header(), both)).permissions())
                .as("scope Guest.Read and a permissions array").containsExactly("Guest.Read");
        assertAGoodTokenIsAccepted();
    }

    @Test
    @DisplayName("03.0 an issued token is an ES256 at+jwt with iss, aud, sub, name, iat, exp 15 min later, a fresh jti")
    void given_headerAndClaims() throws Exception {
        clock.advance(Duration.ofMillis(400));
        TokenService.AccessToken token = tokens.issue(BOB);
        assertThat(token.value()).as("three base64url parts").matches("[\\w-]+\\.[\\w-]+\\.[\\w-]+");
        assertThat(TestTokens.part(token.value(), 0)).as("header")
                .containsExactlyInAnyOrderEntriesOf(Map.of("alg", "ES256", "typ", "at+jwt"));
        Map<String, Object> claims = TestTokens.part(token.value(), 1);
        assertThat(claims).as("claims").containsKeys("iss", "aud", "sub", "name", "iat", "exp", "jti")
                .containsEntry("iss", TokenService.ISSUER)
                .containsEntry("sub", "bob")
                .containsEntry("name", "Bob");
        assertThat(claims.get("aud")).as("aud: this MCP server, alone or in a list")
                .isIn(TokenService.AUDIENCE, List.of(TokenService.AUDIENCE));
        assertThat(seconds(claims.get("iat"))).as("iat: now on the injected clock").isEqualTo(NOW.getEpochSecond());
        assertThat(seconds(claims.get("exp"))).as("exp: 15 minutes after iat")
                .isEqualTo(NOW.plus(Duration.ofMinutes(15)).getEpochSecond());
        assertThat(token.expiresAt()).as("the AccessToken's expiresAt is the token's exp")
                .isEqualTo(Instant.ofEpochSecond(seconds(claims.get("exp"))));
        assertThat(claims.get("jti")).as("jti").isInstanceOf(String.class)
                .isNotEqualTo(TestTokens.part(tokens.issue(BOB).value(), 1).get("jti"));
        assertThat(token.toString()).doesNotContain(token.value());
    }

    @Test
    @DisplayName("03.0 the signature is ES256: the server's public key verifies it, another key does not")
    void given_signature() throws Exception {
        KeyPair other = TestTokens.newKeyPair();
        for (KeyPair pair : List.of(keys, other)) {
            String token = new TokenService(pair, clock, TokenService.DEFAULT_LIFETIME).issue(BOB).value();
            assertThat(TestTokens.part(token, 0)).containsEntry("alg", "ES256");
            assertThat(TestTokens.es256Verifies(token, pair.getPublic())).as("verified with its own public key")
                    .isTrue();
            assertThat(TestTokens.es256Verifies(token, (pair == keys ? other : keys).getPublic()))
                    .as("verified with another key pair's public key").isFalse();
        }
    }

    @Test
    @DisplayName("03.0 the lifetime is configurable, and iat and exp follow the injected clock")
    void given_lifetimeAndClock() throws Exception {
        TokenService shortLived = new TokenService(keys, clock, Duration.ofMinutes(2));
        assertThat(seconds(TestTokens.part(shortLived.issue(BOB).value(), 1).get("exp")))
                .isEqualTo(NOW.plusSeconds(120).getEpochSecond());
        assertThat(shortLived.lifetime()).isEqualTo(Duration.ofMinutes(2));

        clock.advance(Duration.ofHours(5));
        TokenService.AccessToken later = tokens.issue(BOB);
        Map<String, Object> claims = TestTokens.part(later.value(), 1);
        assertThat(seconds(claims.get("iat"))).isEqualTo(NOW.plus(Duration.ofHours(5)).getEpochSecond());
        assertThat(later.expiresAt()).isEqualTo(NOW.plus(Duration.ofHours(5)).plus(TokenService.DEFAULT_LIFETIME));
    }

    @Test
    @DisplayName("03.0 a good token is accepted on the injected clock: verify() says who it is for and when it expires")
    void given_goodToken() throws Exception {
        Map<String, Object> claims = TestTokens.claims(NOW);
        assertThat(tokens.verify(signed(TestTokens.header(), claims)))
                .isEqualTo(new TokenService.Principal("bob", "Bob", Set.of("User.Read", "User.Write"),
                        NOW.plus(TokenService.DEFAULT_LIFETIME)));
        // Forms a verifier must accept as well: the type as a media type, and an audience list that names
        // this server among others.
        assertThat(refusal(signed(TestTokens.header("typ", "application/at+jwt"), claims))).as("typ application/at+jwt")
                .isEqualTo("accepted");
        claims.put("aud", List.of("other-api", TokenService.AUDIENCE));
        assertThat(refusal(signed(TestTokens.header(), claims))).as("aud [other-api, ours]").isEqualTo("accepted");
    }

    @Test
    @DisplayName("03.0 only ES256: a header that says none, ES384, RS256 or PS256 is refused")
    void given_onlyEs256() throws Exception {
        String[] parts = signed(TestTokens.header(), claims("sub", "bob")).split("\\.");
        for (String alg : List.of("none", "ES384", "ES512", "RS256", "PS256")) {
            String relabelled = TestTokens.encode("{\"alg\":\"" + alg + "\",\"typ\":\"at+jwt\"}") + "." + parts[1] + "."
                    + (alg.equals("none") ? "" : parts[2]);
            assertThat(refusal(relabelled)).as("alg " + alg).isEqualTo(MUST_BE_ES256);
        }
        assertAGoodTokenIsAccepted();
    }

    @Test
    @DisplayName("03.0 algorithm confusion: an HMAC token keyed with the server's public key is refused")
    void given_algorithmConfusion() throws Exception {
        for (String alg : List.of("HS256", "HS384", "HS512")) {
            assertThat(refusal(signed(TestTokens.header("alg", alg), claims("sub", "alice"))))
                    .as(alg + " keyed with the public key's bytes").isEqualTo(MUST_BE_ES256);
            assertThat(refusal(TestTokens.signHmac(TestTokens.header("alg", alg), claims("sub", "alice"),
                    TestTokens.pem(keys.getPublic())))).as(alg + " keyed with the public key's PEM text")
                    .isEqualTo(MUST_BE_ES256);
        }
        assertAGoodTokenIsAccepted();
    }

    @Test
    @DisplayName("03.0 a token signed with another key, changed after signing or with its signature cut is refused")
    void given_badSignature() throws Exception {
        assertThat(refusal(TestTokens.sign(TestTokens.header(), claims("sub", "bob"), TestTokens.newKeyPair())))
                .as("another key pair").isEqualTo(BAD_SIGNATURE);
        String[] parts = signed(TestTokens.header(), claims("sub", "bob")).split("\\.");
        String tampered = TestTokens.encode(TestTokens.decode(parts[1]).replace("\"bob\"", "\"alice\""));
        assertThat(refusal(parts[0] + "." + tampered + "." + parts[2])).as("sub changed to alice")
                .isEqualTo(BAD_SIGNATURE);
        assertThat(refusal(parts[0] + "." + parts[1] + "." + parts[2].substring(0, parts[2].length() - 8)))
                .as("signature cut short").isEqualTo(BAD_SIGNATURE);
        assertAGoodTokenIsAccepted();
    }

    @Test
    @DisplayName("03.0 what is not a JWT (a random string, a truncated token, a refresh token) is refused")
    void given_notAJwt() throws Exception {
        String good = signed(TestTokens.header(), claims("sub", "bob"));
        List<String> notJwts = List.of("not-a-token", good.split("\\.")[0], good.substring(0, good.indexOf('.') + 5),
                "*!*.{not-base64}.%%%", TestTokens.encode("alg=HS256") + "." + TestTokens.encode("{}") + ".c2ln",
                new RefreshTokens(clock, RefreshTokens.DEFAULT_LIFETIME).issue("bob"));
        for (String token : notJwts) {
            assertThat(refusal(token)).as(token).isEqualTo(NOT_A_JWT);
        }
        assertAGoodTokenIsAccepted();
    }

    @Test
    @DisplayName("03.0 a token without exp is refused ('The token has no expiry time'): it would never expire")
    void given_missingExpiry() throws Exception {
        assertThat(refusal(signed(TestTokens.header(), claims("exp", null)))).isEqualTo("The token has no expiry time");
        assertAGoodTokenIsAccepted();
    }

    @Test
    @DisplayName("03.0 on the injected clock a token is accepted up to 30 s after its exp, then refused")
    void given_expiryWithSkew() throws Exception {
        String token = signed(TestTokens.header(), claims("sub", "bob"));
        assertThat(refusal(token)).as("at issue time").isEqualTo("accepted");
        clock.advance(TokenService.DEFAULT_LIFETIME.plusSeconds(30));
        assertThat(refusal(token)).as("30 s after exp").isEqualTo("accepted");
        clock.advance(Duration.ofSeconds(1));
        assertThat(refusal(token)).as("31 s after exp").isEqualTo("The access token expired");
        assertAGoodTokenIsAccepted();
    }

    @Test
    @DisplayName("03.0 a token whose nbf is more than 30 s ahead is refused; 29 s ahead it is accepted")
    void given_notBefore() throws Exception {
        assertThat(refusal(signed(TestTokens.header(), claims("nbf", NOW.plusSeconds(31).getEpochSecond()))))
                .isEqualTo("The access token is not valid yet");
        assertThat(refusal(signed(TestTokens.header(), claims("nbf", NOW.plusSeconds(29).getEpochSecond()))))
                .isEqualTo("accepted");
        assertAGoodTokenIsAccepted();
    }

    @Test
    @DisplayName("03.0 a token of another issuer, or of none, is refused ('The token was not issued by this server')")
    void given_issuer() throws Exception {
        for (Object issuer : new Object[] {"https://evil.example", null}) {
            assertThat(refusal(signed(TestTokens.header(), claims("iss", issuer)))).as("iss " + issuer)
                    .isEqualTo("The token was not issued by this server");
        }
        assertAGoodTokenIsAccepted();
    }

    @Test
    @DisplayName("03.0 a token for another audience, or for none, is refused")
    void given_audience() throws Exception {
        for (Object audience : new Object[] {"another-mcp-server", List.of("another-mcp-server"), null}) {
            assertThat(refusal(signed(TestTokens.header(), claims("aud", audience)))).as("aud " + audience)
                    .isEqualTo("The token is meant for another audience");
        }
        assertAGoodTokenIsAccepted();
    }

    @Test
    @DisplayName("03.0 a token whose typ is not at+jwt (JWT, or none) is refused")
    void given_type() throws Exception {
        for (Object type : new Object[] {"JWT", null}) {
            assertThat(refusal(signed(TestTokens.header("typ", type), claims("sub", "bob")))).as("typ " + type)
                    .isEqualTo("The token is not an access token (typ must be at+jwt)");
        }
        assertAGoodTokenIsAccepted();
    }

    @Test
    @DisplayName("03.0 a token with no subject, or with a name that is not a string, is refused")
    void given_subjectAndName() throws Exception {
        assertThat(refusal(signed(TestTokens.header(), claims("sub", null)))).isEqualTo("The token has no subject");
        assertThat(refusal(signed(TestTokens.header(), claims("name", 42))))
                .isEqualTo("The token's name claim is not a string");
        assertAGoodTokenIsAccepted();
    }

    @Test
    @DisplayName("03.0 odd headers and claims (wrong JSON types, JWE shape, crit, zip) are refused as invalid")
    void given_oddTokens() throws Exception {
        List<String> odd = new ArrayList<>();
        for (Object alg : List.of(256, List.of("ES256"), "es256", "")) {
            Map<String, Object> header = TestTokens.header();
            header.put("alg", alg);
            odd.add(signed(TestTokens.header(), claims("sub", "bob")).replaceFirst("^[^.]+",
                    TestTokens.encode(McpJsonDefaults.getMapper().writeValueAsString(header))));
        }
        for (Map.Entry<String, Object> extra : List.of(Map.<String, Object>entry("typ", 7),
                Map.<String, Object>entry("crit", List.of("exp")), Map.<String, Object>entry("zip", "DEF"))) {
            odd.add(signed(TestTokens.header(extra.getKey(), extra.getValue()), claims("sub", "bob")));
        }
        for (Map.Entry<String, Object> claim : List.of(Map.<String, Object>entry("exp", 1.0e30),
                Map.<String, Object>entry("exp", List.of(1)), Map.<String, Object>entry("exp", "tomorrow"),
                Map.<String, Object>entry("iat", "yesterday"), Map.<String, Object>entry("nbf", Map.of()),
                Map.<String, Object>entry("sub", 42), Map.<String, Object>entry("sub", ""),
                Map.<String, Object>entry("aud", 7), Map.<String, Object>entry("iss", List.of(TokenService.ISSUER)),
                Map.<String, Object>entry("jti", 1))) {
            odd.add(signed(TestTokens.header(), claims(claim.getKey(), claim.getValue())));
        }
        odd.add("a.b.c.d.e");
        odd.add(TestTokens.encode("[1,2]") + "." + TestTokens.encode("[]") + ".x");
        odd.add("..");
        odd.add(" ");
        for (String token : odd) {
            assertThat(refusal(token)).as(token).isNotEqualTo("accepted").doesNotContain("\"", "\\");
        }
        assertAGoodTokenIsAccepted();
    }

    @Test
    @DisplayName("03.0 keys that are not an EC P-256 pair, or a zero lifetime, are refused when the service is built")
    void given_constructorChecks() throws Exception {
        // Not P-256: an Ed25519 pair (another kind of key) and a P-384 pair (an EC key of another curve).
        KeyPairGenerator p384 = KeyPairGenerator.getInstance("EC");
        p384.initialize(new ECGenParameterSpec("secp384r1"));
        for (KeyPair wrong : List.of(KeyPairGenerator.getInstance("Ed25519").generateKeyPair(),
                p384.generateKeyPair())) {
            assertThatThrownBy(() -> new TokenService(wrong, clock, TokenService.DEFAULT_LIFETIME))
                    .as(wrong.getPublic().getAlgorithm()).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("P-256");
        }
        assertThat(new TokenService(keys, clock, TokenService.DEFAULT_LIFETIME).lifetime())
                .isEqualTo(TokenService.DEFAULT_LIFETIME);
        assertThatThrownBy(() -> new TokenService(keys, clock, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    @DisplayName("03.0 a well-signed token this server cannot have issued (iat, lifetime, crit) is refused")
    void tokensThisServerDidNotIssue() throws Exception {
        long now = NOW.getEpochSecond();
        long lifetime = TokenService.DEFAULT_LIFETIME.toSeconds();
        long skew = TokenService.CLOCK_SKEW_SECONDS;
        Map<String, Object> claims = TestTokens.claims(NOW);
        claims.put("exp", now + Duration.ofDays(3650).toSeconds());
        assertThat(refusal(TestTokens.sign(TestTokens.header(), claims, keys)))
                .isEqualTo("The token lives longer than this server's access tokens");
        claims = TestTokens.claims(NOW);
        claims.put("iat", now + Duration.ofDays(1).toSeconds());
        claims.put("exp", now + Duration.ofDays(1).toSeconds() + lifetime);
        assertThat(refusal(TestTokens.sign(TestTokens.header(), claims, keys)))
                .isEqualTo("The token was issued in the future");
        claims = TestTokens.claims(NOW);
        claims.remove("iat");
        assertThat(refusal(TestTokens.sign(TestTokens.header(), claims, keys)))
                .isEqualTo("The token has no issue time");
        Map<String, Object> header = TestTokens.header();
        header.put("crit", List.of());
        assertThat(refusal(TestTokens.sign(header, TestTokens.claims(NOW), keys)))
                .isEqualTo("The token has a crit header, and this server understands no extension");

        claims = TestTokens.claims(NOW);
        claims.put("exp", now + lifetime + skew);
        assertThat(refusal(TestTokens.sign(TestTokens.header(), claims, keys))).as("the lifetime plus the skew")
                .isEqualTo("accepted");
        claims = TestTokens.claims(NOW);
        claims.put("iat", now + skew);
        claims.put("exp", now + skew + lifetime);
        assertThat(refusal(TestTokens.sign(TestTokens.header(), claims, keys))).as("iat within the skew")
                .isEqualTo("accepted");
    }

    @Test
    @DisplayName("03.0 the name claim is optional, but a name that is not a string is refused")
    void given_nameIsOptional() throws Exception {
        Map<String, Object> claims = TestTokens.claims(NOW);
        claims.remove("name");
        String token = TestTokens.sign(TestTokens.header(), claims, keys);
        assertThat(refusal(token)).isEqualTo("accepted");
        assertThat(tokens.verify(token).name()).isNull();
        assertThat(tokens.verify(token).subject()).isEqualTo(claims.get("sub"));
        claims.put("name", 42);
        assertThat(refusal(TestTokens.sign(TestTokens.header(), claims, keys)))
                .isEqualTo("The token's name claim is not a string");
    }
}
