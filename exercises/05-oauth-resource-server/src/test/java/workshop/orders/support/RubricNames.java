package workshop.orders.support;

import java.lang.reflect.Constructor;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.LifecycleMethodExecutionExceptionHandler;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/**
 * Puts the rubric line, the test's display name, at the start of its failure message. Maven's console names a
 * failing test by class and method ("JwtAuthFilterTest.tasks02_2to3_badTokenMatrix:239") in its list of failures
 * at the end, and Surefire has no option to show display names there; the message it prints next to that place
 * then starts with "02.2-02.3 together: every bad access token ... > alg none, no signature: ...". A row of a
 * parameterized test is named by its method and its own name. The failure keeps its type, stack trace and cause,
 * so failures and errors are counted as before. Registered for every test class through {@code META-INF/services}.
 */
public final class RubricNames implements TestExecutionExceptionHandler, LifecycleMethodExecutionExceptionHandler {

    /** A name that starts with its task: "02.3 ..." or, for a row, "\"02.3 ...\" -> 401". */
    private static final Pattern TASK = Pattern.compile("^\"?\\d\\d\\.\\d+");
    /** The quoted start of a row's name, which a message may hold without the rest. */
    private static final Pattern QUOTED = Pattern.compile("^\"([^\"]+)\"");

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable thrown) throws Throwable {
        throw named(testName(context), thrown);
    }

    @Override
    public void handleBeforeAllMethodExecutionException(ExtensionContext context, Throwable thrown) throws Throwable {
        throw named(context.getDisplayName() + " (set-up of every test of the class)", thrown);
    }

    @Override
    public void handleBeforeEachMethodExecutionException(ExtensionContext context, Throwable thrown)
            throws Throwable {
        throw named(testName(context) + " (set-up)", thrown);
    }

    /** The display name; for a row of a parameterized test, its own if it names its task, else its method's too. */
    private static String testName(ExtensionContext context) {
        Optional<ExtensionContext> parent = context.getParent();
        if (parent.isPresent() && parent.get().getTestMethod().isPresent()
                && !TASK.matcher(context.getDisplayName()).find()) {
            return parent.get().getDisplayName() + " > " + context.getDisplayName();
        }
        return context.getDisplayName();
    }

    /** The same failure with the name in front of its message; unchanged if it already holds the name. */
    static Throwable named(String name, Throwable thrown) {
        String message = thrown.getMessage();
        Matcher quoted = QUOTED.matcher(name);
        if (thrown instanceof TestAbortedException || message != null && (message.contains(name)
                || quoted.find() && message.contains(quoted.group(1)))) {
            return thrown;
        }
        String named = message == null || message.isEmpty() ? name : name + ": " + message;
        Throwable copy = copy(thrown, named);
        if (copy == null) {
            return thrown;
        }
        copy.setStackTrace(thrown.getStackTrace());
        for (Throwable suppressed : thrown.getSuppressed()) {
            copy.addSuppressed(suppressed);
        }
        return copy;
    }

    private static Throwable copy(Throwable thrown, String message) {
        if (thrown instanceof AssertionFailedError failed) {
            return failed.isExpectedDefined() && failed.isActualDefined()
                    ? new AssertionFailedError(message, failed.getExpected().getValue(), failed.getActual().getValue(),
                            failed.getCause())
                    : new AssertionFailedError(message, failed.getCause());
        }
        if (thrown.getClass() == AssertionError.class) {
            return new AssertionError(message, thrown.getCause());
        }
        // Any other type is kept, when it has a public constructor that takes a message.
        try {
            Constructor<? extends Throwable> withCause = thrown.getClass().getConstructor(String.class,
                    Throwable.class);
            return withCause.newInstance(message, thrown.getCause());
        } catch (ReflectiveOperationException | RuntimeException noSuchConstructor) {
            try {
                Throwable copy = thrown.getClass().getConstructor(String.class).newInstance(message);
                if (thrown.getCause() != null && copy.getCause() == null) {
                    copy.initCause(thrown.getCause());
                }
                return copy;
            } catch (ReflectiveOperationException | RuntimeException none) {
                return null;
            }
        }
    }
}
