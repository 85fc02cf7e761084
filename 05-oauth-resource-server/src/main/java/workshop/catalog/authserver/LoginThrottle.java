package workshop.catalog.authserver;

import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.FormLoginConfigurer;
import org.springframework.security.web.authentication.SavedRequestAwareAuthenticationSuccessHandler;
import org.springframework.security.web.authentication.SimpleUrlAuthenticationFailureHandler;
import org.springframework.security.web.authentication.UsernamePasswordAuthenticationFilter;

/**
 * Slows down password guessing at the login form ({@code POST /login}), as step 02 does at {@code /auth/token}
 * (OWASP Authentication Cheat Sheet, "Login Throttling").
 * <ul>
 * <li>Failed logins are counted per account <em>from one client address</em>, and per client address over all
 * accounts. After {@value #FREE_FAILURES_PER_ACCOUNT} failures (account) or {@value #FREE_FAILURES_PER_ADDRESS}
 * (address), the next attempt must wait 1 s, twice as long after each further failure, at most
 * {@link #MAX_WAIT}. An attempt that comes too early is answered 429 with {@code Retry-After} at once, without
 * checking the password.</li>
 * <li>Nobody can lock a real user out for long: every wait ends by itself; a count with no failure for
 * {@link #FORGET_AFTER} is forgotten; a successful login clears its account's count at its address.</li>
 * </ul>
 * An unknown user counts like a wrong password, so the throttle tells nobody which accounts exist. Spring checks
 * the passwords (bcrypt); this class only counts.
 */
final class LoginThrottle {

    static final int FREE_FAILURES_PER_ACCOUNT = 5;
    static final int FREE_FAILURES_PER_ADDRESS = 20;
    static final Duration FIRST_WAIT = Duration.ofSeconds(1);
    static final Duration MAX_WAIT = Duration.ofMinutes(15);
    static final Duration FORGET_AFTER = Duration.ofMinutes(15);
    /** Beyond this many counts the oldest forgettable ones go first; the map cannot grow without end. */
    static final int MAX_COUNTS = 10_000;

    private record Failures(int count, Instant last, Instant waitUntil) {
    }

    private final Clock clock;
    private final Map<String, Failures> counts = new HashMap<>();

    LoginThrottle(Clock clock) {
        this.clock = clock;
    }

    /**
     * Counts the form's failures and successes, and puts a gate before Spring's login filter that answers 429
     * to an attempt that comes too early.
     */
    void guard(HttpSecurity http, FormLoginConfigurer<HttpSecurity> form) {
        SimpleUrlAuthenticationFailureHandler failure = new SimpleUrlAuthenticationFailureHandler("/login?error");
        SavedRequestAwareAuthenticationSuccessHandler success = new SavedRequestAwareAuthenticationSuccessHandler();
        form.failureHandler((request, response, exception) -> {
            failed(username(request), request.getRemoteAddr());
            failure.onAuthenticationFailure(request, response, exception);
        }).successHandler((request, response, authentication) -> {
            succeeded(username(request), request.getRemoteAddr());
            success.onAuthenticationSuccess(request, response, authentication);
        });
        http.addFilterBefore(gate(), UsernamePasswordAuthenticationFilter.class);
    }

    private Filter gate() {
        return (req, res, chain) -> {
            HttpServletRequest request = (HttpServletRequest) req;
            if ("POST".equals(request.getMethod()) && "/login".equals(request.getRequestURI())) {
                Duration wait = waitFor(username(request), request.getRemoteAddr());
                if (!wait.isZero()) {
                    HttpServletResponse response = (HttpServletResponse) res;
                    response.setStatus(429);
                    response.setHeader("Retry-After", Long.toString(Math.max(1, (wait.toMillis() + 999) / 1000)));
                    response.setContentType("application/json");
                    response.getOutputStream().write(("{\"error\":\"too_many_attempts\",\"error_description\":"
                            + "\"too many failed logins; try again after Retry-After seconds\"}")
                            .getBytes(StandardCharsets.UTF_8));
                    return;
                }
            }
            chain.doFilter(req, res);
        };
    }

    private static String username(HttpServletRequest request) {
        String username = request.getParameter("username");
        return username == null ? "" : username;
    }

    /** How long a login of this account from this address must still wait; zero when it may try now. */
    synchronized Duration waitFor(String username, String address) {
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

    /** A wrong password or an unknown user. */
    synchronized void failed(String username, String address) {
        Instant now = clock.instant();
        forgetOld(now);
        String[] keys = keys(username, address);
        count(keys[0], now, FREE_FAILURES_PER_ACCOUNT);
        count(keys[1], now, FREE_FAILURES_PER_ADDRESS);
    }

    /** The account's failures at this address are forgiven; the address's count over all accounts stays. */
    synchronized void succeeded(String username, String address) {
        counts.remove(keys(username, address)[0]);
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
