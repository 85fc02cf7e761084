package workshop.orders.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import workshop.orders.LogHygieneTest;

/**
 * Keeps what the test JVM logs and prints, for {@link LogHygieneTest}. The loggers write to the file that
 * {@code simplelogger.properties} names ({@code target/server.log}), not to the console: a refusal the tests
 * provoke on purpose is logged as a warning, and a green run must not alarm anyone with it. The console
 * streams are teed as well, for whatever a test or the server prints itself. Registered for every test class
 * through {@code META-INF/services}; the first class to start installs the tee, once per JVM.
 */
public final class LogCapture implements BeforeAllCallback {

    private static final ByteArrayOutputStream CAPTURED = new ByteArrayOutputStream();
    /** A line of slf4j-simple: "WARN JwtAuthFilter - Refused POST /mcp: ...". */
    private static final Pattern RECORD = Pattern.compile("^(TRACE|DEBUG|INFO|WARN|ERROR) (\\S+) - ");
    private static boolean installed;

    /** One line of the capture: where it is, and the log record it belongs to (a stack trace's line included). */
    public record Line(String where, int number, String text, String record) {

        /** "WARN" and "JwtAuthFilter" for a line of that logger; empty for what was printed otherwise. */
        public Optional<String[]> levelAndLogger() {
            Matcher m = RECORD.matcher(record);
            return m.find() ? Optional.of(new String[] {m.group(1), m.group(2)}) : Optional.empty();
        }
    }

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

    /** Everything logged in this run and printed since the first test class started. */
    public static String captured() {
        return logged() + printed();
    }

    private static String printed() {
        synchronized (CAPTURED) {
            return CAPTURED.toString(StandardCharsets.UTF_8);
        }
    }

    private static String logged() {
        Optional<Path> file = logFile();
        try {
            return file.isPresent() && Files.exists(file.get()) ? Files.readString(file.get(), StandardCharsets.UTF_8)
                    : "";
        } catch (IOException unreadable) {
            throw new UncheckedIOException(unreadable);
        }
    }

    /** Every line logged, then every line printed, each with its place and its log record. */
    public static List<Line> lines() {
        List<Line> lines = new ArrayList<>();
        String where = logFile().map(Path::toString).orElse("the log");
        addLines(lines, where, logged(), true);
        addLines(lines, "the console", printed(), false);
        return lines;
    }

    private static void addLines(List<Line> lines, String where, String text, boolean log) {
        String record = "";
        int number = 0;
        for (String line : text.isEmpty() ? new String[0] : text.split("\\R")) {
            number++;
            // In the log, a line that does not start a record continues the last one (a stack trace, say).
            if (!log || RECORD.matcher(line).find() || record.isEmpty()) {
                record = line;
            }
            lines.add(new Line(where, number, line, record));
        }
    }

    /** The file the loggers write to, as simplelogger.properties (or a system property) names it. */
    public static Optional<Path> logFile() {
        String key = "org.slf4j.simpleLogger.logFile";
        String name = System.getProperty(key);
        if (name == null) {
            Properties config = new Properties();
            try (InputStream in = LogCapture.class.getClassLoader().getResourceAsStream("simplelogger.properties")) {
                if (in != null) {
                    config.load(in);
                }
            } catch (IOException unreadable) {
                throw new UncheckedIOException(unreadable);
            }
            name = config.getProperty(key, "System.err");
        }
        return name.equals("System.err") || name.equals("System.out") ? Optional.empty() : Optional.of(Path.of(name));
    }

    /**
     * Captures every line; the console gets all but the debug and info lines of the loggers (when a run sends
     * them to the console, -Dorg.slf4j.simpleLogger.logFile=System.err), which the tests raise only so that they
     * are checked too.
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
