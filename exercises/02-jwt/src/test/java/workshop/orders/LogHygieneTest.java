package workshop.orders;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import org.junit.jupiter.api.ClassOrderer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads what the whole test run printed ({@link LogCapture}), our loggers at debug included, and looks
 * for credentials in it. It runs after every other test class ({@link ClassOrderer.OrderAnnotation},
 * see junit-platform.properties), when every refusal, login and refresh of the run has been logged.
 */
@Order(Integer.MAX_VALUE)
@DisplayName("The log of the whole test run")
class LogHygieneTest {

    private static final Logger log = LoggerFactory.getLogger(LogHygieneTest.class);

    /** What no log line may hold, by name: tokens and secrets of any test, whatever their value. */
    private static final Map<String, Pattern> CREDENTIALS = Map.of(
            "a JWT", Pattern.compile("eyJ[\\w-]*\\.eyJ[\\w-]*"),
            // A refresh token, and every secret and password the tests generate: 32 random bytes, base64url.
            "a 43-character base64url string", Pattern.compile("(?<![\\w-])[\\w-]{43}(?![\\w-])"),
            // 16 characters or more: "Bearer scheme without a token" names no credential.
            "a Bearer credential", Pattern.compile("Bearer\\s+[\\w.~+/-]{16,}"));

    @Test
    @DisplayName("02.0 nothing this test run logged holds a JWT, a refresh token, a secret, a demo password or a Bearer credential")
    void given_noCredentialInTheLog() throws Exception {
        String marker = "log capture check " + UUID.randomUUID();
        log.debug(marker);
        String captured = LogCapture.captured();
        assertThat(captured).as("the capture works: it holds this test's own debug line").contains(marker);

        CREDENTIALS.forEach((what, pattern) -> assertThat(linesMatching(captured, pattern))
                .as("lines that hold " + what).isEmpty());
        for (String password : UserDirectoryTest.readmePasswords().values()) {
            assertThat(captured).as("a demo password in the log").doesNotContain(password);
        }
    }

    private static List<String> linesMatching(String text, Pattern pattern) {
        return text.lines().filter(line -> pattern.matcher(line).find())
                .map(line -> line.length() > 300 ? line.substring(0, 300) + "..." : line).toList();
    }
}
