package workshop.orders;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import workshop.orders.support.LogCapture;

/**
 * Runs after every other test class of the module (junit-platform.properties orders classes by
 * {@link Order}) and reads what they made the server log, through {@link LogCapture}: whatever state the
 * tasks are in, nothing logged may hold a credential.
 */
@Order(Integer.MAX_VALUE)
@DisplayName("Log hygiene: what all the other tests made the server print holds no credential")
public class LogHygieneTest {

    private static final Logger log = LoggerFactory.getLogger(LogHygieneTest.class);
    private static final Pattern JWT = Pattern.compile("eyJ[\\w-]*\\.eyJ[\\w-]*");
    /** 256 random bits in base64url: the shape of our secrets, passwords made for tests and refresh tokens. */
    private static final Pattern RANDOM_256_BITS = Pattern.compile("(?<![\\w-])[\\w-]{43}(?![\\w-])");
    /** A credential after the scheme name; "Bearer scheme" or "Bearer <secret>" in a sentence is not one. */
    private static final Pattern BEARER = Pattern.compile("Bearer\\s+[\\w.~+/-]{8,}");

    private static List<String> found(Pattern pattern) {
        Matcher matcher = pattern.matcher(LogCapture.captured());
        return matcher.results().map(match -> match.group()).toList();
    }

    @Test
    @DisplayName("01.0 the capture works: a debug line of our own logger is in the output")
    void given_captureWorks() {
        // The starting point may log no refusal at all, so the test logs a line of its own.
        String marker = "log capture check " + UUID.randomUUID();
        log.debug(marker);
        assertThat(LogCapture.captured()).contains(marker);
    }

    @Test
    @DisplayName("01.0 no JWT (eyJ...eyJ...) in any line")
    void given_noJwt() {
        assertThat(found(JWT)).isEmpty();
    }

    @Test
    @DisplayName("01.0 no 43-character base64url string: no secret, password made for a test or refresh token")
    void given_noRandomSecret() {
        assertThat(found(RANDOM_256_BITS)).isEmpty();
    }

    @Test
    @DisplayName("01.0 no 'Bearer <credential>'")
    void given_noBearerCredential() {
        assertThat(found(BEARER)).isEmpty();
    }
}
