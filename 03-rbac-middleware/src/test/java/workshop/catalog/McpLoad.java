package workshop.catalog;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The load of {@link LayerBenchmark}: MCP sessions over plain java.net.http (no SDK in the way), each
 * calling {@value #TOOL} in a loop on its own thread, and the timing of a call repeated on one thread.
 */
public final class McpLoad {

    static final String TOOL = "list_products";
    private static final String PROTOCOL_VERSION = "2025-06-18";
    private static final String INITIALIZE = """
            {"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"%s",\
            "capabilities":{},"clientInfo":{"name":"benchmark","version":"1"}}}""".formatted(PROTOCOL_VERSION);
    private static final String INITIALIZED = """
            {"jsonrpc":"2.0","method":"notifications/initialized"}""";
    private static final String CALL = """
            {"jsonrpc":"2.0","id":%d,"method":"tools/call","params":{"name":"%s","arguments":{}}}""";

    /** One client for all sessions: it keeps a connection per concurrent request, as separate clients would. */
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    private static final com.sun.management.OperatingSystemMXBean CPU =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private McpLoad() {
    }

    /** One initialized MCP session; {@link #callTool()} is one {@code tools/call} round trip. */
    static final class Session {
        private final URI endpoint;
        private final String authorization;
        private final String id;
        private long nextId = 2;

        private Session(URI endpoint, String authorization, String id) {
            this.endpoint = endpoint;
            this.authorization = authorization;
            this.id = id;
        }

        /** Runs the handshake (initialize, then notifications/initialized) with this Authorization header. */
        static Session open(URI endpoint, String authorization) throws Exception {
            HttpResponse<String> response = send(endpoint, authorization, null, INITIALIZE);
            String id = response.headers().firstValue("Mcp-Session-Id").orElse(null);
            if (response.statusCode() != 200 || id == null) {
                throw new IllegalStateException("initialize answered " + response.statusCode() + " without a session");
            }
            Session session = new Session(endpoint, authorization, id);
            int status = send(endpoint, authorization, id, INITIALIZED).statusCode();
            if (status != 202) {
                throw new IllegalStateException("notifications/initialized answered " + status);
            }
            return session;
        }

        /** Calls the tool; a refusal or an error result stops the benchmark, since it would measure the wrong thing. */
        void callTool() throws Exception {
            HttpResponse<String> response = send(endpoint, authorization, id, CALL.formatted(nextId++, TOOL));
            if (response.statusCode() != 200 || !response.body().contains("\"result\"")
                    || response.body().contains("\"isError\":true")) {
                throw new IllegalStateException("tools/call answered " + response.statusCode() + ": "
                        + response.body().lines().findFirst().orElse(""));
            }
        }
    }

    private static HttpResponse<String> send(URI endpoint, String authorization, String session, String body)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint)
                .timeout(Duration.ofSeconds(10))
                .header("Accept", "application/json, text/event-stream")
                .header("Content-Type", "application/json")
                .header("MCP-Protocol-Version", PROTOCOL_VERSION)
                .header("Authorization", authorization)
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (session != null) {
            request.header("Mcp-Session-Id", session);
        }
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException stale) {
            // The JDK client can hand out a pooled connection that is closing ("header parser received no
            // bytes"); once in tens of thousands of calls, so one retry, not a failed run.
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        }
    }

    /**
     * Throughput and latency of one timed run, and the CPU time the whole process (servers and load) spent
     * per call (per call of both servers when they ran together): less sensitive than throughput to other
     * programs taking the machine's cores away.
     */
    record Run(double callsPerSecond, double p50Millis, double p99Millis, double cpuMicrosPerCall) {
    }

    /**
     * The timed rounds of two servers, index by index: round i of one at the same time as round i of the other, or
     * right before or after it.
     */
    record Comparison(List<Run> with, List<Run> without) {
    }

    /** Times the two servers as the settings say: together (the default), or in alternation. */
    static Comparison compare(List<Session> with, List<Session> without, BenchmarkReport.Settings settings)
            throws Exception {
        return settings.alternate() ? alternate(with, without, settings) : together(with, without, settings);
    }

    /**
     * Warms both servers up at once, then times them together: in every round both take their load at the same time,
     * so a drift of the machine's speed, a pause of the garbage collector or another program's burst hits both alike,
     * and the ratio of their calls in the round is what one server's requests cost against the other's. The rounds
     * take turns in which server's load threads start first.
     */
    static Comparison together(List<Session> with, List<Session> without, BenchmarkReport.Settings settings)
            throws Exception {
        inGroups(List.of(with, without), settings.warmup());
        List<Run> withRuns = new ArrayList<>();
        List<Run> withoutRuns = new ArrayList<>();
        for (int round = 0; round < settings.pairs(); round++) {
            boolean withFirst = round % 2 == 0;
            List<Run> runs = inGroups(withFirst ? List.of(with, without) : List.of(without, with), settings.round());
            withRuns.add(runs.get(withFirst ? 0 : 1));
            withoutRuns.add(runs.get(withFirst ? 1 : 0));
        }
        return new Comparison(withRuns, withoutRuns);
    }

    /**
     * Warms both servers up, then times them in alternation. A pair starts with the other server each time
     * (with, without, without, with, ...), so a drift of the machine's speed favours neither.
     */
    static Comparison alternate(List<Session> with, List<Session> without, BenchmarkReport.Settings settings)
            throws Exception {
        concurrently(with, settings.warmup());
        concurrently(without, settings.warmup());
        List<Run> withRuns = new ArrayList<>();
        List<Run> withoutRuns = new ArrayList<>();
        for (int pair = 0; pair < settings.pairs(); pair++) {
            if (pair % 2 == 0) {
                withRuns.add(concurrently(with, settings.round()));
                withoutRuns.add(concurrently(without, settings.round()));
            } else {
                withoutRuns.add(concurrently(without, settings.round()));
                withRuns.add(concurrently(with, settings.round()));
            }
        }
        return new Comparison(withRuns, withoutRuns);
    }

    /** {@code count} sessions on the endpoint, each with this Authorization header. */
    static List<Session> sessions(URI endpoint, String authorization, int count) throws Exception {
        List<Session> sessions = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            sessions.add(Session.open(endpoint, authorization));
        }
        return sessions;
    }

    /** Every session calls the tool in a loop on its own thread, all at once, for {@code time}. */
    static Run concurrently(List<Session> sessions, Duration time) throws Exception {
        return inGroups(List.of(sessions), time).get(0);
    }

    /**
     * Every session of every group calls the tool in a loop on its own thread, all at once, for {@code time}; a run
     * per group. The CPU time is the whole process's, per call of all groups.
     */
    static List<Run> inGroups(List<List<Session>> groups, Duration time) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        AtomicReference<Exception> failure = new AtomicReference<>();
        List<List<long[]>> latencies = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        long[] began = new long[1];
        for (List<Session> group : groups) {
            List<long[]> ofGroup = new ArrayList<>();
            latencies.add(ofGroup);
            for (Session session : group) {
                Latencies mine = new Latencies();
                Thread thread = new Thread(() -> {
                    try {
                        start.await();
                        long deadline = began[0] + time.toNanos();
                        for (long now = System.nanoTime(); now < deadline; ) {
                            session.callTool();
                            long done = System.nanoTime();
                            mine.add(done - now);
                            now = done;
                        }
                    } catch (Exception e) {
                        failure.compareAndSet(null, e);
                    } finally {
                        synchronized (ofGroup) {
                            ofGroup.add(mine.toArray());
                        }
                    }
                }, "load-" + threads.size());
                thread.start();
                threads.add(thread);
            }
        }
        long cpu = CPU.getProcessCpuTime();
        began[0] = System.nanoTime();
        start.countDown();
        for (Thread thread : threads) {
            thread.join();
        }
        long elapsed = System.nanoTime() - began[0];
        long cpuUsed = CPU.getProcessCpuTime() - cpu;
        if (failure.get() != null) {
            throw failure.get();
        }
        List<long[]> sorted = latencies.stream()
                .map(group -> group.stream().flatMapToLong(Arrays::stream).sorted().toArray()).toList();
        long calls = sorted.stream().mapToLong(all -> all.length).sum();
        return sorted.stream().map(all -> new Run(all.length * 1e9 / elapsed, percentile(all, 50) / 1e6,
                percentile(all, 99) / 1e6, cpuUsed / 1e3 / calls)).toList();
    }

    /** Calls per second of {@code call} on this thread, once per round of {@code time}. */
    static double[] perSecond(Callable<?> call, int rounds, Duration time) throws Exception {
        double[] result = new double[rounds];
        for (int round = 0; round < rounds; round++) {
            long calls = 0;
            long start = System.nanoTime();
            long deadline = start + time.toNanos();
            long now = start;
            while (now < deadline) {
                call.call();
                calls++;
                now = System.nanoTime();
            }
            result[round] = calls * 1e9 / (now - start);
        }
        return result;
    }

    static long percentile(long[] sorted, int percent) {
        return sorted.length == 0 ? 0
                : sorted[Math.min(sorted.length - 1, (int) ((long) sorted.length * percent / 100))];
    }

    /** A growable array of nanoseconds: a list of boxed longs would put the garbage collector into the figures. */
    private static final class Latencies {
        private long[] values = new long[1 << 14];
        private int size;

        void add(long value) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = value;
        }

        long[] toArray() {
            return Arrays.copyOf(values, size);
        }
    }
}
