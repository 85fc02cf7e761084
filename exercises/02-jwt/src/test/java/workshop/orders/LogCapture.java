package workshop.orders;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

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

    /** Everything printed since the first test class started. */
    static String captured() {
        synchronized (CAPTURED) {
            return CAPTURED.toString(StandardCharsets.UTF_8);
        }
    }

    private static PrintStream tee(PrintStream original) {
        return new PrintStream(new OutputStream() {
            @Override
            public void write(int b) {
                original.write(b);
                synchronized (CAPTURED) {
                    CAPTURED.write(b);
                }
            }

            @Override
            public void write(byte[] bytes, int offset, int length) {
                original.write(bytes, offset, length);
                synchronized (CAPTURED) {
                    CAPTURED.write(bytes, offset, length);
                }
            }

            @Override
            public void flush() {
                original.flush();
            }
        }, true, StandardCharsets.UTF_8);
    }
}
