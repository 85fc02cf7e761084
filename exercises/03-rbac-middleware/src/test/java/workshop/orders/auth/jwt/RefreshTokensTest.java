package workshop.orders.auth.jwt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import workshop.orders.demo.DemoClock;

/**
 * The refresh token store of exercise 02 (03.0): rotation, reuse detection, revocation, without HTTP, on
 * a clock the test moves. Every
 * refusal is checked next to a token that is accepted, so a store that refuses everything earns nothing.
 */
@DisplayName("The refresh token store, with a clock the test moves")
class RefreshTokensTest {

    private final DemoClock clock = new DemoClock(Instant.parse("2026-03-01T09:00:00Z"));
    private final RefreshTokens store = new RefreshTokens(clock, RefreshTokens.DEFAULT_LIFETIME);

    /** "accepted", or the sentence rotate() refused the token with. */
    private String refusal(String token) {
        Throwable refused = catchThrowable(() -> store.rotate(token));
        if (refused == null) {
            return "accepted";
        }
        assertThat(refused).as("rotate() refuses with InvalidGrantException, nothing else")
                .isInstanceOf(RefreshTokens.InvalidGrantException.class);
        return refused.getMessage();
    }

    @Test
    @DisplayName("03.0 a refresh returns the user and the next token, and retires the one given")
    void given_rotation() throws Exception {
        String first = store.issue("bob");
        RefreshTokens.Rotated next = store.rotate(first);
        assertThat(next.username()).isEqualTo("bob");
        assertThat(next.refreshToken()).matches("[A-Za-z0-9_-]{43}").isNotEqualTo(first);
        assertThat(next.toString()).doesNotContain(next.refreshToken());
        assertThat(store.storesVerbatim(next.refreshToken())).as("only the hash of the new token is stored").isFalse();
        RefreshTokens.Rotated third = store.rotate(next.refreshToken());
        assertThat(third.username()).isEqualTo("bob");
        assertThat(third.refreshToken()).isNotIn(first, next.refreshToken());
    }

    @Test
    @DisplayName("03.0 a retired token that comes back revokes its whole family, but not another login")
    void given_reuseRevokesTheFamily() throws Exception {
        String first = store.issue("bob");
        String otherLogin = store.issue("bob");
        String second = store.rotate(first).refreshToken();
        String third = store.rotate(second).refreshToken();

        assertThat(refusal(first)).isEqualTo("The refresh token was already used; every token of this login is now "
                + "revoked, log in again");
        assertThat(refusal(third)).as("the newest token of the family").isEqualTo(
                "The refresh token was revoked; log in again");
        assertThat(refusal(second)).isEqualTo("The refresh token was revoked; log in again");
        assertThat(refusal(otherLogin)).as("bob's other login").isEqualTo("accepted");
    }

    @Test
    @DisplayName("03.0 an unknown string is refused without revoking anything")
    void given_unknownToken() {
        String live = store.issue("bob");
        assertThat(refusal("not-a-token")).isEqualTo("The refresh token is not valid");
        assertThat(refusal("")).isEqualTo("The refresh token is not valid");
        assertThat(refusal(live)).isEqualTo("accepted");
    }

    @Test
    @DisplayName("03.0 a family ends 8 hours after its login: refreshing does not extend it")
    void given_familyLifetimeIsAbsolute() throws Exception {
        String token = store.issue("bob");
        clock.advance(Duration.ofHours(7));
        String later = store.rotate(token).refreshToken();
        clock.advance(Duration.ofMinutes(59));
        String last = store.rotate(later).refreshToken();
        clock.advance(Duration.ofMinutes(1));
        assertThat(refusal(last)).isEqualTo("The refresh token expired; log in again");
        assertThat(refusal(store.issue("bob"))).as("a new login").isEqualTo("accepted");
    }

    @Test
    @DisplayName("03.0 revoke() ends the family of any of its tokens, used or not; an unknown token is ignored")
    void given_revoke() throws Exception {
        String first = store.issue("bob");
        String second = store.rotate(first).refreshToken();
        store.revoke(first);
        assertThat(refusal(second)).isEqualTo("The refresh token was revoked; log in again");

        String other = store.issue("bob");
        store.revoke(other);
        assertThat(refusal(other)).isEqualTo("The refresh token was revoked; log in again");
        store.revoke("never-issued");
        assertThat(refusal(store.issue("bob"))).isEqualTo("accepted");
    }

