package workshop.catalog.auth.resourceserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jsonwebtoken.Jwts;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import workshop.catalog.Wiring;
import workshop.catalog.support.RawHttp;
import workshop.catalog.support.TestStack;

/**
 * Step 05's verified-token cache ({@link VerifiedTokens}, inside {@link AccessTokenVerifier}), with the step's own
 * authorization server issuing the tokens: each test checks a verifier of its own (whose cache it can look into) and
 * the server's {@code /mcp} on a real socket (whose filter has its cache too), on a clock the test moves.
 */
@DisplayName("Step 05: the verified-token cache answers a token again only while it is in time and its key published")
class VerifiedTokensTest {

    private static TestStack stack;
    private static String metadataUrl;

    @BeforeAll
    static void start() throws Exception {
        stack = TestStack.start();
        metadataUrl = stack.mcp.resolve("/.well-known/oauth-protected-resource/mcp").toString();
    }

    @AfterAll
    static void stop() throws Exception {
        stack.close();
    }

    @Test
    @DisplayName("a token verified once is answered from the cache: the very same Verified, equal to what the whole check says")
    void hitReturnsTheSameVerified() throws Exception {
        String token = stack.token("bob", "catalog.read");
        AccessTokenVerifier verifier = verifier();
        AccessTokenVerifier.Verified first = verifier.verify(token);
        assertThat(verifier.cache().size()).isEqualTo(1);
        assertThat(verifier.verify(token)).isSameAs(first).isEqualTo(verifier.verifyWithoutCache(token));
        assertThat(first.subject()).isEqualTo("bob");
        assertThat(first.scopes()).containsExactly("catalog.read");
        assertAccepted(token);
        assertAccepted(token);
    }

    @Test
    @DisplayName("the cache is keyed by the token's SHA-256, never by the token's text")
    void keyedByHash() throws Exception {
        String token = stack.token("bob", "catalog.read");
        AccessTokenVerifier verifier = verifier();
        verifier.verify(token);
        byte[] text = token.getBytes(StandardCharsets.UTF_8);
        assertThat(verifier.cache().keys())
                .containsExactly(ByteBuffer.wrap(MessageDigest.getInstance("SHA-256").digest(text)))
                .doesNotContain(ByteBuffer.wrap(text));
    }

