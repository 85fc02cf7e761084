package workshop.catalog.auth.resourceserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.sun.net.httpserver.HttpServer;
import io.jsonwebtoken.JwtBuilder;
import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.security.Jwks;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import workshop.catalog.demo.DemoClock;

/**
 * The verifier's claim rules and the key discovery, against a small issuer the test controls (a JDK HTTP server
 * publishing metadata and a JWK Set for a key pair of the test): here the test can sign any claims with the trusted
 * key, which the real authorization server never would. Each refusal is checked next to the good token.
 */
@DisplayName("Access token verification: claims, metadata discovery and the key cache")
class AccessTokenVerifierTest {

    private static final URI RESOURCE = URI.create("http://127.0.0.1:8080/mcp");

    private final KeyPair key = Jwts.SIG.RS256.keyPair().build();
    private final DemoClock clock = DemoClock.followingSystem();
    private final AtomicInteger jwksRequests = new AtomicInteger();
    /** Set by a test: the issuer's key set then hangs until released, as a server that stopped answering. */
    private volatile CountDownLatch hangEntered;
    private volatile CountDownLatch hangRelease;
    private HttpServer issuerServer;
    private URI issuer;
    private String metadataPath = "/.well-known/oauth-authorization-server";
    private String metadataIssuer;
    private AccessTokenVerifier verifier;
    private IssuerKeys keys;

