package workshop.catalog.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.TypeRef;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import workshop.catalog.support.AuthTestServer;
import workshop.catalog.support.RawHttp;
import workshop.catalog.support.TestTokens;

@DisplayName("Under load: many users' sessions at once, each answer for its own caller, no write lost")
class LoadTest {

    private static final int CLIENTS = 8;
    private static final int CALLS_PER_CLIENT = 500;
    /** Every tenth call carries a bad token instead of the client's own. */
    private static final int BAD_TOKEN_EVERY = 10;
    private static final Duration LIMIT = Duration.ofSeconds(60);
    private static final List<String> USERS = List.of("alice", "bob", "carol");
    private static final Map<String, String> NAMES = Map.of("alice", "Alice", "bob", "Bob", "carol", "Carol");

    private static AuthTestServer fixture;
    private static String forged;
    private static String expired;

    /** What went wrong, one line per wrong answer; empty at the end. */
    private final Queue<String> problems = new ConcurrentLinkedQueue<>();
    private final Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
    /** The names of every product a create reported as created. */
    private final Queue<String> created = new ConcurrentLinkedQueue<>();

    @BeforeAll
    static void start() throws Exception {
        fixture = AuthTestServer.start();
        String[] parts = fixture.login("bob").accessToken().split("\\.");
        forged = parts[0] + "." + TestTokens.encode(TestTokens.decode(parts[1]).replace("\"bob\"", "\"alice\"")) + "."
                + parts[2];
        Map<String, Object> claims = TestTokens.claims(fixture.clock.instant());
        claims.put("exp", fixture.clock.instant().minus(Duration.ofMinutes(5)).getEpochSecond());
        expired = TestTokens.sign(TestTokens.header(), claims, fixture.secret);
    }

    @AfterAll
    static void stop() throws Exception {
        fixture.close();
    }

    /** One MCP client over raw java.net.http: its own login and session. */
    private final class Client {
        private final String user;
        private final int number;
        private final String token;
        private final String session;
        private int nextId = 2;

        Client(String user, int number) throws Exception {
            this.user = user;
            this.number = number;
            this.token = fixture.login(user).accessToken();
            HttpResponse<String> opened = fixture.initialize(token);
            assertThat(opened.statusCode()).isEqualTo(200);
            this.session = opened.headers().firstValue("Mcp-Session-Id").orElseThrow();
            HttpResponse<String> initialized = post(token, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
            assertThat(initialized.statusCode()).isEqualTo(202);
        }

        HttpResponse<String> post(String bearer, String body) throws Exception {
            return RawHttp.post(fixture.mcp, body, "Authorization", "Bearer " + bearer, "Mcp-Session-Id",
                    session);
        }

        /** A tools/call of the load, its status counted. */
        HttpResponse<String> toolsCall(String bearer, String tool, String arguments) throws Exception {
            HttpResponse<String> response = post(bearer, "{\"jsonrpc\":\"2.0\",\"id\":" + nextId++
                    + ",\"method\":\"tools/call\",\"params\":{\"name\":\"" + tool + "\",\"arguments\":" + arguments + "}}");
            statuses.computeIfAbsent(response.statusCode(), status -> new AtomicInteger()).incrementAndGet();
            return response;
        }

        /** Calls the tool with the client's token and returns the result's text, "ERROR: "-prefixed for a tool error. */
        String call(String tool, String arguments) throws Exception {
            HttpResponse<String> response = toolsCall(token, tool, arguments);
            if (response.statusCode() != 200) {
                problems.add(user + " " + tool + ": HTTP " + response.statusCode());
                return "";
            }
            return text(response.body());
        }

        void run() throws Exception {
            for (int i = 0; i < CALLS_PER_CLIENT; i++) {
                if (i % BAD_TOKEN_EVERY == BAD_TOKEN_EVERY - 1) {
                    HttpResponse<String> refused = toolsCall(i % 20 == 19 ? forged : expired, "whoami", "{}");
                    if (refused.statusCode() != 401 || !RawHttp.challenge(refused).contains("invalid_token")) {
                        problems.add(user + " bad token: HTTP " + refused.statusCode());
                    }
                    continue;
                }
                switch (i % 3) {
                    case 0 -> expectWhoami();
                    case 1 -> expectCreate("p-" + user + "-" + number + "-" + i);
                    default -> expectList();
                }
            }
        }

        private void expectWhoami() throws Exception {
            String text = call("whoami", "{}");
            if (!text.startsWith("You are " + NAMES.get(user) + " (" + user + "), ")) {
                problems.add(user + " whoami answered: " + text);
            }
        }

        private void expectCreate(String name) throws Exception {
            String text = call("create_product", "{\"name\":\"" + name + "\",\"price\":1}");
            if (user.equals("carol")) {
                if (!text.startsWith("ERROR: Permission denied: tool create_product needs User.Write or Admin.Write")) {
                    problems.add("carol's create answered: " + text);
                }
            } else if (text.matches("Created #\\d+ " + name + " \\(\\$1\\.00\\)")) {
                created.add(name);
            } else {
                problems.add(user + "'s create answered: " + text);
            }
        }

        private void expectList() throws Exception {
            if (!call("list_products", "{}").contains("#1 Laptop")) {
                problems.add(user + " list_products did not list the catalog");
            }
        }
    }

