package workshop.orders;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Tees System.out and System.err into memory, once per test JVM, so that {@link LogHygieneTest} can
 * read every line the run printed. JUnit loads it for every test class (META-INF/services, enabled in
 * junit-platform.properties). slf4j-simple looks System.err up again on every line it writes, so the
 * server's log goes through the tee even when the logger was created before it.
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
            installed = true;
            System.setOut(tee(System.out));
            System.setErr(tee(System.err));
        }
    }

    /** Everything printed since the first test class started. */
    static String captured() {
        synchronized (CAPTURED) {
            return CAPTURED.toString(StandardCharsets.UTF_8);
        }
    }

    private static PrintStream tee(PrintStream console) {
        OutputStream both = new OutputStream() {
            @Override
            public void write(int b) {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] bytes, int offset, int length) {
                synchronized (CAPTURED) {
                    CAPTURED.write(bytes, offset, length);
                }
                console.write(bytes, offset, length);
            }

            @Override
            public void flush() {
                console.flush();
            }
        };
        return new PrintStream(both, true, StandardCharsets.UTF_8);
    }
}
