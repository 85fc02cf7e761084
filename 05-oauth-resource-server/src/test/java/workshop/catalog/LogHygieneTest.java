package workshop.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import workshop.catalog.support.LogCapture;
import workshop.catalog.support.TestStack;

/**
 * Runs after every other test class of the module (junit-platform.properties orders classes by
 * {@link Order}) and reads what they made the server log, through {@link LogCapture}. Run alone, it has
 * nothing to read and fails its first test.
 */
@Order(Integer.MAX_VALUE)
@DisplayName("Log hygiene: what all the other tests made the server print holds no credential")
public class LogHygieneTest {

    private static final Pattern JWT = Pattern.compile("eyJ[\\w-]*\\.eyJ[\\w-]*");
    /** 256 random bits in base64url: the shape of a PKCE verifier or an authorization code. */
    private static final Pattern RANDOM_256_BITS = Pattern.compile("(?<![\\w-])[\\w-]{43}(?![\\w-])");
    /** A credential after the scheme name; "Bearer scheme" or "Bearer <secret>" in a sentence is not one. */
    private static final Pattern BEARER = Pattern.compile("Bearer\\s+[\\w.~+/-]{8,}");

    private static List<String> found(Pattern pattern) {
        Matcher matcher = pattern.matcher(LogCapture.captured());
        return matcher.results().map(match -> match.group()).toList();
    }

    @Test
    @DisplayName("the capture works: the output holds the refusals the other tests provoked, at info and debug")
    void captureWorks() {
        assertThat(LogCapture.captured()).contains("Refused ");
    }

    @Test
    @DisplayName("no JWT (eyJ...eyJ...) in any line")
    void noJwt() {
        assertThat(found(JWT)).isEmpty();
    }

    @Test
    @DisplayName("no 43-character base64url string: no secret, password made for a test or refresh token")
    void noRandomSecret() {
        assertThat(found(RANDOM_256_BITS)).isEmpty();
    }

    @Test
    @DisplayName("no 'Bearer <credential>'")
    void noBearerCredential() {
        assertThat(found(BEARER)).isEmpty();
    }

    @Test
    @DisplayName("no password of the authorization servers the tests started")
    void noPassword() {
        assertThat(TestStack.PASSWORDS).isNotEmpty();
        assertThat(LogCapture.captured()).doesNotContain(TestStack.PASSWORDS);
    }
}
