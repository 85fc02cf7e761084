package workshop.catalog;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;
import java.util.stream.DoubleStream;

/** The settings of {@link LayerBenchmark} (system properties) and the Markdown it prints and writes. */
public final class BenchmarkReport {

    /** A benchmark's body. */
    interface Benchmark {
        void run() throws Exception;
    }

    /**
     * Runs the benchmark and ends the JVM, also after a failure (exit status 1): the SDK server leaves a
     * non-daemon thread behind (its session sweeper), which would otherwise keep the JVM, and Maven, waiting.
     */
    static void runAndExit(Benchmark benchmark) {
        int status = 0;
        try {
            benchmark.run();
        } catch (Throwable failure) {
            failure.printStackTrace();
            status = 1;
        }
        System.exit(status);
    }

    /**
     * What to run; every duration is in seconds, e.g. {@code -Dbench.round=5}.
     *
     * @param workers     concurrent MCP sessions, one thread each ({@code bench.workers})
     * @param warmup      load on each server before the first timed round ({@code bench.warmup})
     * @param round       one timed round ({@code bench.round})
     * @param pairs       timed rounds per server, both at once or alternating ({@code bench.pairs})
     * @param clientRound one single-thread client round, four of them ({@code bench.client.round})
     * @param verifyRound one token verification round, three of them after two of warm-up ({@code bench.verify.round})
     * @param alternate   the servers take turns ({@code bench.alternate=true}) instead of taking their load together
     * @param aa          an A/A run ({@code bench.aa=true}): the server with the layer is replaced by a second server
     *                    without it, so the ratio shows the method's own noise and bias
     * @param out         where the Markdown goes ({@code bench.out})
     */
    record Settings(int workers, Duration warmup, Duration round, int pairs, Duration clientRound,
            Duration verifyRound, boolean alternate, boolean aa, Path out) {

        static final int CLIENT_ROUNDS = 4;
        static final int VERIFY_ROUNDS = 3;

        /**
         * The settings the system properties give, the rest by default.
         *
         * @param warmupSeconds the step's warm-up by default: its layer's code must be compiled by the JIT before the
         *                      rounds, or they measure the compiler (docs/benchmarks.md has the figures)
         */
        static Settings fromSystemProperties(double warmupSeconds) {
            return new Settings((int) number("bench.workers", 8), seconds("bench.warmup", warmupSeconds),
                    seconds("bench.round", 1), (int) number("bench.pairs", 5), seconds("bench.client.round", 0.5),
                    seconds("bench.verify.round", 0.4), flag("bench.alternate"), flag("bench.aa"),
                    Path.of(System.getProperty("bench.out", "target/benchmark.md")));
        }

        /** The property's value; absent or empty (as the Maven profile passes an unset one) means the default. */
        private static double number(String property, double fallback) {
            String value = System.getProperty(property, "").strip();
            return value.isEmpty() ? fallback : Double.parseDouble(value);
        }

        /** True when the property is {@code true}; {@code -Dbench.aa} alone on Maven's command line makes it so. */
        private static boolean flag(String property) {
            return Boolean.parseBoolean(System.getProperty(property, "").strip());
        }

        private static Duration seconds(String property, double fallback) {
            return Duration.ofMillis(Math.round(1000 * number(property, fallback)));
        }
    }

    private final StringBuilder markdown = new StringBuilder();

    BenchmarkReport(Settings settings, String step, String layer) {
        markdown.append("### ").append(step).append(": ").append(layer)
                .append(settings.aa() ? " (A/A run: no layer on either server)" : "").append("\n\n");
    }