    @Test
    @DisplayName("03.0 16 threads refreshing one token at once: exactly one wins")
    void given_concurrentRefreshes() throws Exception {
        String token = store.issue("bob");
        int threads = 16;
        CountDownLatch gate = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<String>> outcomes = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                outcomes.add(pool.submit(() -> {
                    gate.await();
                    return refusal(token);
                }));
            }
            gate.countDown();
            int wins = 0;
            for (Future<String> outcome : outcomes) {
                if (outcome.get().equals("accepted")) {
                    wins++;
                }
            }
            assertThat(wins).as("refreshes that won").isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    @DisplayName("03.0 tokens are 256 random bits in base64url, all different, and only their hashes are stored")
    void given_tokensAreRandomAndStoredHashed() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            String token = store.issue("bob");
            assertThat(token).matches("[A-Za-z0-9_-]{43}");
            assertThat(seen.add(token)).isTrue();
            assertThat(store.storesVerbatim(token)).isFalse();
        }
        assertThat(store.size()).isEqualTo(100);
    }

    @Test
    @DisplayName("03.0 expired entries are dropped when new tokens are issued, so the store does not grow forever")
    void given_expiredEntriesAreDropped() {
        for (int i = 0; i < 10; i++) {
            store.issue("bob");
        }
        clock.advance(RefreshTokens.DEFAULT_LIFETIME);
        store.issue("bob");
        assertThat(store.size()).isEqualTo(1);
    }

    @Test
    @DisplayName("03.0 a login holds at most MAX_TOKENS_PER_LOGIN tokens; the refresh past that is refused, ends it")
    void aLoginHasAtMostHundredTokens() throws Exception {
        String other = store.issue("bob");
        String token = store.issue("bob");
        int refreshes = 0;
        RefreshTokens.InvalidGrantException refused = null;
        while (refreshes < 2000 && refused == null) {
            try {
                token = store.rotate(token).refreshToken();
                refreshes++;
            } catch (RefreshTokens.InvalidGrantException past) {
                refused = past;
            }
        }
        assertThat(refreshes).isEqualTo(RefreshTokens.MAX_TOKENS_PER_LOGIN - 1);
        assertThat(refused).hasMessage("This login was refreshed 99 times, the most one login may; log in again");
        assertThat(store.size()).isEqualTo(1 + RefreshTokens.MAX_TOKENS_PER_LOGIN);
        assertThat(refusal(token)).as("the login's last token").isEqualTo("The refresh token was revoked; log in again");
        assertThat(refusal(other)).as("another login of bob").isEqualTo("accepted");
    }

    @Test
    @DisplayName("03.0 reuse is detected for a login's whole life: its first token, back 7 h 59 min later, revokes it")
    void reuseIsDetectedUntilTheLoginEnds() throws Exception {
        String first = store.issue("bob");
        String token = first;
        for (int i = 0; i < 50; i++) {
            token = store.rotate(token).refreshToken();
            clock.advance(Duration.ofMinutes(9));
        }
        clock.advance(RefreshTokens.DEFAULT_LIFETIME.minus(Duration.ofMinutes(50 * 9 + 1)));
        assertThat(refusal(first)).isEqualTo("The refresh token was already used; every token of this login is now "
                + "revoked, log in again");
        assertThat(refusal(token)).isEqualTo("The refresh token was revoked; log in again");
    }

    @Test
    @DisplayName("03.0 once a login has ended, its tokens leave the store")
    void endedLoginsLeaveTheStore() throws Exception {
        for (int login = 0; login < 20; login++) {
            String token = store.issue("bob");
            for (int i = 0; i < RefreshTokens.MAX_TOKENS_PER_LOGIN - 1; i++) {
                token = store.rotate(token).refreshToken();
            }
        }
        assertThat(store.size()).isEqualTo(20 * RefreshTokens.MAX_TOKENS_PER_LOGIN);
        clock.advance(RefreshTokens.DEFAULT_LIFETIME.plusMinutes(1));
        String fresh = store.issue("alice");
        assertThat(store.size()).isEqualTo(1);
        assertThat(refusal(fresh)).isEqualTo("accepted");
    }
}
