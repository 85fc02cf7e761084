package workshop.orders.auth.resourceserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.sun.net.httpserver.HttpServer;
import io.jsonwebtoken.JwtBuilder;
import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.security.Jwks;
import io.jsonwebtoken.security.Keys;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import workshop.orders.demo.DemoClock;

/**
 * Task 05.3: {@link AccessTokenVerifier} and {@link IssuerKeys}, against a small issuer the test controls (a JDK HTTP
 * server publishing RFC 8414 metadata and a JWK Set): here the test signs any claims with the trusted key, which the
 * real authorization server never would, and counts the JWKS fetches. Every refusal row also proves that the good
 * token passes, so a verifier that refuses everything earns nothing.
 */
@DisplayName("05.3 Access token verification against the authorization server's JWKS")
class AccessTokenVerifierTest {

    private static final URI RESOURCE = URI.create("http://127.0.0.1:8080/mcp");

    // Generated once for the class: an RSA key pair costs up to a second in a test JVM. Tokens under a kid the issuer
    // does not publish are signed with it too (the kid decides before the signature is checked).
    /** The key the issuer publishes as k1. */
    private static final KeyPair KEY = Jwts.SIG.RS256.keyPair().build();
    private static final KeyPair EC = Jwts.SIG.ES256.keyPair().build();

    private final KeyPair key = KEY;
    private final DemoClock clock = DemoClock.followingSystem();
    private AccessTokenVerifier verifier;

    // One issuer for the class; what it publishes is reset before each test, and each test gets a fresh key cache.
    private static final AtomicInteger jwksRequests = new AtomicInteger();
    /** What the issuer publishes, by kid. */
    private static final List<Map.Entry<String, RSAPublicKey>> published = new CopyOnWriteArrayList<>();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static HttpServer issuerServer;
    private static URI issuer;
    private static volatile String metadataPath;
    private static volatile String metadataIssuer;
    /** Set by a test: the key set then hangs until released, as an authorization server that stopped answering. */
    private static volatile CountDownLatch hangEntered;
    private static volatile CountDownLatch hangRelease;

