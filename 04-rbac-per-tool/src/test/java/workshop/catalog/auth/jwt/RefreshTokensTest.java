package workshop.catalog.auth.jwt;

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
import workshop.catalog.demo.DemoClock;

@DisplayName("The refresh token store, with a clock the test moves")
class RefreshTokensTest {

    private final DemoClock clock = new DemoClock(Instant.parse("2026-03-01T09:00:00Z"));
    private final RefreshTokens store = new RefreshTokens(clock, RefreshTokens.DEFAULT_LIFETIME);

    private String refusal(String token) {
        Throwable refused = catchThrowable(() -> store.rotate(token));
        return refused == null ? "accepted" : ((RefreshTokens.InvalidGrantException) refused).getMessage();
    }

    @Test
    @DisplayName("tokens are 256 random bits in base64url, all different, and only their hashes are stored")
    void tokensAreRandomAndStoredHashed() {
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
    @DisplayName("a refresh returns the next token of the user and retires the one given")
    void rotation() throws Exception {
        String first = store.issue("bob");
        RefreshTokens.Rotated next = store.rotate(first);
        assertThat(next.username()).isEqualTo("bob");
        assertThat(next.refreshToken()).isNotEqualTo(first);
        assertThat(next.toString()).doesNotContain(next.refreshToken());
        assertThat(store.rotate(next.refreshToken()).username()).isEqualTo("bob");
    }

    @Test
    @DisplayName("a retired token that comes back revokes its whole family, but not other logins")
    void reuseRevokesTheFamily() throws Exception {
        String first = store.issue("bob");
        String otherLogin = store.issue("bob");
        String second = store.rotate(first).refreshToken();
        String third = store.rotate(second).refreshToken();

        assertThat(refusal(first)).startsWith("The refresh token was already used");
        assertThat(refusal(third)).isEqualTo("The refresh token was revoked; log in again");
        assertThat(refusal(second)).isEqualTo("The refresh token was revoked; log in again");
        assertThat(refusal(otherLogin)).isEqualTo("accepted");
    }

    @Test
    @DisplayName("unknown strings are refused without revoking anything")
    void unknownToken() {
        String live = store.issue("bob");
        assertThat(refusal("not-a-token")).isEqualTo("The refresh token is not valid");
        assertThat(refusal("")).isEqualTo("The refresh token is not valid");
        assertThat(refusal(live)).isEqualTo("accepted");
    }

    @Test
    @DisplayName("a family ends 8 hours after its login: refreshing does not extend it")
    void familyLifetimeIsAbsolute() throws Exception {
        String token = store.issue("bob");
        clock.advance(Duration.ofHours(7));
        String later = store.rotate(token).refreshToken();
        clock.advance(Duration.ofMinutes(59));
        String last = store.rotate(later).refreshToken();
        clock.advance(Duration.ofMinutes(1));
        assertThat(refusal(last)).isEqualTo("The refresh token expired; log in again");
    }

    @Test
    @DisplayName("revoke() ends the family of any of its tokens; an unknown token is ignored")
    void revoke() throws Exception {
        String first = store.issue("bob");
        String second = store.rotate(first).refreshToken();
        store.revoke(first);
        assertThat(refusal(second)).isEqualTo("The refresh token was revoked; log in again");
        store.revoke("never-issued");
        assertThat(refusal(store.issue("bob"))).isEqualTo("accepted");
    }

    @Test
    @DisplayName("expired entries are dropped when new tokens are issued, so the store does not grow forever")
    void expiredEntriesAreDropped() {
        for (int i = 0; i < 10; i++) {
            store.issue("bob");
        }
        clock.advance(RefreshTokens.DEFAULT_LIFETIME);
        store.issue("bob");
        assertThat(store.size()).isEqualTo(1);
    }

    @Test
    @DisplayName("16 threads refreshing one token at once: exactly one wins")
    void concurrentRefreshes() throws Exception {
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
            assertThat(wins).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }
}
