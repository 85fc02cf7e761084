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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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

    public BearerSecretFilter(String secret) {
        this(secret, null, Clock.systemUTC());
    }

    /** A filter that also lets in {@code previousSecret} (null: none), and tells the log when it does. */
    public BearerSecretFilter(String secret, String previousSecret, Clock clock) {
        if (secret == null || secret.isEmpty() || "".equals(previousSecret)) {
            throw new IllegalArgumentException("A shared secret must not be empty");
        }
        // TODO(01.3): keep only sha256(secret) in a field, never the secret itself.
        // TODO(01.6): likewise only sha256(previousSecret) when there is one (null: only the secret gets in), and
        //  the clock, which tells when the next line about the previous secret may be logged.
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        // TODO(01.1): ask BearerToken.from(request) what the request carries. No Bearer credential (ABSENT):
        //  refuse with 401 and the bare challenge, HttpErrors.challenge(response, 401, null, description).
        // TODO(01.2): a MALFORMED credential: refuse with 400 and the error code "invalid_request".
        // TODO(01.3): a PRESENT token goes on to the MCP servlet only if it is the secret, compared in constant
        //  time (MessageDigest.isEqual on SHA-256 hashes); any other token: 401 with the error code "invalid_token".
        // TODO(01.6): while a previous secret is configured, it goes on as well. Compare the token with both hashes,
        //  both every time (no early exit: the time must not tell which one matched). When the previous one
        //  matched, log a WARN line, before passing the request on, that says the previous secret was used, without
        //  any secret: on its first use, then at most once per PREVIOUS_SECRET_LOG_INTERVAL on the clock, with the
        //  number of requests that used it since the last such line, this one included.
        // A refusal ends the request: write the error and return, without calling the chain.
        chain.doFilter(request, response); // the starting point lets every request through
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java runtime has SHA-256", e);
        }
    }
}
