package workshop.orders;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import workshop.orders.auth.jwt.UserDirectoryTest;
import workshop.orders.support.Credentials;
import workshop.orders.support.LogCapture;

/**
 * Runs after every other test class of the module and reads what they made the server log, through
 * {@link LogCapture}: whatever state the tasks are in, nothing logged or printed may hold a credential that the
 * tests made, sent or were handed ({@link Credentials}: the fixtures feed it). The classes run by {@link Order}
 * (junit-platform.properties); when they run in parallel, {@link Isolated} classes run alone after all others.
 */
@Order(Integer.MAX_VALUE)
@Isolated("reads what all the other test classes made the server log")
@DisplayName("Log hygiene: what all the other tests made the server print holds no credential")
public class LogHygieneTest {

    private static final Logger log = LoggerFactory.getLogger(LogHygieneTest.class);
    /** Enough of a line to find it again; the credential itself is replaced by its kind. */
    private static final int SHOWN = 240;
    /** Leaks reported one by one; past these, a count. */
    private static final int SENTENCES = 5;

    /** Fails with one sentence per credential found (what it is, where it was first, how often), if any is. */
    private static void assertNoLeak(Collection<Credentials.Issued> credentials) {
        List<String> leaks = leaks(credentials);
        if (!leaks.isEmpty()) {
            throw new AssertionError(leaks.size() + " credential(s) of this run in what it logged or printed:"
                    + leaks.stream().limit(SENTENCES).map(leak -> System.lineSeparator() + "  - " + leak)
                            .collect(Collectors.joining())
                    + (leaks.size() > SENTENCES ? System.lineSeparator() + "  - and " + (leaks.size() - SENTENCES)
                            + " more" : ""));
        }
    }

    private static List<String> leaks(Collection<Credentials.Issued> credentials) {
        String everything = LogCapture.captured();
        List<Credentials.Issued> found = credentials.stream().filter(c -> everything.contains(c.value())).toList();
        if (found.isEmpty()) {
            return List.of();
        }
        List<LogCapture.Line> lines = LogCapture.lines();
        List<String> leaks = new ArrayList<>();
        Set<LogCapture.Line> reported = new HashSet<>();
        for (Credentials.Issued credential : found) {
            List<LogCapture.Line> where = lines.stream().filter(line -> line.text().contains(credential.value()))
                    .toList();
            // A near miss a test sent (a token cut short, say) is found inside the real one: one report a line.
            if (!where.isEmpty() && !reported.addAll(where)) {
                continue;
            }
            LogCapture.Line first = where.isEmpty() ? null : where.get(0);
            leaks.add(credential.describe() + " is in " + (where.size() == 1 ? "one line" : where.size() + " lines")
                    + (first == null ? "" : "; first " + place(first) + ": "
                    + shown(first.text().replace(credential.value(), "<" + credential.kind().label + ">"))));
        }
        return leaks;
    }

    private static String place(LogCapture.Line line) {
        return line.where() + " line " + line.number() + line.levelAndLogger()
                .map(levelAndLogger -> ", logged by " + levelAndLogger[1] + " at " + levelAndLogger[0]
                        + (line.text().equals(line.record()) ? "" : " (in the stack trace it logged)"))
                .orElse("");
    }

    private static String shown(String text) {
        return text.length() > SHOWN ? text.substring(0, SHOWN) + "..." : text;
    }

    @Test
    @DisplayName("03.0 the capture works: a debug line of our own logger is in the output")
    void given_captureWorks() {
        // The starting point may log no refusal at all, so the test logs a line of its own.
        String marker = "log capture check " + UUID.randomUUID();
        log.debug(marker);
        assertThat(LogCapture.captured()).contains(marker);
    }

    @Test
    @DisplayName("03.0 no credential the tests made, sent or were handed appears in any line logged or printed")
    void given_noCredentialOfTheTests() {
        List<Credentials.Issued> credentials = Credentials.all();
        assertThat(credentials).as("credentials the fixtures made, sent or were handed in this run").isNotEmpty();
        assertNoLeak(credentials);
    }

    @Test
    @DisplayName("03.0 no demo password from the README")
    void given_noDemoPassword() throws Exception {
        List<Credentials.Issued> passwords = UserDirectoryTest.readmePasswords().entrySet().stream()
                .map(user -> new Credentials.Issued(Credentials.Kind.DEMO_PASSWORD, "of " + user.getKey(),
                        user.getValue()))
                .toList();
        assertThat(passwords).hasSize(3);
        assertNoLeak(passwords);
    }
}