    /** The text of the tools/call result in an SSE answer ("data: {...}"); "ERROR: " first for a tool error. */
    private static String text(String sse) throws Exception {
        String data = sse.lines().filter(line -> line.startsWith("data:")).findFirst().orElse("data: {}").substring(5);
        Map<String, Object> message = McpJsonDefaults.getMapper().readValue(data, new TypeRef<Map<String, Object>>() {
        });
        if (!(message.get("result") instanceof Map<?, ?> result)
                || !(result.get("content") instanceof List<?> content) || content.isEmpty()
                || !(content.get(0) instanceof Map<?, ?> first)) {
            return "no result: " + data;
        }
        return (Boolean.TRUE.equals(result.get("isError")) ? "ERROR: " : "") + first.get("text");
    }

    @Test
    @DisplayName("8 clients (alice, bob and carol in turn, each its own session) x 500 tools/call at once: no 5xx, no answer for another caller, bad tokens 401, every create kept, within 60 s")
    void manyUsersAtOnce() {
        assertTimeoutPreemptively(LIMIT, this::runLoad);
    }

    private void runLoad() throws Exception {
        List<Client> clients = new ArrayList<>();
        for (int n = 0; n < CLIENTS; n++) {
            clients.add(new Client(USERS.get(n % USERS.size()), n));
        }
        CountDownLatch gate = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(clients.size());
        long started = System.nanoTime();
        try {
            List<Future<?>> running = new ArrayList<>();
            for (Client client : clients) {
                running.add(pool.submit(() -> {
                    gate.await();
                    client.run();
                    return null;
                }));
            }
            gate.countDown();
            for (Future<?> client : running) {
                client.get();
            }
        } finally {
            pool.shutdownNow();
        }
        long millis = Duration.ofNanos(System.nanoTime() - started).toMillis();

        int calls = statuses.values().stream().mapToInt(AtomicInteger::get).sum();
        int refusals = statuses.getOrDefault(401, new AtomicInteger()).get();
        long serverErrors = statuses.entrySet().stream().filter(entry -> entry.getKey() >= 500)
                .mapToInt(entry -> entry.getValue().get()).sum();
        System.out.println("LoadTest: " + calls + " tools/call by " + clients.size() + " clients in " + millis
                + " ms; statuses " + statuses + "; " + created.size() + " products created");

        assertThat(problems).as("wrong answers").isEmpty();
        assertThat(serverErrors).as("5xx answers").isZero();
        assertThat(calls).isEqualTo(clients.size() * CALLS_PER_CLIENT);
        assertThat(refusals).isEqualTo(clients.size() * CALLS_PER_CLIENT / BAD_TOKEN_EVERY);
        // No lost write: every product a create reported is in the catalog afterwards.
        String catalog = clients.get(0).call("list_products", "{}");
        List<String> listed = catalog.lines().map(line -> line.replaceFirst("^#\\d+ (.*) \\(\\$1\\.00\\)$", "$1")).toList();
        assertThat(created).hasSizeGreaterThan(0).allSatisfy(name -> assertThat(listed).contains(name));
        assertThat(listed.stream().filter(name -> name.startsWith("p-carol-"))).isEmpty();
    }
}