    @BeforeEach
    void start() throws Exception {
        issuerServer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        issuer = URI.create("http://127.0.0.1:" + issuerServer.getAddress().getPort());
        metadataIssuer = issuer.toString();
        issuerServer.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            String body = null;
            if (path.equals(metadataPath)) {
                body = "{\"issuer\":\"" + metadataIssuer + "\",\"jwks_uri\":\"" + issuer + "/jwks\"}";
            } else if (path.equals("/jwks")) {
                jwksRequests.incrementAndGet();
                if (hangRelease != null) {
                    hangEntered.countDown();
                    try {
                        hangRelease.await(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                body = "{\"keys\":[" + Jwks.json(Jwks.builder().key((RSAPublicKey) key.getPublic()).id("k1")
                        .algorithm("RS256").build()) + "]}";
            }
            byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(body == null ? 404 : 200, bytes.length == 0 ? -1 : bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        issuerServer.start();
        ProtectedResource resource = new ProtectedResource(RESOURCE, issuer, List.of("catalog.read"));
        keys = new IssuerKeys(issuer, clock, HttpClient.newHttpClient());
        verifier = new AccessTokenVerifier(resource, keys, clock);
    }

    @AfterEach
    void stop() {
        if (hangRelease != null) {
            hangRelease.countDown();
        }
        issuerServer.stop(0);
    }

    private JwtBuilder good() {
        return Jwts.builder().header().keyId("k1").type("at+jwt").and().issuer(issuer.toString()).audience().add(RESOURCE.toString())
                .and().subject("alice").claim("scope", "catalog.read catalog.write")
                .issuedAt(Date.from(clock.instant())).notBefore(Date.from(clock.instant()))
                .expiration(Date.from(clock.instant().plusSeconds(300)));
    }

    private String sign(JwtBuilder builder) {
        return builder.signWith(key.getPrivate(), Jwts.SIG.RS256).compact();
    }

    private void assertRefused(String token, String sentence) {
        assertThatThrownBy(() -> verifier.verify(token)).isInstanceOf(AccessTokenVerifier.InvalidTokenException.class)
                .hasMessage(sentence);
    }

    @Test
    @DisplayName("a good token gives its subject and its scope claim split on spaces")
    void goodToken() throws Exception {
        AccessTokenVerifier.Verified verified = verifier.verify(sign(good()));
        assertThat(verified.subject()).isEqualTo("alice");
        assertThat(verified.scopes()).containsExactly("catalog.read", "catalog.write");
    }

    @Test
    @DisplayName("a wrong iss, a wrong or missing aud, a missing sub, a missing exp are refused with fixed sentences")
    void claimRules() throws Exception {
        assertRefused(sign(good().issuer("http://127.0.0.1:1")), "The access token was issued by another authorization server");
        assertRefused(sign(good().issuer(null)), "The access token was issued by another authorization server");
        assertRefused(sign(good().audience().single("http://localhost:8080/mcp")), "The access token is for another resource");
        assertRefused(sign(good().audience().single(RESOURCE + "/")), "The access token is for another resource");
        assertRefused(sign(good().subject(null)), "The access token names no subject");
        assertRefused(sign(good().expiration(null)), "The access token has no expiry");
        assertThat(verifier.verify(sign(good().audience().add("https://other.example/api").and())).subject())
                .isEqualTo("alice");
    }

    @Test
    @DisplayName("a scope claim that is not one string of names separated by single spaces makes the token invalid; none grants nothing")
    void scopeShape() throws Exception {
        assertRefused(sign(good().claim("scope", List.of("catalog.read"))), "The access token's scope is not a string");
        assertRefused(sign(good().claim("scope", "catalog.read  catalog.write")),
                "The access token's scope is not a list of scope names");
        assertRefused(sign(good().claim("scope", " catalog.read")), "The access token's scope is not a list of scope names");
        assertThat(verifier.verify(sign(good().claim("scope", null))).scopes()).isEmpty();
        assertThat(verifier.verify(sign(good().claim("scope", ""))).scopes()).isEmpty();
    }

    @Test
    @DisplayName("the JWKS is found through OpenID metadata when RFC 8414 metadata is missing")
    void openIdFallback() throws Exception {
        metadataPath = "/.well-known/openid-configuration";
        assertThat(verifier.verify(sign(good())).subject()).isEqualTo("alice");
    }

    @Test
    @DisplayName("metadata that names another issuer is not trusted: no key is fetched, and the request is not served")
    void metadataOfAnotherIssuer() {
        metadataIssuer = "http://localhost:" + issuer.getPort();
        assertThatThrownBy(() -> verifier.verify(sign(good()))).isInstanceOf(IssuerKeys.UnavailableException.class);
        assertThat(jwksRequests).hasValue(0);
    }

    @Test
    @DisplayName("unknown kids refetch the JWKS at most once per interval, counted at the issuer")
    void refetchAtMostOncePerInterval() throws Exception {
        assertThat(verifier.verify(sign(good())).subject()).isEqualTo("alice");
        assertThat(jwksRequests).hasValue(1);
        for (int i = 0; i < 10; i++) {
            assertRefused(sign(good().header().keyId("made-up-" + i).and()),
                    "The access token is signed with a key the authorization server does not publish");
        }
        assertThat(jwksRequests).hasValue(1);
        clock.advance(IssuerKeys.REFETCH_INTERVAL);
        for (int i = 0; i < 10; i++) {
            assertRefused(sign(good().header().keyId("again-" + i).and()),
                    "The access token is signed with a key the authorization server does not publish");
        }
        assertThat(jwksRequests).hasValue(2);
        assertThat(keys.fetches()).isEqualTo(2);
        clock.advance(IssuerKeys.MAX_AGE);
        assertThat(verifier.verify(sign(good())).subject()).isEqualTo("alice"); // a known kid, but the cache is old
        assertThat(jwksRequests).hasValue(3);
    }

    @Test
    @DisplayName("a hung issuer holds up only the callers that need its answer, each for a bounded time")
    void hungIssuerHoldsUpOnlyWhatNeedsIt() throws Exception {
        assertThat(verifier.verify(sign(good())).subject()).isEqualTo("alice"); // k1 is cached now
        hangEntered = new CountDownLatch(1);
        hangRelease = new CountDownLatch(1);
        clock.advance(IssuerKeys.REFETCH_INTERVAL);
        ExecutorService callers = Executors.newFixedThreadPool(3);
        try {
            Future<RSAPublicKey> unknown = callers.submit(() -> keys.find("rotated-in"));
            assertThat(hangEntered.await(10, TimeUnit.SECONDS)).as("a token with a new kid asks the issuer").isTrue();
            // The issuer now hangs (its client would give up after 5 s). A token whose key is cached does not wait:
            Future<String> cached = callers.submit(() -> verifier.verify(sign(good())).subject());
            assertThat(cached.get(3, TimeUnit.SECONDS)).as("a cached key is answered during the fetch").isEqualTo("alice");
            // Another new kid needs the fetch's answer: it waits for it, but not longer than WAIT_FOR_FETCH.
            Future<Throwable> waiting = callers.submit(() -> catchThrowable(() -> keys.find("also-new")));
            assertThat(waiting.get(3, TimeUnit.SECONDS)).as("a second new kid, while the fetch hangs")
                    .isInstanceOf(IssuerKeys.UnavailableException.class);
            hangRelease.countDown();
            assertThat(unknown.get(10, TimeUnit.SECONDS)).as("the issuer does not publish rotated-in").isNull();
            assertThat(jwksRequests).as("one fetch at a time, and only one").hasValue(2);
        } finally {
            callers.shutdownNow();
        }
    }

    @Test
    @DisplayName("an ID token or any JWT not typed at+jwt (RFC 9068) is refused; at+jwt in any case and application/at+jwt pass")
    void accessTokenType() throws Exception {
        assertRefused(sign(good().header().type(null).and()), "The access token's typ is not at+jwt");
        assertRefused(sign(good().header().type("JWT").and()), "The access token's typ is not at+jwt");
        assertThat(verifier.verify(sign(good().header().type("AT+JWT").and())).subject()).isEqualTo("alice");
        assertThat(verifier.verify(sign(good().header().type("application/at+jwt").and())).subject())
                .isEqualTo("alice");
    }

    @Test
    @DisplayName("what JJWT alone lets through is refused: == appended, stray bits, crit [], exp or nbf as a string")
    void lenientParsing() throws Exception {
        String token = sign(good());
        assertThat(verifier.verify(token).subject()).isEqualTo("alice");
        assertRefused(token + "==", "The access token is not a well-formed signed JWT");
        String[] parts = token.split("\\.");
        assertRefused(parts[0] + "=." + parts[1] + "." + parts[2], "The access token is not a well-formed signed JWT");
        // The signature's last character carries unused low bits (its length is never a multiple of 4): set one.
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        char last = parts[2].charAt(parts[2].length() - 1);
        assertRefused(parts[0] + "." + parts[1] + "." + parts[2].substring(0, parts[2].length() - 1)
                + alphabet.charAt(alphabet.indexOf(last) ^ 1), "The access token is not a well-formed signed JWT");
        assertRefused(signRaw("{\"alg\":\"RS256\",\"typ\":\"at+jwt\",\"kid\":\"k1\",\"crit\":[]}", payload(good())),
                "The access token is not a JWT signed with RS256");
        String header = "{\"alg\":\"RS256\",\"typ\":\"at+jwt\",\"kid\":\"k1\"}";
        assertThat(verifier.verify(signRaw(header, payload(good()))).subject()).as("the same token, signed by hand")
                .isEqualTo("alice");
        assertRefused(signRaw(header, payload(good()).replaceFirst("\"exp\":(\\d+)", "\"exp\":\"$1\"")),
                "The access token is not a well-formed signed JWT");
        assertRefused(signRaw(header, payload(good()).replaceFirst("\"exp\":\\d+", "\"exp\":\"2099-01-01T00:00:00Z\"")),
                "The access token is not a well-formed signed JWT");
        assertRefused(signRaw(header, payload(good()).replaceFirst("\"nbf\":(\\d+)", "\"nbf\":\"$1\"")),
                "The access token is not a well-formed signed JWT");
    }

    /** The JSON of the good token's claims, as JJWT writes it. */
    private String payload(JwtBuilder builder) {
        return new String(Base64.getUrlDecoder().decode(sign(builder).split("\\.")[1]), StandardCharsets.UTF_8);
    }

    /** Signs a header and payload written by hand, with the published key. */
    private String signRaw(String header, String payload) throws Exception {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String signingInput = b64.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(payload.getBytes(StandardCharsets.UTF_8));
        Signature rsa = Signature.getInstance("SHA256withRSA");
        rsa.initSign(key.getPrivate());
        rsa.update(signingInput.getBytes(StandardCharsets.US_ASCII));
        return signingInput + "." + b64.encodeToString(rsa.sign());
    }

    @Test
    @DisplayName("no kid, a crit header, or an unreachable issuer are refused without a stack trace")
    void oddHeadersAndOutage() throws Exception {
        assertRefused(sign(good().header().keyId(null).and()), "The access token names no signing key (kid)");
        // crit: an extension this server does not understand (RFC 7515 §4.1.11) is refused like an unknown alg
        assertRefused(sign(good().header().critical().add("exp").and().add("exp", 1).and()),
                "The access token is not a JWT signed with RS256");
        issuerServer.stop(0);
        assertThatThrownBy(() -> verifier.verify(sign(good()))).isInstanceOf(IssuerKeys.UnavailableException.class)
                .hasMessageNotContaining("Exception");
    }
}
