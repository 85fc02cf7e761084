package workshop.orders.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a test needs before it can check its own task, and which unfinished task stopped it: a fixture that
 * fails says "this test logs in first, which needs task 02.4 (passwords), not done yet: login of bob answered
 * 500 ..." instead of a bare status. The task titles are those of {@code grading.properties}.
 */
public final class Prerequisite {

    private static final Pattern TODO = Pattern.compile("TODO\\((\\d\\d\\.\\d+)\\)");

    private Prerequisite() {
    }

    /** The task of the first "TODO(NN.M)" in the messages of the throwable and its causes. */
    public static Optional<String> todo(Throwable thrown) {
        for (Throwable at = thrown; at != null; at = at.getCause()) {
            Matcher todo = TODO.matcher(String.valueOf(at.getMessage()));
            if (todo.find()) {
                return Optional.of(todo.group(1));
            }
        }
        return Optional.empty();
    }

    /** Runs the step directly (not over HTTP); the task of the TODO it stops at, if it stops at one. */
    public static Optional<String> unfinished(Callable<?> step) {
        try {
            step.call();
            return Optional.empty();
        } catch (Exception | LinkageError thrown) {
            return todo(thrown);
        }
    }

    /** "task 02.4 (passwords)", with the title of grading.properties when it has one. */
    public static String task(String number) {
        Properties titles = new Properties();
        try (InputStream in = Prerequisite.class.getClassLoader().getResourceAsStream("grading.properties")) {
            if (in != null) {
                titles.load(new InputStreamReader(in, StandardCharsets.UTF_8));
            }
        } catch (IOException unreadable) {
            throw new UncheckedIOException(unreadable);
        }
        String title = titles.getProperty(number);
        return "task " + number + (title == null ? "" : " (" + title + ")");
    }

    /**
     * The failure of a step the test takes first: "this test logs in first, which needs task 02.4 (passwords),
     * not done yet: login of bob answered 500 ..." when a TODO stopped it, else "this test logs in first, and
     * that failed: ...".
     */
    public static AssertionError failed(String step, Optional<String> unfinishedTask, String what) {
        return new AssertionError("this test " + step + " first, "
                + unfinishedTask.map(task -> "which needs " + task(task) + ", not done yet: ").orElse("and that failed: ")
                + what);
    }
}
