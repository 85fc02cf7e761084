package workshop.orders.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.TestSource;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * Says where a graded run stands, task by task: after the last test it prints a progress block and writes it to
 * {@code target/progress.txt}, one line a row to {@code target/progress.csv}. Registered for the test JVM through
 * {@code META-INF/services}.
 *
 * <p>A test counts for the task its display name starts with, "02.3 ..." (a parameterized row by its own name
 * first, then by its method's). "NN.0" tests check code the exercise gives: they count in the total, on the
 * "given" row, not as a task. A test of one task that needs earlier ones too, "02.1+02.4 ...", counts for the
 * last task it names (02.4): it is that task's test. A test of several tasks together, "02.2-02.3 together ...",
 * gets a row of its own per label ("02.2-02.3  together", or "all tasks together" when the label spans every
 * task), shown after the tasks and not counted as a task, so a task's row says what that task earns. The first line, "exercises/NN-name: K of M tasks complete (P/T tests)", counts
 * the M tasks of {@code grading.properties}; P/T counts every test.
 *
 * <p>A row's "first failing" is its first failing test in the README's order: test classes in the order of the
 * {@code order} key of {@code grading.properties} (the order the README's tasks introduce them; an unlisted
 * class comes after, in the plan's order), and within a class the order of the methods in its source file
 * (read from {@code src/test/java}, or {@code target/graded-tests} in a solution; the plan's order when the
 * source is not there). Neither depends on which test finished first (classes run two at a time) nor on JUnit's
 * method order, which is not the source order.
 */
public final class GradingReport implements TestExecutionListener {

    /** A task label at the start of a name: "02.3", "02.2-02.3", "02.1+02.4+02.5" (a row's name may be quoted). */
    private static final Pattern TASK = Pattern.compile("^\"?(\\d\\d\\.\\d+(?:[-+]\\d\\d\\.\\d+)*)\\b");
    private static final Pattern ONE = Pattern.compile("\\d\\d\\.\\d+");
    /** The title column: a wider title is cut with "..." when "first failing:" follows it (never in the CSV). */
    private static final int TITLE_WIDTH = 30;
    private static final String GIVEN = "given";
    private static final String GIVEN_TITLE = "checks of the code you were given";

    /** Per row: tests passed, tests run, the first failing test's name (first in the README's order). */
    private static final class Tally {
        int passed;
        int run;
        String firstFailure;
        long[] firstFailureAt;
    }

    private final Map<String, Tally> rows = new TreeMap<>();
    /** Each test's place in the plan, and the class and method behind it. */
    private final Map<String, Long> order = new HashMap<>();
    private final Map<String, String> sourceText = new HashMap<>();
    /** Every test's own display name and its task's container's: the rubric lines, kept to 100 characters. */
    private final SortedSet<String> names = new TreeSet<>();
    private long registered;
    private TestPlan plan;
    private Properties titles;
    private List<String> classOrder = List.of();

    @Override
    public void testPlanExecutionStarted(TestPlan testPlan) {
        this.plan = testPlan;
        this.titles = loadTitles();
        this.classOrder = Arrays.stream(titles.getProperty("order", "").split("[,\\s]+"))
                .filter(name -> !name.isBlank()).toList();
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
        names.add(test.getDisplayName());
        named.ifPresent(names::add);
        String row = named.map(name -> {
            Matcher m = TASK.matcher(name);
            m.find();
            return m.group(1);
        }).orElse(GIVEN);
        if (row.contains("+") && !row.contains("-")) {
            row = lastOf(row);
        }
        if (ONE.matcher(row).matches() && row.endsWith(".0")) {
            row = GIVEN;
        }
        Tally tally = rows.computeIfAbsent(row, key -> new Tally());
        tally.run++;
        if (passed) {
            tally.passed++;
            return;
        }
        long[] at = place(test);
        if (tally.firstFailure == null || Arrays.compare(at, tally.firstFailureAt) < 0) {
            tally.firstFailureAt = at;
            tally.firstFailure = named.orElse(test.getDisplayName())
                    + (named.isPresent() && !named.get().equals(test.getDisplayName()) ? " " + test.getDisplayName() : "");
        }
    }

    /** Where a test stands in the README's order: its class's rank, its method's place in the source, the plan. */
    private long[] place(TestIdentifier test) {
        long inPlan = order.getOrDefault(test.getUniqueId(), Long.MAX_VALUE);
        String className = null;
        String methodName = null;
        for (TestIdentifier at = test; at != null && className == null;
                at = plan == null ? null : plan.getParent(at).orElse(null)) {
            Optional<TestSource> source = at.getSource();
            if (source.isPresent() && source.get() instanceof MethodSource method) {
                className = method.getClassName();
                methodName = method.getMethodName();
            } else if (source.isPresent() && source.get() instanceof ClassSource type) {
                className = type.getClassName();
            }
        }
        if (className == null) {
            return new long[] {Long.MAX_VALUE, Long.MAX_VALUE, inPlan};
        }
        String outer = className.contains("$") ? className.substring(0, className.indexOf('$')) : className;
        int rank = classOrder.indexOf(outer.substring(outer.lastIndexOf('.') + 1));
        long classRank = rank >= 0 ? rank : classOrder.size() + (inPlan >>> 32);
        long inSource = Long.MAX_VALUE;
        if (methodName != null) {
            String text = source(outer);
            Matcher declared = Pattern.compile("\\bvoid\\s+" + Pattern.quote(methodName) + "\\s*\\(").matcher(text);
            if (declared.find()) {
                inSource = declared.start();
            }
        }
        return new long[] {classRank, inSource, inPlan};
    }

    /** The text of a test class's source file, or "" when it is not there. */
    private String source(String className) {
        return sourceText.computeIfAbsent(className, name -> {
            String file = name.replace('.', '/') + ".java";
            for (Path root : List.of(Path.of("src", "test", "java"), Path.of("target", "graded-tests"))) {
                Path path = root.resolve(file);
                if (Files.isReadable(path)) {
                    try {
                        return Files.readString(path, StandardCharsets.UTF_8);
                    } catch (IOException unreadable) {
                        return "";
                    }
                }
            }
            return "";
        });
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
        if (rows.isEmpty()) {
            return;
        }
        Properties titles = this.titles != null ? this.titles : loadTitles();
        List<String> taskKeys = titles.stringPropertyNames().stream().filter(key -> ONE.matcher(key).matches())
                .sorted(GradingReport::byTask).toList();
        Map<String, Tally> tasks = new LinkedHashMap<>();
        taskKeys.forEach(task -> tasks.put(task, rows.getOrDefault(task, new Tally())));
        rows.keySet().stream().filter(row -> ONE.matcher(row).matches()).sorted(GradingReport::byTask)
                .forEach(task -> tasks.putIfAbsent(task, rows.get(task)));
        Map<String, Tally> together = new LinkedHashMap<>();
        rows.keySet().stream().filter(row -> !row.equals(GIVEN) && !ONE.matcher(row).matches())
                .sorted(Comparator.comparing(GradingReport::lastOf, GradingReport::byTask)
                        .thenComparing(GradingReport::firstOf, GradingReport::byTask)
                        .thenComparing(Comparator.naturalOrder()))
                .forEach(label -> together.put(label, rows.get(label)));

        int passed = rows.values().stream().mapToInt(t -> t.passed).sum();
        int run = rows.values().stream().mapToInt(t -> t.run).sum();
        long complete = tasks.values().stream().filter(GradingReport::done).count();
        Path here = Path.of("").toAbsolutePath();
        String module = here.getParent().getFileName() + "/" + here.getFileName();
        int keyWidth = Math.max(GIVEN.length(), rows.keySet().stream().mapToInt(String::length).max().orElse(5));

        List<String> lines = new ArrayList<>();
        lines.add(module + ": " + complete + " of " + tasks.size() + " tasks complete (" + passed + "/" + run
                + " tests)");
        List<String> csv = new ArrayList<>();
        csv.add("module,task,title,passed,tests,complete,first_failing");
        Map<String, String> rowTitles = new LinkedHashMap<>();
        tasks.keySet().forEach(task -> rowTitles.put(task, titles.getProperty(task, "")));
        together.keySet().forEach(label -> rowTitles.put(label, togetherTitle(label, taskKeys)));
        Map<String, Tally> shown = new LinkedHashMap<>(tasks);
        shown.putAll(together);
        if (rows.containsKey(GIVEN)) {
            shown.put(GIVEN, rows.get(GIVEN));
            rowTitles.put(GIVEN, GIVEN_TITLE);
        }
        shown.forEach((row, tally) -> {
            String title = rowTitles.get(row);
            boolean done = done(tally);
            boolean failing = !done && tally.firstFailure != null;
            String line = String.format("  %-" + keyWidth + "s %3d/%-3d %-" + TITLE_WIDTH + "s", row, tally.passed,
                    tally.run, failing ? cut(title) : title);
            lines.add(failing ? line + " first failing: " + tally.firstFailure : line.stripTrailing());
            csv.add(String.join(",", module, row, quote(title), Integer.toString(tally.passed),
                    Integer.toString(tally.run), Boolean.toString(done), quote(done ? "" : tally.firstFailure)));
        });
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
            // For the repository's CI, which keeps every rubric line within 100 characters.
            Files.write(Path.of("target", "graded-names.txt"), names, StandardCharsets.UTF_8);
        } catch (IOException unwritable) {
            System.out.println("(could not write target/progress.txt: " + unwritable.getMessage() + ")");
        }
    }

    private static boolean done(Tally tally) {
        return tally.run > 0 && tally.passed == tally.run;
    }

    /** "all tasks together" when a label spans the first task to the last, else "together". */
    private static String togetherTitle(String label, List<String> tasks) {
        if (!tasks.isEmpty() && label.matches("\\d\\d\\.\\d+-\\d\\d\\.\\d+")
                && byTask(firstOf(label), tasks.get(0)) <= 0 && lastOf(label).equals(tasks.get(tasks.size() - 1))) {
            return "all tasks together";
        }
        return "together";
    }

    private static String firstOf(String label) {
        Matcher m = ONE.matcher(label);
        m.find();
        return m.group();
    }

    private static String lastOf(String label) {
        Matcher m = ONE.matcher(label);
        String last = label;
        while (m.find()) {
            last = m.group();
        }
        return last;
    }

    /** "05.2" before "05.10": by exercise, then by task number. */
    private static int byTask(String a, String b) {
        String[] x = a.split("\\.");
        String[] y = b.split("\\.");
        int exercise = x[0].compareTo(y[0]);
        return exercise != 0 ? exercise : Integer.compare(Integer.parseInt(x[1]), Integer.parseInt(y[1]));
    }

    private static String cut(String title) {
        return title.length() <= TITLE_WIDTH ? title : title.substring(0, TITLE_WIDTH - 3).stripTrailing() + "...";
    }

    private static Properties loadTitles() {
        Properties titles = new Properties();
        try (InputStream in = GradingReport.class.getClassLoader().getResourceAsStream("grading.properties")) {
            if (in != null) {
                titles.load(new java.io.InputStreamReader(in, StandardCharsets.UTF_8));
            }
        } catch (IOException unreadable) {
            throw new UncheckedIOException(unreadable);
        }
        return titles;
    }

    private static String quote(String text) {
        return text == null ? "" : "\"" + text.replace("\"", "\"\"") + "\"";
    }
}