    @Test
    @DisplayName("a refusal is never remembered: a forged token is refused every time and leaves the cache empty")
    void refusalsAreNotCached() throws Exception {
        String token = stack.token("bob", "catalog.read");
        String[] parts = token.split("\\.");
        char flipped = parts[2].charAt(10) == 'A' ? 'B' : 'A'; // a middle character: still canonical base64url
        String forged = parts[0] + "." + parts[1] + "." + parts[2].substring(0, 10) + flipped + parts[2].substring(11);
        AccessTokenVerifier verifier = verifier();
        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(() -> verifier.verify(forged))
                    .hasMessage("The access token's signature does not verify");
        }
        assertThat(verifier.cache().size()).isZero();
        assertThat(verifier.verify(token).subject()).isEqualTo("bob");
        assertThat(verifier.cache().size()).isEqualTo(1);
    }

    @Test
    @DisplayName("a remembered token passes until the clock is past exp plus 30 s, then is refused as expired, on the verifier and on /mcp")
    void expiredOnAHit() throws Exception {
        String token = stack.token("carol", "catalog.read");
        Instant expiry = Instant.ofEpochSecond((long) ResourceServerTest.claims(token).get("exp"));
        AccessTokenVerifier verifier = verifier();
        AccessTokenVerifier.Verified first = verifier.verify(token);
        assertAccepted(token); // now in the filter's cache too
        // The clock follows real time; margins of 5 s keep a slow machine from landing on the boundary.
        Duration toExpiry = Duration.between(stack.clock.instant(), expiry);
        stack.clock.advance(toExpiry.plusSeconds(25));
        try {
            assertThat(verifier.verify(token)).isSameAs(first);
            assertAccepted(token);
            stack.clock.advance(Duration.ofSeconds(10));
            assertThatThrownBy(() -> verifier.verify(token)).hasMessage("The access token expired");
            assertThat(verifier.cache().size()).isZero();
            assertRefused(token, "The access token expired");
        } finally {
            stack.clock.advance(toExpiry.plusSeconds(35).negated());
        }
    }

    @Test
    @DisplayName("a remembered token is refused as not valid yet when the clock is set back before nbf minus 30 s, and passes again after")
    void notValidYetOnAHit() throws Exception {
        String token = stack.token("carol", "catalog.read");
        Instant notBefore = Instant.ofEpochSecond((long) ResourceServerTest.claims(token).get("nbf"));
        AccessTokenVerifier verifier = verifier();
        verifier.verify(token);
        assertAccepted(token);
        Duration back = Duration.between(stack.clock.instant(), notBefore).minusSeconds(35);
        stack.clock.advance(back);
        try {
            assertThatThrownBy(() -> verifier.verify(token)).hasMessage("The access token is not valid yet");
            assertRefused(token, "The access token is not valid yet");
        } finally {
            stack.clock.advance(back.negated());
        }
        assertThat(verifier.verify(token).subject()).isEqualTo("carol");
        assertAccepted(token);
    }

    @Test
    @DisplayName("a remembered token whose key the authorization server stopped publishing is refused after the JWKS refetch; one whose key is still published stays a hit")
    void keyNoLongerPublished() throws Exception {
        String old = stack.token("alice", "catalog.read");
        AccessTokenVerifier verifier = verifier();
        verifier.verify(old);
        assertAccepted(old);
        stack.authServer.rotateSigningKey();
        String middle = stack.token("alice", "catalog.read");
        stack.authServer.rotateSigningKey(); // the server keeps two keys: old's is no longer published
        String newest = stack.token("alice", "catalog.read");
        stack.clock.advance(IssuerKeys.REFETCH_INTERVAL);
        try {
            AccessTokenVerifier.Verified middleVerified = verifier.verify(middle); // a new kid: the set is refetched
            assertAccepted(newest);
            assertThatThrownBy(() -> verifier.verify(old))
                    .hasMessage("The access token is signed with a key the authorization server does not publish");
            assertRefused(old, "The access token is signed with a key the authorization server does not publish");
            assertThat(verifier.verify(middle)).isSameAs(middleVerified);
            assertAccepted(middle);
        } finally {
            stack.clock.advance(IssuerKeys.REFETCH_INTERVAL.negated());
        }
    }

    @Test
    @DisplayName("an entry whose kid now names another key is dropped, and one with the published key is a hit")
    void anotherKeyUnderTheSameKid() throws Exception {
        String token = stack.token("bob", "catalog.read");
        AccessTokenVerifier.Verified verified = verifier().verify(token);
        String kid = stack.authServer.currentKid();
        RSAPublicKey published = stack.wiring.keys().find(kid);
        RSAPublicKey foreign = (RSAPublicKey) Jwts.SIG.RS256.keyPair().build().getPublic();
        VerifiedTokens cache = new VerifiedTokens(stack.wiring.keys(), stack.clock, AccessTokenVerifier.SKEW_SECONDS);
        Instant expiry = stack.clock.instant().plusSeconds(60);
        cache.remember("signed by another key", new VerifiedTokens.Entry(verified, kid, foreign, null, expiry));
        cache.remember("signed by the published key", new VerifiedTokens.Entry(verified, kid, published, null, expiry));
        assertThat(cache.find("signed by another key")).isNull();
        assertThat(cache.find("signed by the published key")).isSameAs(verified);
        assertThat(cache.size()).isEqualTo(1);
    }

    @Test
    @DisplayName("the cache stays bounded: when full, expired entries go first, and if none had expired, all of them")
    void bounded() throws Exception {
        String token = stack.token("bob", "catalog.read");
        AccessTokenVerifier.Verified verified = verifier().verify(token);
        String kid = stack.authServer.currentKid();
        RSAPublicKey key = stack.wiring.keys().find(kid);
        VerifiedTokens cache = new VerifiedTokens(stack.wiring.keys(), stack.clock, AccessTokenVerifier.SKEW_SECONDS);
        Instant now = stack.clock.instant();
        VerifiedTokens.Entry soon = new VerifiedTokens.Entry(verified, kid, key, null, now.plusSeconds(60));
        VerifiedTokens.Entry later = new VerifiedTokens.Entry(verified, kid, key, null, now.plusSeconds(3600));
        cache.remember("later", later);
        for (int i = 1; i < VerifiedTokens.MAX_ENTRIES; i++) {
            cache.remember("soon-" + i, soon);
        }
        assertThat(cache.size()).isEqualTo(VerifiedTokens.MAX_ENTRIES);

        Duration moved = Duration.ofSeconds(60 + AccessTokenVerifier.SKEW_SECONDS + 1);
        stack.clock.advance(moved);
        try {
            cache.remember("next", later);
            assertThat(cache.size()).isEqualTo(2);
            assertThat(cache.find("later")).isSameAs(verified);
            assertThat(cache.find("soon-1")).isNull();

            for (int i = cache.size(); i < VerifiedTokens.MAX_ENTRIES; i++) {
                cache.remember("more-" + i, later);
            }
            cache.remember("one too many", later);
            assertThat(cache.size()).isEqualTo(1);
            assertThat(cache.find("one too many")).isSameAs(verified);
        } finally {
            stack.clock.advance(moved.negated());
        }
    }

    /** A verifier like the one Wiring gives the filter: the same keys, the same clock, a cache of its own. */
    private static AccessTokenVerifier verifier() {
        return new AccessTokenVerifier(new ProtectedResource(stack.mcp, stack.wiring.issuer(), Wiring.SCOPES),
                stack.wiring.keys(), stack.clock);
    }

    private static void assertAccepted(String token) throws Exception {
        assertThat(RawHttp.initialize(stack.mcp, "Authorization", "Bearer " + token).statusCode()).isEqualTo(200);
    }

    private static void assertRefused(String token, String description) throws Exception {
        HttpResponse<String> refused = RawHttp.initialize(stack.mcp, "Authorization", "Bearer " + token);
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(401);
        assertThat(RawHttp.challenge(refused)).isEqualTo("Bearer realm=\"mcp\", resource_metadata=\"" + metadataUrl
                + "\", scope=\"catalog.read\", error=\"invalid_token\", error_description=\"" + description + "\"");
    }
}
