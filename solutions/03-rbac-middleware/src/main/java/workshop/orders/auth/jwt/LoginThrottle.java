package workshop.orders.auth.jwt;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Slows down password guessing at {@code /auth/token} (OWASP Authentication Cheat Sheet, "Login Throttling").
 * <ul>
 * <li>Failed logins are counted per account <em>from one client address</em>, and per client address over all
 * accounts. After {@value #FREE_FAILURES_PER_ACCOUNT} failures (account) or {@value #FREE_FAILURES_PER_ADDRESS}
 * (address), the next attempt must wait 1 s, twice as long after each further failure, at most
 * {@link #MAX_WAIT}. An attempt that comes too early is answered 429 at once, without checking the password.</li>
 * <li>Nobody can lock a real user out: the account's count is kept per client address, so failures from an
 * attacker's address make no one wait at the user's own address; every wait ends by itself; a count with no
 * failure for {@link #FORGET_AFTER} is forgotten; a successful login clears its account's count at its address.</li>
 * <li>Hashing a password is the most expensive thing the server does: at most a few run at once, so a flood of
 * logins cannot take every CPU. A login that finds no free slot within {@link #QUEUE_WAIT} is turned away.</li>
 * </ul>
 * An unknown user counts like a wrong password, so the throttle tells nobody which accounts exist.
 */
public final class LoginThrottle {

    static final int FREE_FAILURES_PER_ACCOUNT = 5;
    static final int FREE_FAILURES_PER_ADDRESS = 20;
    static final Duration FIRST_WAIT = Duration.ofSeconds(1);
    static final Duration MAX_WAIT = Duration.ofMinutes(15);
    static final Duration FORGET_AFTER = Duration.ofMinutes(15);
    static final Duration QUEUE_WAIT = Duration.ofSeconds(2);
    /** Beyond this many counts the oldest forgettable ones go first; the map cannot grow without end. */
    static final int MAX_COUNTS = 10_000;

    private record Failures(int count, Instant last, Instant waitUntil) {
    }

    private final Clock clock;
    private final Semaphore hashing;
    private final Duration queueWait;
    private final Map<String, Failures> counts = new HashMap<>();

    /** At most one password hashed per core but one, and at least one. */
    public LoginThrottle(Clock clock) {
        this(clock, Math.max(1, Runtime.getRuntime().availableProcessors() - 1), QUEUE_WAIT);
    }

    /**
     * @param concurrentHashes how many password checks may run at once
     * @param queueWait        how long a login waits for a free slot before it is turned away
     */
    public LoginThrottle(Clock clock, int concurrentHashes, Duration queueWait) {
        this.clock = clock;
        this.hashing = new Semaphore(concurrentHashes, true);
        this.queueWait = queueWait;
    }

    /** How long a login of this account from this address must still wait; zero when it may try now. */
    public synchronized Duration waitFor(String username, String address) {
        Instant now = clock.instant();
        Duration wait = Duration.ZERO;
        for (String key : keys(username, address)) {
            Failures failures = counts.get(key);
            if (failures != null && now.isBefore(failures.waitUntil())) {
                Duration left = Duration.between(now, failures.waitUntil());
                wait = left.compareTo(wait) > 0 ? left : wait;
            }
        }
        return wait;
    }

    /** A wrong password, an unknown user or a disabled account. */
    public synchronized void failed(String username, String address) {
        Instant now = clock.instant();
        forgetOld(now);
        String[] keys = keys(username, address);
        count(keys[0], now, FREE_FAILURES_PER_ACCOUNT);
        count(keys[1], now, FREE_FAILURES_PER_ADDRESS);
    }

    /** The account's failures at this address are forgiven; the address's count over all accounts stays. */
    public synchronized void succeeded(String username, String address) {
        counts.remove(keys(username, address)[0]);
    }

    /** Runs the password check in one of the hashing slots; empty when no slot came free in time. */
    public <T> Optional<T> hashing(Supplier<T> check) throws InterruptedException {
        if (!hashing.tryAcquire(queueWait.toMillis(), TimeUnit.MILLISECONDS)) {
            return Optional.empty();
        }
        try {
            return Optional.of(check.get());
        } finally {
            hashing.release();
        }
    }

    /** How many counts are kept, for the tests. */
    synchronized int size() {
        return counts.size();
    }

    private void count(String key, Instant now, int free) {
        Failures before = counts.get(key);
        int count = before == null ? 1 : before.count() + 1;
        Instant waitUntil = now;
        if (count >= free) {
            // 1 s after the last free failure, doubling: 2^(count - free) seconds, at most MAX_WAIT.
            int doublings = Math.min(count - free, 30);
            Duration wait = FIRST_WAIT.multipliedBy(1L << doublings);
            waitUntil = now.plus(wait.compareTo(MAX_WAIT) > 0 ? MAX_WAIT : wait);
        }
        counts.put(key, new Failures(count, now, waitUntil));
    }

    private void forgetOld(Instant now) {
        counts.values().removeIf(failures -> failures.last().plus(FORGET_AFTER).isBefore(now)
                && !now.isBefore(failures.waitUntil()));
        if (counts.size() >= MAX_COUNTS) {
            // Still too many: drop the counts whose wait is over, oldest failure first, whatever their age.
            counts.entrySet().stream().filter(entry -> !now.isBefore(entry.getValue().waitUntil()))
                    .sorted(Map.Entry.comparingByValue((a, b) -> a.last().compareTo(b.last())))
                    .limit(counts.size() - MAX_COUNTS + 1).map(Map.Entry::getKey).toList()
                    .forEach(counts::remove);
        }
    }

    private static String[] keys(String username, String address) {
        return new String[] {"account " + username.toLowerCase(Locale.ROOT) + " from " + address, "address " + address};
    }
}
