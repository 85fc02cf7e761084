package workshop.orders;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;
import workshop.orders.support.LogCapture;
import workshop.orders.support.TestStack;

/**
 * Runs after every other test class of the module (junit-platform.properties orders classes by {@link Order}) and
 * reads what they made the servers log, through {@link LogCapture}: whatever state the tasks are in, nothing logged
 * may hold a credential. Run alone, it has nothing to read and fails its first test.
 */
@Order(Integer.MAX_VALUE)
@Isolated("reads what all the other test classes made the servers print")
@DisplayName("05.0 Log hygiene: what all the other tests made the servers print holds no credential")
public class LogHygieneTest {

    private static final Pattern JWT = Pattern.compile("eyJ[\\w-]*\\.eyJ[\\w-]*");
    /** 256 random bits in base64url: the shape of a PKCE verifier or an authorization code. */
    private static final Pattern RANDOM_256_BITS = Pattern.compile("(?<![\\w-])[\\w-]{43}(?![\\w-])");
    /** A credential after the scheme name; "Bearer scheme" or "Bearer <secret>" in a sentence is not one. */
    private static final Pattern BEARER = Pattern.compile("Bearer\\s+[\\w.~+/-]{8,}");
    /** The opaque tokens of the tests' own verifier (support/TestVerifier). */
    private static final Pattern TEST_TOKEN = Pattern.compile("test-token-[\\w-]+");

    private static List<String> found(Pattern pattern) {
        Matcher matcher = pattern.matcher(LogCapture.captured());
        return matcher.results().map(match -> match.group()).toList();
    }

    @Test
    @DisplayName("05.0 the capture works: the output holds the debug lines of the servers the other tests started")
    void captureWorks() {
        assertThat(LogCapture.captured()).contains("DEBUG");
    }

    @Test
    @DisplayName("05.0 no JWT (eyJ...eyJ...) in any line")
    void noJwt() {
        assertThat(found(JWT)).isEmpty();
    }

    @Test
    @DisplayName("05.0 no 43-character base64url string (PKCE verifier, code, or test password) in any line")
    void noRandomSecret() {
        assertThat(found(RANDOM_256_BITS)).isEmpty();
    }

    @Test
    @DisplayName("05.0 no 'Bearer <credential>' and no token of the tests' own verifier")
    void noBearerCredential() {
        assertThat(found(BEARER)).isEmpty();
        assertThat(found(TEST_TOKEN)).isEmpty();
    }

    @Test
    @DisplayName("05.0 no password of the authorization servers the tests started")
    void noPassword() {
        assertThat(TestStack.PASSWORDS).isNotEmpty();
        assertThat(LogCapture.captured()).doesNotContain(TestStack.PASSWORDS);
    }
}