    /**
     * The layer's cost: the two servers' rounds, taken together or in alternation, and the median of the rounds'
     * ratios. In an A/A run both servers are {@code without}, and the ratio is the method's noise.
     */
    void layerCost(Settings settings, String with, String without, List<McpLoad.Run> withRuns,
            List<McpLoad.Run> withoutRuns) {
        double[] ratios = new double[withRuns.size()];
        double[] cpuRatios = new double[withRuns.size()];
        for (int i = 0; i < ratios.length; i++) {
            ratios[i] = withRuns.get(i).callsPerSecond() / withoutRuns.get(i).callsPerSecond();
            cpuRatios[i] = withRuns.get(i).cpuMicrosPerCall() / withoutRuns.get(i).cpuMicrosPerCall();
        }
        double ratio = median(ratios);
        markdown.append(settings.alternate() ? String.format(Locale.ROOT, "%d MCP sessions over raw HTTP, one thread "
                + "each, calling `%s` in a loop; %d rounds of %.1f s per server, alternating, after %.1f s of warm-up "
                + "each; medians of the rounds.%n%n", settings.workers(), McpLoad.TOOL, settings.pairs(),
                seconds(settings.round()), seconds(settings.warmup()))
                : String.format(Locale.ROOT, "%d MCP sessions per server over raw HTTP, one thread each, calling `%s` "
                + "in a loop; %d rounds of %.1f s with both servers at once, after %.1f s of warm-up of both; "
                + "medians of the rounds. CPU µs/call: the whole process's, per call of both servers.%n%n",
                settings.workers(), McpLoad.TOOL, settings.pairs(), seconds(settings.round()),
                seconds(settings.warmup())));
        markdown.append("| server | calls/s | p50 ms | p99 ms | CPU µs/call | calls/s of each round |\n"
                + "|---|---:|---:|---:|---:|---|\n");
        row(settings.aa() ? "A/A, in the layer's place: " + without + ", a second server" : "with: " + with,
                withRuns);
        row("without: " + without, withoutRuns);
        // Together, both servers share one process's CPU time: no ratio of it.
        String cpuRatio = settings.alternate() ? String.format(Locale.ROOT, "**%.3f**", median(cpuRatios)) : "—";
        markdown.append(String.format(Locale.ROOT, "| **with / without** | **%.3f** | | | %s | "
                + "%s %.1f %% (%s); ratios of the rounds from %.3f to %.3f |%n%n", ratio, cpuRatio,
                settings.aa() ? "difference" : "throughput cost", 100 * (1 - ratio),
                settings.aa() ? "the same server twice: noise or bias" : "target ≤ 3 %",
                DoubleStream.of(ratios).min().orElse(0), DoubleStream.of(ratios).max().orElse(0)));
    }

    private void row(String server, List<McpLoad.Run> runs) {
        markdown.append(String.format(Locale.ROOT, "| %s | %,.0f | %.2f | %.2f | %.0f | %s |%n", server,
                median(runs, McpLoad.Run::callsPerSecond), median(runs, McpLoad.Run::p50Millis),
                median(runs, McpLoad.Run::p99Millis), median(runs, McpLoad.Run::cpuMicrosPerCall), runs.stream()
                        .map(run -> String.format(Locale.ROOT, "%,.0f", run.callsPerSecond()))
                        .collect(Collectors.joining(" "))));
    }

    /** Single-thread clients round by round: calls/s and ms per call, so warm-up shows as a trend. */
    void clients(Settings settings, List<String> names, List<double[]> perSecond) {
        markdown.append(String.format(Locale.ROOT, "One client on one thread calling `%s` against the server with "
                + "the layer, %d rounds of %.1f s in a row.%n%n", McpLoad.TOOL, Settings.CLIENT_ROUNDS,
                seconds(settings.clientRound())));
        markdown.append("| client | calls/s, round by round | ms/call, round by round |\n|---|---|---|\n");
        for (int i = 0; i < names.size(); i++) {
            double[] rounds = perSecond.get(i);
            markdown.append("| ").append(names.get(i)).append(" | ")
                    .append(join(rounds, "%,.0f", 1)).append(" | ").append(join(rounds, "%.2f", 1000)).append(" |\n");
        }
        markdown.append('\n');
    }

    /** Token verifications per second on one thread (steps 02 to 04). */
    void verifications(Settings settings, List<String> names, List<double[]> perSecond) {
        markdown.append(String.format(Locale.ROOT, "Access-token verifications on one thread, %d rounds of %.1f s "
                + "after two of warm-up; target ≥ 100,000/s.%n%n", Settings.VERIFY_ROUNDS, seconds(settings.verifyRound())));
        markdown.append("| verification | per second (median) | µs each | each round |\n|---|---:|---:|---|\n");
        for (int i = 0; i < names.size(); i++) {
            double median = median(perSecond.get(i));
            markdown.append(String.format(Locale.ROOT, "| %s | %,.0f | %.2f | %s |%n", names.get(i), median,
                    1e6 / median, join(perSecond.get(i), "%,.0f", 1)));
        }
        markdown.append('\n');
    }

    /** Prints the Markdown and writes it to {@link Settings#out()}. */
    void publish(Settings settings) throws IOException {
        System.out.print(markdown);
        Path parent = settings.out().toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Files.writeString(settings.out(), markdown);
    }

    /** Each value, or its reciprocal times {@code scale} when {@code scale} is not 1 (calls/s into ms/call). */
    private static String join(double[] values, String format, double scale) {
        return DoubleStream.of(values).mapToObj(value -> String.format(Locale.ROOT, format,
                scale == 1 ? value : scale / value)).collect(Collectors.joining(" "));
    }

    private static <T> double median(List<T> runs, ToDoubleFunction<T> value) {
        return median(runs.stream().mapToDouble(value).toArray());
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    private static double seconds(Duration duration) {
        return duration.toMillis() / 1000.0;
    }
}
