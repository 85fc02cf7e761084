package workshop.orders.auth.bearer;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import workshop.orders.auth.BearerToken;
import workshop.orders.http.HttpErrors;

/**
 * Step 01: lets a request through to the MCP servlet only when it carries
 * {@code Authorization: Bearer <the shared secret>}, or the previous secret while one is configured
 * (rotation: clients move to the new secret one by one). Every refusal returns at once; nothing after
 * the refusal runs.
 */
public final class BearerSecretFilter extends HttpFilter {

    private static final long serialVersionUID = 1L;
    private static final Logger log = LoggerFactory.getLogger(BearerSecretFilter.class);

    /** How often, at most, a use of the previous secret is logged. */
    static final Duration PREVIOUS_SECRET_LOG_INTERVAL = Duration.ofMinutes(1);

    /** Only the hash is kept, so the secret itself never sits in a field that could be dumped or logged. */
    private final byte[] secretHash;
    /** The previous secret's hash, or null when none is configured: then only the current secret gets in. */
    private final byte[] previousSecretHash;
    private final Clock clock;
    /** Requests with the previous secret since the last line about them; guarded by this. */
    private long previousSecretUses;
    /** When the next line about the previous secret may be logged; null before the first. Guarded by this. */
    private Instant nextPreviousSecretLine;

    public BearerSecretFilter(String secret) {
        this(secret, null, Clock.systemUTC());
    }

    /** A filter that also lets in {@code previousSecret} (null: none), and tells the log when it does. */
    public BearerSecretFilter(String secret, String previousSecret, Clock clock) {
        if (secret == null || secret.isEmpty() || "".equals(previousSecret)) {
            throw new IllegalArgumentException("A shared secret must not be empty");
        }
        this.secretHash = sha256(secret);
        this.previousSecretHash = previousSecret == null ? null : sha256(previousSecret);
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        BearerToken bearer = BearerToken.from(request);
        switch (bearer.kind()) {
            case ABSENT -> {
                log.info("Refused {} {}: {}", request.getMethod(), request.getRequestURI(), bearer.problem());
                HttpErrors.challenge(response, 401, null, "Send Authorization: Bearer <secret>");
            }
            case MALFORMED -> {
                log.info("Refused {} {}: {}", request.getMethod(), request.getRequestURI(), bearer.problem());
                HttpErrors.challenge(response, 400, "invalid_request", bearer.problem());
            }
            case PRESENT -> {
                // Compare hashes of equal length in constant time: how long the comparison takes
                // says nothing about how many leading characters of a guess were right. Both comparisons
                // always run, so neither does the time tell which secret matched.
                byte[] presented = sha256(bearer.token());
                boolean current = MessageDigest.isEqual(presented, secretHash);
                boolean previous = previousSecretHash != null && MessageDigest.isEqual(presented, previousSecretHash);
                if (current | previous) {
                    if (previous) {
                        notePreviousSecretUse();
                    }
                    chain.doFilter(request, response);
                } else {
                    log.info("Refused {} {}: wrong secret", request.getMethod(), request.getRequestURI());
                    HttpErrors.challenge(response, 401, "invalid_token", "The secret is not valid");
                }
            }
        }
    }

    /**
     * Tells operators that a client still sends the previous secret, so they know when to retire it. The first
     * use, then at most one line a minute with the count: a busy client must not flood the log, and the lines
     * stop as soon as no client uses it.
     */
    private void notePreviousSecretUse() {
        long uses;
        synchronized (this) {
            previousSecretUses++;
            Instant now = clock.instant();
            if (nextPreviousSecretLine != null && now.isBefore(nextPreviousSecretLine)) {
                return;
            }
            uses = previousSecretUses;
            previousSecretUses = 0;
            nextPreviousSecretLine = now.plus(PREVIOUS_SECRET_LOG_INTERVAL);
        }
        // WARN, the level a server shows by default: a client still on the old secret is work for an operator.
        log.warn("{} request(s) used the previous secret (MCP_PREVIOUS_SECRET) since the last such line: a client"
                + " still has it; retire it once these lines stop", uses);
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java runtime has SHA-256", e);
        }
    }
}
