package workshop.orders.support;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import workshop.orders.LogHygieneTest;

/**
 * Keeps a copy of everything the test JVM prints, for {@link LogHygieneTest}. Registered for every test
 * class through {@code META-INF/services}; the first class to start installs it, once per JVM. Both
 * streams are teed: slf4j-simple writes to {@code System.err} and looks it up again on every line, so
 * the loggers of classes loaded before the tee are caught as well.
 */
public final class LogCapture implements BeforeAllCallback {

    private static final ByteArrayOutputStream CAPTURED = new ByteArrayOutputStream();
    private static boolean installed;

    @Override
    public void beforeAll(ExtensionContext context) {
        install();
    }

    private static synchronized void install() {
        if (!installed) {
            System.setOut(tee(System.out));
            System.setErr(tee(System.err));
            installed = true;
        }
    }

    /**
     * Where the server's log goes, when not to the console: never in this module, whose tests leave the log on
     * the console (a green run prints nothing there). The progress block asks, as in the other exercises.
     */
    public static Optional<Path> logFile() {
        return Optional.empty();
    }

    /** Everything printed since the first test class started. */
    public static String captured() {
        synchronized (CAPTURED) {
            return CAPTURED.toString(StandardCharsets.UTF_8);
        }
    }

    /**
     * Captures every line; the console gets all but the debug and info lines of the loggers, which the
     * tests raise only so that they are checked too (the console stays as quiet as a normal run).
     */
    private static PrintStream tee(PrintStream console) {
        OutputStream lines = new OutputStream() {
            private final ByteArrayOutputStream line = new ByteArrayOutputStream();

            @Override
            public synchronized void write(int b) {
                line.write(b);
                if (b == '\n') {
                    endLine();
                }
            }

            @Override
            public synchronized void flush() {
                console.flush();
            }

            private void endLine() {
                byte[] bytes = line.toByteArray();
                line.reset();
                synchronized (CAPTURED) {
                    CAPTURED.write(bytes, 0, bytes.length);
                }
                String start = new String(bytes, 0, Math.min(bytes.length, 6), StandardCharsets.UTF_8);
                if (!start.startsWith("TRACE ") && !start.startsWith("DEBUG ") && !start.startsWith("INFO ")) {
                    console.write(bytes, 0, bytes.length);
                }
            }
        };
        return new PrintStream(lines, true, StandardCharsets.UTF_8);
    }
}
