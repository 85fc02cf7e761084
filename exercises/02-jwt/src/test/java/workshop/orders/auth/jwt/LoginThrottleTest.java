package workshop.orders.auth.jwt;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import workshop.orders.demo.DemoClock;

@DisplayName("The login throttle, with a clock the test moves")
class LoginThrottleTest {

    private static final String HOME = "192.0.2.10";
    private static final String ATTACKER = "198.51.100.66";

    private final DemoClock clock = new DemoClock(Instant.parse("2026-03-01T09:00:00Z"));
    private final LoginThrottle throttle = new LoginThrottle(clock, 1, Duration.ZERO);

    private void fail(String username, String address, int times) {
        for (int i = 0; i < times; i++) {
            throttle.failed(username, address);
        }
    }

    @Test
    @DisplayName("02.0 after five failed logins of an account from one address, the next waits 1 s, 2, 4, ... 15 min")
    void waitsDouble() {
        fail("bob", ATTACKER, 4);
        assertThat(throttle.waitFor("bob", ATTACKER)).isZero();
        fail("bob", ATTACKER, 1);
        assertThat(throttle.waitFor("bob", ATTACKER)).isEqualTo(Duration.ofSeconds(1));
        for (long expected : new long[] {2, 4, 8}) {
            clock.advance(throttle.waitFor("bob", ATTACKER));
            assertThat(throttle.waitFor("bob", ATTACKER)).isZero();
            fail("bob", ATTACKER, 1);
            assertThat(throttle.waitFor("bob", ATTACKER)).isEqualTo(Duration.ofSeconds(expected));
        }
        fail("bob", ATTACKER, 30);
        assertThat(throttle.waitFor("bob", ATTACKER)).isEqualTo(LoginThrottle.MAX_WAIT);
    }

    @Test
    @DisplayName("02.0 an attacker's failures make nobody wait at the real user's address")
    void noLockoutFromElsewhere() {
        fail("bob", ATTACKER, 15);
        assertThat(throttle.waitFor("bob", ATTACKER)).isPositive();
        assertThat(throttle.waitFor("bob", HOME)).isZero();
    }

    @Test
    @DisplayName("02.0 20 failures from one address over many accounts make that address wait, and only it")
    void addressesAreThrottledToo() {
        for (int i = 0; i < 20; i++) {
            throttle.failed("user" + i, ATTACKER);
        }
        assertThat(throttle.waitFor("alice", ATTACKER)).isEqualTo(Duration.ofSeconds(1));
        assertThat(throttle.waitFor("alice", HOME)).isZero();
    }

    @Test
    @DisplayName("02.0 a successful login clears its failures; every wait ends by itself; old counts are forgotten")
    void waitsEnd() {
        fail("bob", HOME, 3);
        throttle.succeeded("bob", HOME);
        fail("bob", HOME, 4);
        assertThat(throttle.waitFor("bob", HOME)).as("3 forgiven, 4 since").isZero();
        fail("bob", HOME, 3);
        clock.advance(throttle.waitFor("bob", HOME));
        assertThat(throttle.waitFor("bob", HOME)).isZero();
        clock.advance(LoginThrottle.FORGET_AFTER.plusSeconds(1));
        throttle.failed("carol", HOME);
        assertThat(throttle.size()).as("only carol's new counts").isEqualTo(2);
    }

    @Test
    @DisplayName("02.0 at most the configured number of passwords is hashed at once; a login with no slot is refused")
    void hashingIsCapped() throws Exception {
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<Optional<String>> first = pool.submit(() -> throttle.hashing(() -> {
                inside.countDown();
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return "first";
            }));
            assertThat(inside.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(throttle.hashing(() -> "second")).isEmpty();
            release.countDown();
            assertThat(first.get(10, TimeUnit.SECONDS)).contains("first");
            assertThat(throttle.hashing(() -> "third")).contains("third");
        } finally {
            pool.shutdownNow();
        }
    }
}
