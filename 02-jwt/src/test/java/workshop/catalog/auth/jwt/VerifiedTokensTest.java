package workshop.catalog.auth.jwt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import workshop.catalog.Config;
import workshop.catalog.demo.DemoClock;
import workshop.catalog.support.TestTokens;
import workshop.catalog.support.TestUsers;

@DisplayName("The verified-token cache of the token service, with a clock the test moves")
class VerifiedTokensTest {

    private static final Instant NOW = Instant.parse("2026-03-01T09:00:00Z");
    private static final Duration SKEW = Duration.ofSeconds(TokenService.CLOCK_SKEW_SECONDS);

    private final String secret = Config.randomSecret();
    private final DemoClock clock = new DemoClock(NOW);
    private final TokenService tokens = new TokenService(secret, clock, TokenService.DEFAULT_LIFETIME);
    private final UserDirectory.User bob;

    VerifiedTokensTest() throws Exception {
        bob = new TestUsers().directory.enabledUser("bob").orElseThrow();
    }

    @Test
    @DisplayName("a verified token is remembered, and verifying it again gives the same caller")
    void verifiedTokenIsRemembered() throws Exception {
        String token = tokens.issue(bob).value();
        assertThat(tokens.remembers(token)).isFalse();
        TokenService.Principal first = tokens.verify(token);

        assertThat(tokens.remembers(token)).isTrue();
        assertThat(tokens.verify(token)).isEqualTo(first).isEqualTo(tokens.verifyWithoutCache(token));
    }

    @Test
    @DisplayName("a remembered token is refused as expired at the very second a token never seen is; a new token passes right after")
    void rememberedTokenExpires() throws Exception {
        String token = tokens.issue(bob).value();
        tokens.verify(token);
        clock.advance(TokenService.DEFAULT_LIFETIME.plus(SKEW));
        assertThat(tokens.verify(token).subject()).isEqualTo("bob");
        assertThat(tokens.remembers(token)).isTrue();

        clock.advance(Duration.ofSeconds(1));
        assertThat(tokens.remembers(token)).isFalse();
        assertThatThrownBy(() -> tokens.verify(token)).hasMessage("The access token expired");
        assertThatThrownBy(() -> tokens.verifyWithoutCache(token)).hasMessage("The access token expired");

        String fresh = tokens.issue(bob).value();
        assertThat(tokens.verify(fresh).subject()).isEqualTo("bob");
    }

    @Test
    @DisplayName("a clock set back to before the token was verified makes it take the whole check again")
    void clockSetBackMisses() throws Exception {
        String token = tokens.issue(bob).value();
        tokens.verify(token);

        clock.advance(Duration.ofSeconds(-1));
        assertThat(tokens.remembers(token)).isFalse();
        clock.advance(Duration.ofSeconds(1));
        assertThat(tokens.verify(token).subject()).isEqualTo("bob");
        assertThat(tokens.remembers(token)).isTrue();
    }

    @Test
    @DisplayName("a refused token is never remembered: a bad signature stays refused; the good token passes")
    void refusedTokenIsNotRemembered() throws Exception {
        String token = tokens.issue(bob).value();
        String forged = token.substring(0, token.lastIndexOf('.') + 1) + TestTokens.encode("not the signature");

        assertThatThrownBy(() -> tokens.verify(forged)).hasMessage("The token signature is not valid");
        assertThat(tokens.remembers(forged)).isFalse();
        assertThatThrownBy(() -> tokens.verify(forged)).hasMessage("The token signature is not valid");
        assertThat(tokens.verify(token).subject()).isEqualTo("bob");
    }

    @Test
    @DisplayName("the cache stays bounded: when full, expired entries go first, and if none had expired, all of them")
    void cacheIsBounded() throws Exception {
        VerifiedTokens cache = new VerifiedTokens(clock, TokenService.CLOCK_SKEW_SECONDS);
        TokenService.Principal soon = principal(NOW.plusSeconds(60));
        TokenService.Principal later = principal(NOW.plusSeconds(3600));
        cache.remember("later", later);
        for (int i = 1; i < VerifiedTokens.MAX_ENTRIES; i++) {
            cache.remember("soon-" + i, soon);
        }
        assertThat(cache.size()).isEqualTo(VerifiedTokens.MAX_ENTRIES);

        clock.advance(Duration.ofSeconds(60).plus(SKEW).plusSeconds(1));
        cache.remember("next", later);
        assertThat(cache.size()).isEqualTo(2);
        assertThat(cache.find("later")).isEqualTo(later);
        assertThat(cache.find("soon-1")).isNull();

        for (int i = cache.size(); i < VerifiedTokens.MAX_ENTRIES; i++) {
            cache.remember("more-" + i, later);
        }
        cache.remember("one too many", later);
        assertThat(cache.size()).isEqualTo(1);
        assertThat(cache.find("one too many")).isEqualTo(later);
    }

    /** What a real token valid until {@code expiresAt} says (the record differs between steps; this does not). */
    private TokenService.Principal principal(Instant expiresAt) throws Exception {
        TokenService issuer = new TokenService(secret, clock, Duration.between(clock.instant(), expiresAt));
        return issuer.verifyWithoutCache(issuer.issue(bob).value());
    }
}
