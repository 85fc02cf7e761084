package workshop.catalog.auth.bearer;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import workshop.catalog.auth.BearerToken;
import workshop.catalog.http.HttpErrors;

/**
 * Step 01: lets a request through to the MCP servlet only when it carries
 * {@code Authorization: Bearer <the shared secret>}. Every refusal returns at once; nothing after
 * the refusal runs.
 */
public final class BearerSecretFilter extends HttpFilter {

    private static final long serialVersionUID = 1L;
    private static final Logger log = LoggerFactory.getLogger(BearerSecretFilter.class);

    /** Only the hash is kept, so the secret itself never sits in a field that could be dumped or logged. */
    private final byte[] secretHash;

    public BearerSecretFilter(String secret) {
        if (secret == null || secret.isEmpty()) {
            throw new IllegalArgumentException("The shared secret must not be empty");
        }
        this.secretHash = sha256(secret);
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
                // says nothing about how many leading characters of a guess were right.
                if (MessageDigest.isEqual(sha256(bearer.token()), secretHash)) {
                    chain.doFilter(request, response);
                } else {
                    log.info("Refused {} {}: wrong secret", request.getMethod(), request.getRequestURI());
                    HttpErrors.challenge(response, 401, "invalid_token", "The secret is not valid");
                }
            }
        }
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java runtime has SHA-256", e);
        }
    }
}
