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
        // TODO(01.3): the filter must be able to recognise the secret without keeping it: no field may hold it
        //  in plain text.
        // TODO(01.6): the same for the previous secret (null: none is configured, only the secret gets in); the
        //  clock decides when the next log line about the previous secret may come.
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        // TODO(01.1): a request with no Bearer credential answers 401 with the bare challenge
        //  (WWW-Authenticate: Bearer realm="mcp", no error code) and a sentence saying what to send.
        // TODO(01.2): a malformed Bearer credential answers 400 "invalid_request", saying what is wrong with it.
        // TODO(01.3): the secret goes on to the MCP servlet; any other token answers 401 "invalid_token", "The
        //  secret is not valid". How long the answer takes must not tell how much of a guess was right.
        // TODO(01.6): while a previous secret is configured, it goes on too, and the time must not tell which of
        //  the two matched. An operator must learn, from WARN lines that never hold a secret, that clients still
        //  use it and how many requests did, without one line per request (README, task 01.6).
        // A refusal ends the request: nothing after it may run.
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