    @BeforeAll
    static void startIssuer() throws Exception {
        issuerServer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        issuer = URI.create("http://127.0.0.1:" + issuerServer.getAddress().getPort());
        issuerServer.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            String body = null;
            if (path.equals(metadataPath)) {
                body = "{\"issuer\":\"" + metadataIssuer + "\",\"jwks_uri\":\"" + issuer + "/jwks\"}";
            } else if (path.equals("/jwks")) {
                jwksRequests.incrementAndGet();
                CountDownLatch release = hangRelease;
                if (release != null) {
                    hangEntered.countDown();
                    try {
                        release.await(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                List<String> keys = new ArrayList<>();
                published.forEach(entry -> keys.add(Jwks.json(Jwks.builder().key(entry.getValue()).id(entry.getKey())
                        .algorithm("RS256").build())));
                body = "{\"keys\":[" + String.join(",", keys) + "]}";
            }
            byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(body == null ? 404 : 200, bytes.length == 0 ? -1 : bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        issuerServer.start();
    }

    @AfterAll
    static void stopIssuer() {
        issuerServer.stop(0);
    }

    @BeforeEach
    void reset() {
        published.clear();
        published.add(Map.entry("k1", (RSAPublicKey) KEY.getPublic()));
        jwksRequests.set(0);
        metadataPath = "/.well-known/oauth-authorization-server";
        metadataIssuer = issuer.toString();
        verifier = verifierFor(issuer);
    }

    private AccessTokenVerifier verifierFor(URI trusted) {
        ProtectedResource resource = new ProtectedResource(RESOURCE, trusted, List.of("orders.read"));
        return new AccessTokenVerifier(resource, new IssuerKeys(trusted, clock, HTTP), clock);
    }

    /** A token the real authorization server would issue: signed RS256 with the published key k1, for RESOURCE. */
    private JwtBuilder good() {
        Instant now = clock.instant();
        return Jwts.builder().header().keyId("k1").type("at+jwt").and().issuer(issuer.toString()).audience().add(RESOURCE.toString())
                .and().subject("alice").claim("scope", "orders.read orders.cancel")
                .claim("auth_time", now.minusSeconds(60).getEpochSecond())
                .issuedAt(Date.from(now)).notBefore(Date.from(now)).expiration(Date.from(now.plusSeconds(900)));
    }

    private String sign(JwtBuilder builder) {
        return builder.signWith(key.getPrivate(), Jwts.SIG.RS256).compact();
    }

    private void assertRefused(String token, String sentence) throws Exception {
        assertThatThrownBy(() -> verifier.verify(token)).isInstanceOf(AccessTokenVerifier.InvalidTokenException.class)
                .hasMessage(sentence);
        assertThat(verifier.verify(sign(good())).subject()).as("the good token, after the refused one").isEqualTo("alice");
    }

    @Test
    @DisplayName("05.3 a good token gives its subject, its scopes and auth_time as the login's time")
    void goodToken() throws Exception {
        Instant loggedIn = clock.instant().minusSeconds(100);
        AccessTokenVerifier.Verified verified = verifier.verify(sign(good()
                .claim("auth_time", loggedIn.getEpochSecond())));
        assertThat(verified.subject()).isEqualTo("alice");
        assertThat(verified.scopes()).containsExactlyInAnyOrder("orders.read", "orders.cancel");
        assertThat(verified.authTime()).isEqualTo(Instant.ofEpochSecond(loggedIn.getEpochSecond()));
        assertThat(verifier.verify(sign(good().claim("auth_time", null))).authTime()).isNull();
        assertThat(verifier.verify(sign(good().claim("scope", null))).scopes()).isEmpty();
        assertThat(verifier.verify(sign(good().audience().add("https://other.example/api").and())).subject())
                .isEqualTo("alice");
    }

    static Stream<Arguments> refusals() {
        return Stream.of(
                row("iss another authorization server", t -> t.sign(t.good().issuer("http://127.0.0.1:1")),
                        "The access token was issued by another authorization server"),
                row("iss missing", t -> t.sign(t.good().issuer(null)),
                        "The access token was issued by another authorization server"),
                row("aud another resource", t -> t.sign(t.good().audience().single("http://127.0.0.1:1/mcp")),
                        "The access token is for another resource"),
                row("aud this server spelled localhost", t -> t.sign(t.good().audience()
                        .single("http://localhost:8080/mcp")), "The access token is for another resource"),
                row("aud with a trailing slash", t -> t.sign(t.good().audience().single(RESOURCE + "/")),
                        "The access token is for another resource"),
                row("aud missing", t -> t.sign(t.good().claim("aud", null)), "The access token is for another resource"),
                row("expired beyond the 30 s skew", t -> t.sign(t.good()
                        .issuedAt(Date.from(t.clock.instant().minusSeconds(960)))
                        .notBefore(Date.from(t.clock.instant().minusSeconds(960)))
                        .expiration(Date.from(t.clock.instant().minusSeconds(60)))), "The access token expired"),
                row("nbf ahead beyond the 30 s skew", t -> t.sign(t.good()
                        .notBefore(Date.from(t.clock.instant().plusSeconds(60)))), "The access token is not valid yet"),
                row("exp missing", t -> t.sign(t.good().expiration(null)), "The access token has no expiry"),
                row("sub missing", t -> t.sign(t.good().subject(null)), "The access token names no subject"),
                row("alg none", t -> b64("{\"alg\":\"none\",\"kid\":\"k1\"}") + "." + t.sign(t.good()).split("\\.")[1]
                        + ".", "The access token is not a JWT signed with RS256"),
                row("HS256 keyed with the published public key (algorithm confusion)", t -> t.good()
                        .signWith(Keys.hmacShaKeyFor(t.key.getPublic().getEncoded()), Jwts.SIG.HS256).compact(),
                        "The access token is not a JWT signed with RS256"),
                row("HS256 with a shared secret (an exercise 04 token)", t -> t.good()
                        .signWith(Jwts.SIG.HS256.key().build()).compact(),
                        "The access token is not a JWT signed with RS256"),
                row("ES256 of another key pair", t -> t.good()
                        .signWith(EC.getPrivate(), Jwts.SIG.ES256).compact(),
                        "The access token is not a JWT signed with RS256"),
                row("a crit header", t -> t.sign(t.good().header().critical().add("exp").and().add("exp", 1).and()),
                        "The access token is not a JWT signed with RS256"),
                row("a crit header of an empty list (JJWT alone ignores it)", t -> t.signRaw("{\"alg\":\"RS256\","
                        + "\"typ\":\"at+jwt\",\"kid\":\"k1\",\"crit\":[]}", t.payload()),
                        "The access token is not a JWT signed with RS256"),
                row("typ JWT, as an ID token of the same keys", t -> t.sign(t.good().header().type("JWT").and()),
                        "The access token's typ is not at+jwt"),
                row("typ missing", t -> t.sign(t.good().header().type(null).and()),
                        "The access token's typ is not at+jwt"),
                row("kid missing", t -> t.sign(t.good().header().keyId(null).and()),
                        "The access token names no signing key (kid)"),
                row("a kid the issuer never published", t -> t.sign(t.good().header().keyId("made-up").and()),
                        "The access token is signed with a key the authorization server does not publish"),
                row("claims changed after signing (sub bob in alice's signed token)", t -> tampered(t.sign(t.good())),
                        "The access token's signature does not verify"),
                row("scope an array", t -> t.sign(t.good().claim("scope", List.of("orders.read"))),
                        "The access token's scope is not a string"),
                row("scope with two spaces", t -> t.sign(t.good().claim("scope", "orders.read  orders.cancel")),
                        "The access token's scope is not a list of scope names"),
                row("auth_time a string", t -> t.sign(t.good().claim("auth_time", "yesterday")),
                        "The access token's auth_time is not a number of seconds"),
                row("auth_time 10^18 seconds, past any date",
                        t -> t.sign(t.good().claim("auth_time", 1_000_000_000_000_000_000L)),
                        "The access token's auth_time is not a number of seconds"),
                row("auth_time -10^18 seconds",
                        t -> t.sign(t.good().claim("auth_time", -1_000_000_000_000_000_000L)),
                        "The access token's auth_time is not a number of seconds"),
                row("a real token with == appended (base64url has no padding)", t -> t.sign(t.good()) + "==",
                        "The access token is not a well-formed signed JWT"),
                row("exp a string of digits (JJWT alone reads it as a date)", t -> t.signRaw("{\"alg\":\"RS256\","
                        + "\"typ\":\"at+jwt\",\"kid\":\"k1\"}", t.payload().replaceFirst("\"exp\":(\\d+)", "\"exp\":\"$1\"")),
                        "The access token is not a well-formed signed JWT"),
                row("not a JWT at all", t -> "not-a-jwt", "The access token is not a well-formed signed JWT"));
    }

    private static Arguments row(String name, Function<AccessTokenVerifierTest, String> token, String sentence) {
        return Arguments.of(Named.of("05.3 refused: " + name, token), sentence);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    @DisplayName("05.3 the rejection matrix: each bad token gets its sentence; the good token still passes")
    void rejectionMatrix(Function<AccessTokenVerifierTest, String> token, String sentence) throws Exception {
        assertRefused(token.apply(this), sentence);
    }

    @Test
    @DisplayName("05.3 the JWKS is found through the OpenID configuration when RFC 8414 metadata is missing")
    void openIdFallback() throws Exception {
        metadataPath = "/.well-known/openid-configuration";
        assertThat(verifier.verify(sign(good())).subject()).isEqualTo("alice");
    }

    @Test
    @DisplayName("05.3 metadata naming another issuer is not trusted: no key is fetched, the token is not accepted")
    void metadataOfAnotherIssuer() {
        metadataIssuer = "http://localhost:" + issuer.getPort();
        assertThatThrownBy(() -> verifier.verify(sign(good()))).isInstanceOf(IssuerKeys.UnavailableException.class);
        assertThat(jwksRequests).hasValue(0);
    }

    @Test
    @DisplayName("05.3 keys are cached by kid: one JWKS fetch for many tokens, refetches limited")
    void keyCache() throws Exception {
        for (int i = 0; i < 5; i++) {
            assertThat(verifier.verify(sign(good())).subject()).isEqualTo("alice");
        }
        assertThat(jwksRequests).as("JWKS fetches for five tokens of one kid").hasValue(1);
        for (int i = 0; i < 10; i++) {
            String madeUp = sign(good().header().keyId("made-up-" + i).and());
            assertThatThrownBy(() -> verifier.verify(madeUp)).hasMessage(
                    "The access token is signed with a key the authorization server does not publish");
        }
        assertThat(jwksRequests).as("JWKS fetches after ten unknown kids within 30 s of the first").hasValue(1);
        clock.advance(IssuerKeys.REFETCH_INTERVAL);
        for (int i = 0; i < 10; i++) {
            String madeUp = sign(good().header().keyId("again-" + i).and());
            assertThatThrownBy(() -> verifier.verify(madeUp)).isInstanceOf(AccessTokenVerifier.InvalidTokenException.class);
        }
        assertThat(jwksRequests).as("JWKS fetches after ten more, 30 s later").hasValue(2);
        clock.advance(IssuerKeys.MAX_AGE);
        assertThat(verifier.verify(sign(good())).subject()).isEqualTo("alice");
        assertThat(jwksRequests).as("a known kid, but a cache older than 10 minutes").hasValue(3);
    }

    @Test
    @DisplayName("05.3 a new signing key is picked up; a key no longer published stops being trusted")
    void rotation() throws Exception {
        assertThat(verifier.verify(sign(good())).subject()).isEqualTo("alice");
        KeyPair next = Jwts.SIG.RS256.keyPair().build();
        published.add(0, Map.entry("k2", (RSAPublicKey) next.getPublic()));
        String rotated = good().header().keyId("k2").and().signWith(next.getPrivate(), Jwts.SIG.RS256).compact();
        clock.advance(IssuerKeys.REFETCH_INTERVAL);
        assertThat(verifier.verify(rotated).subject()).isEqualTo("alice");
        assertThat(verifier.verify(sign(good())).subject()).as("the previous key, still published").isEqualTo("alice");
        published.removeIf(entry -> entry.getKey().equals("k1"));
        clock.advance(IssuerKeys.MAX_AGE);
        assertThatThrownBy(() -> verifier.verify(sign(good()))).hasMessage(
                "The access token is signed with a key the authorization server does not publish");
        assertThat(verifier.verify(rotated).subject()).isEqualTo("alice");
    }

    @Test
    @DisplayName("05.3 a hung issuer delays only the tokens that need its answer, each for a bounded time")
    void hungIssuer() throws Exception {
        assertThat(verifier.verify(sign(good())).subject()).isEqualTo("alice"); // k1 is cached now
        hangEntered = new CountDownLatch(1);
        hangRelease = new CountDownLatch(1);
        clock.advance(IssuerKeys.REFETCH_INTERVAL);
        ExecutorService callers = Executors.newFixedThreadPool(3);
        try {
            Future<Throwable> newKid = callers.submit(() -> catchThrowable(
                    () -> verifier.verify(sign(good().header().keyId("rotated-in").and()))));
            assertThat(hangEntered.await(10, TimeUnit.SECONDS)).as("a token with a new kid asks the issuer").isTrue();
            Future<String> cached = callers.submit(() -> verifier.verify(sign(good())).subject());
            assertThat(cached.get(3, TimeUnit.SECONDS)).as("a token whose key is cached, while the issuer hangs:"
                    + " it must not wait for that fetch").isEqualTo("alice");
            Future<Throwable> alsoNew = callers.submit(() -> catchThrowable(
                    () -> verifier.verify(sign(good().header().keyId("also-new").and()))));
            assertThat(alsoNew.get(3, TimeUnit.SECONDS)).as("a second new kid while the fetch hangs: it may wait"
                    + " for that fetch's answer, but at most WAIT_FOR_FETCH, then the keys are unavailable (503)")
                    .isInstanceOf(IssuerKeys.UnavailableException.class);
            hangRelease.countDown();
            assertThat(newKid.get(10, TimeUnit.SECONDS)).as("the issuer does not publish rotated-in")
                    .isInstanceOf(AccessTokenVerifier.InvalidTokenException.class);
            assertThat(jwksRequests).as("one fetch at a time: the first, and the one that hung").hasValue(2);
        } finally {
            hangRelease.countDown();
            hangRelease = null;
            callers.shutdownNow();
        }
    }

    @Test
    @DisplayName("05.3 an unreachable authorization server: keys unavailable (503), never a stack trace")
    void outage() throws Exception {
        URI nobody;
        try (java.net.ServerSocket closed = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            nobody = URI.create("http://127.0.0.1:" + closed.getLocalPort());
        }
        AccessTokenVerifier unreachable = verifierFor(nobody);
        assertThatThrownBy(() -> unreachable.verify(sign(good().issuer(nobody.toString()))))
                .isInstanceOf(IssuerKeys.UnavailableException.class).hasMessageNotContaining("Exception");
        assertThat(verifier.verify(sign(good())).subject()).isEqualTo("alice");
    }

    /** The JSON of the good token's claims, as JJWT writes it. */
    private String payload() {
        return new String(Base64.getUrlDecoder().decode(sign(good()).split("\\.")[1]), StandardCharsets.UTF_8);
    }

    /** A header and claims written by hand, signed RS256 with the published key k1. */
    private String signRaw(String header, String payload) {
        try {
            String signingInput = b64(header) + "." + b64(payload);
            Signature rsa = Signature.getInstance("SHA256withRSA");
            rsa.initSign(key.getPrivate());
            rsa.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(rsa.sign());
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The token with its payload's subject changed and the signature kept. */
    private static String tampered(String token) {
        String[] parts = token.split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                .replace("\"sub\":\"alice\"", "\"sub\":\"bob\"");
        return parts[0] + "." + b64(payload) + "." + parts[2];
    }

    private static String b64(String text) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
