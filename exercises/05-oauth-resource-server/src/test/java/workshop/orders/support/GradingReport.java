package workshop.orders.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * Says where a graded run stands, task by task: after the last test it prints a progress block and writes it to
 * {@code target/progress.txt}, one line a task to {@code target/progress.csv}. A test counts for the task its
 * display name starts with, "02.3 ..." (a parameterized row by its own name first, then by its method's); a
 * name that starts with "02.2-02.3" or "02.1+02.4" counts for the last task it names, the one that finishes the
 * job. "NN.0" tests check code the
 * exercise gives: they count in the total, not as a task. The task titles are in {@code grading.properties}.
 * Registered for the test JVM through {@code META-INF/services}.
 */
public final class GradingReport implements TestExecutionListener {

    private static final Pattern TASK = Pattern.compile("^\"?(\\d\\d)\\.(\\d+)(?:[-+](\\d\\d)\\.(\\d+))?\\b");

    /** Per task: tests passed, tests run, the first failing test's name (first in the plan's order). */
    private static final class Tally {
        int passed;
        int run;
        String firstFailure;
        long firstFailureAt = Long.MAX_VALUE;
    }

    private final Map<String, Tally> tasks = new TreeMap<>();
    /**
     * Each test's place in the plan: classes run two at a time, so "first" cannot mean first to finish. The rows
     * of a parameterized test, registered as they run, come right after their method, in the order they came.
     */
    private final Map<String, Long> order = new HashMap<>();
    private long registered;
    private TestPlan plan;

    @Override
    public void testPlanExecutionStarted(TestPlan testPlan) {
        this.plan = testPlan;
        testPlan.getRoots().forEach(this::number);
    }

    private void number(TestIdentifier at) {
        order.put(at.getUniqueId(), (long) order.size() << 32);
        plan.getChildren(at).forEach(this::number);
    }

    @Override
    public synchronized void dynamicTestRegistered(TestIdentifier test) {
        long parent = test.getParentId().map(order::get).orElse(Long.MAX_VALUE - (1L << 32));
        order.put(test.getUniqueId(), parent + ++registered);
    }

    @Override
    public void executionSkipped(TestIdentifier test, String reason) {
        if (test.isTest()) {
            count(test, false);
        }
    }

    @Override
    public void executionFinished(TestIdentifier test, TestExecutionResult result) {
        boolean passed = result.getStatus() == TestExecutionResult.Status.SUCCESSFUL;
        if (test.isTest()) {
            count(test, passed);
        } else if (!passed && plan != null) {
            // A fixture that failed (@BeforeAll, say) started none of its tests: each still counts, as failed.
            plan.getDescendants(test).stream().filter(TestIdentifier::isTest).forEach(child -> count(child, false));
        }
    }

    private synchronized void count(TestIdentifier test, boolean passed) {
        Optional<String> named = taskName(test);
        String task = named.map(name -> {
            Matcher m = TASK.matcher(name);
            m.find();
            return m.group(3) != null ? m.group(3) + "." + m.group(4) : m.group(1) + "." + m.group(2);
        }).orElse("given");
        if (task.endsWith(".0")) {
            task = "given";
        }
        Tally tally = tasks.computeIfAbsent(task, key -> new Tally());
        tally.run++;
        long at = order.getOrDefault(test.getUniqueId(), Long.MAX_VALUE);
        if (passed) {
            tally.passed++;
        } else if (tally.firstFailure == null || at < tally.firstFailureAt) {
            tally.firstFailureAt = at;
            tally.firstFailure = named.orElse(test.getDisplayName())
                    + (named.isPresent() && !named.get().equals(test.getDisplayName()) ? " " + test.getDisplayName() : "");
        }
    }

    /** The display name of the test, or of the nearest container, that starts with a task number. */
    private Optional<String> taskName(TestIdentifier test) {
        for (TestIdentifier at = test; at != null; at = plan == null ? null : plan.getParent(at).orElse(null)) {
            if (TASK.matcher(at.getDisplayName()).find()) {
                return Optional.of(at.getDisplayName());
            }
        }
        return Optional.empty();
    }

    @Override
    public synchronized void testPlanExecutionFinished(TestPlan testPlan) {
        if (tasks.isEmpty()) {
            return;
        }
        Properties titles = new Properties();
        try (InputStream in = GradingReport.class.getClassLoader().getResourceAsStream("grading.properties")) {
            if (in != null) {
                titles.load(new java.io.InputStreamReader(in, StandardCharsets.UTF_8));
            }
        } catch (IOException unreadable) {
            throw new UncheckedIOException(unreadable);
        }
        Map<String, Tally> graded = new LinkedHashMap<>();
        for (String task : new TreeMap<>(Map.copyOf(titlesOf(titles))).keySet()) {
            graded.put(task, tasks.getOrDefault(task, new Tally()));
        }
        tasks.forEach((task, tally) -> {
            if (!task.equals("given")) {
                graded.putIfAbsent(task, tally);
            }
        });
        int passed = tasks.values().stream().mapToInt(t -> t.passed).sum();
        int run = tasks.values().stream().mapToInt(t -> t.run).sum();
        long complete = graded.values().stream().filter(t -> t.run > 0 && t.passed == t.run).count();
        Path here = Path.of("").toAbsolutePath();
        String module = here.getParent().getFileName() + "/" + here.getFileName();

        List<String> lines = new ArrayList<>();
        lines.add(module + ": " + complete + " of " + graded.size() + " tasks complete (" + passed + "/" + run
                + " tests)");
        List<String> csv = new ArrayList<>();
        csv.add("module,task,title,passed,tests,complete,first_failing");
        graded.forEach((task, tally) -> {
            String title = titles.getProperty(task, "");
            boolean done = tally.run > 0 && tally.passed == tally.run;
            String line = String.format("  %-5s %3d/%-3d %-28s", task, tally.passed, tally.run, title);
            lines.add((done || tally.firstFailure == null ? line.stripTrailing()
                    : line + " first failing: " + tally.firstFailure));
            csv.add(String.join(",", module, task, quote(title), Integer.toString(tally.passed),
                    Integer.toString(tally.run), Boolean.toString(done), quote(done ? "" : tally.firstFailure)));
        });
        Tally given = tasks.get("given");
        if (given != null) {
            String line = String.format("  %-5s %3d/%-3d %-28s", "given", given.passed, given.run,
                    "checks of the code you were given");
            lines.add(given.passed == given.run || given.firstFailure == null ? line.stripTrailing()
                    : line + " first failing: " + given.firstFailure);
            csv.add(String.join(",", module, "given", quote("checks of the code you were given"),
                    Integer.toString(given.passed), Integer.toString(given.run),
                    Boolean.toString(given.passed == given.run), quote(given.passed == given.run ? "" : given.firstFailure)));
        }
        String block = String.join(System.lineSeparator(), lines);
        System.out.println();
        // The server logs to a file, not to the console (simplelogger.properties): when a test failed, its stack
        // traces may tell why.
        Optional<Path> log = LogCapture.logFile();
        if (passed < run && log.isPresent() && Files.exists(log.get())) {
            System.out.println("The server's log of this run, with the stack traces of its failures: "
                    + (log.get().isAbsolute() ? log.get() : Path.of(module).resolve(log.get())));
        }
        System.out.println(block);
        try {
            Files.createDirectories(Path.of("target"));
            Files.writeString(Path.of("target", "progress.txt"), block + System.lineSeparator());
            Files.write(Path.of("target", "progress.csv"), csv, StandardCharsets.UTF_8);
        } catch (IOException unwritable) {
            System.out.println("(could not write target/progress.txt: " + unwritable.getMessage() + ")");
        }
    }

    private static Map<String, String> titlesOf(Properties titles) {
        Map<String, String> out = new LinkedHashMap<>();
        titles.stringPropertyNames().stream().filter(key -> TASK.matcher(key).matches())
                .forEach(key -> out.put(key, titles.getProperty(key)));
        return out;
    }

    private static String quote(String text) {
        return text == null ? "" : "\"" + text.replace("\"", "\"\"") + "\"";
    }
}
