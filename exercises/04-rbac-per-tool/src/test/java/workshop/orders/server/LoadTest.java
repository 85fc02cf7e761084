package workshop.orders.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.TypeRef;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionService;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import workshop.orders.support.AuthTestServer;
import workshop.orders.support.RawHttp;
import workshop.orders.support.TestPermissions;
import workshop.orders.support.TestTokens;

/**
 * Many callers at once on the server with exactly the layers of Main, over raw java.net.http MCP
 * sessions (initialize, notifications/initialized, then tools/call in a loop): the layers must keep
 * every caller apart, lose no order, never answer 5xx, and do it all in bounded time.
 */
@DisplayName("The orders desk under load, with every layer of step 04")
class LoadTest {

    private static final int CLIENTS = 8;
    private static final int CALLS = 150;
    /** Every 25th call carries a bad token (forged or expired, in turn) in the client's own session. */
    private static final int BAD_TOKEN_EVERY = 25;
    /** Past this, the test fails instead of hanging. */
    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final List<String> USERS = List.of("alice", "bob", "carol");

    /** What one client saw: the products it placed, and every answer that was wrong. */
    record Tally(List<String> placed, int calls, int badTokens, int serverErrors, List<String> problems) {
    }

    @Test
    @DisplayName("04.1-04.5 together: 8 clients x 150 calls at once, no 5xx, every answer for its caller")
    void tasks04_1to5_underLoad() throws Exception {
        try (AuthTestServer full = AuthTestServer.full()) {
            ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
            CountDownLatch start = new CountDownLatch(1);
            long began = System.nanoTime();
            List<Tally> tallies = new ArrayList<>();
            try {
                // The sessions first: a caller refused at the door fails the test before the load starts.
                List<Session> sessions = new ArrayList<>();
                for (int client = 0; client < CLIENTS; client++) {
                    sessions.add(Session.open(full, USERS.get(client % USERS.size())));
                }
                CompletionService<Tally> clients = new ExecutorCompletionService<>(pool);
                for (int client = 0; client < CLIENTS; client++) {
                    Session session = sessions.get(client);
                    int number = client;
                    clients.submit(() -> run(full, session, number, start));
                }
                start.countDown();
                long deadline = began + DEADLINE.toNanos();
                for (int client = 0; client < CLIENTS; client++) {
                    Future<Tally> done = clients.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                    if (done == null) {
                        throw new AssertionError("the load did not finish within " + DEADLINE.toSeconds() + " s");
                    }
                    tallies.add(done.get());
                }
            } finally {
                pool.shutdownNow();
            }
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began);

            int calls = tallies.stream().mapToInt(Tally::calls).sum();
            int badTokens = tallies.stream().mapToInt(Tally::badTokens).sum();
            System.out.printf("LoadTest: %d clients, %d calls (%d with a bad token) in %d ms%n", CLIENTS, calls,
                    badTokens, millis);
            assertThat(calls).isEqualTo(CLIENTS * CALLS);
            assertThat(tallies.stream().mapToInt(Tally::serverErrors).sum()).as("answers with a 5xx").isZero();
            assertThat(tallies.stream().flatMap(tally -> tally.problems().stream()).toList())
                    .as("answers that were wrong for their caller").isEmpty();

            List<String> placed = tallies.stream().flatMap(tally -> tally.placed().stream()).toList();
            assertThat(placed).as("orders placed by alice and bob").hasSize(6 * (CALLS / 5));
            Session alice = Session.open(full, "alice");
            // Each line of the listing is "#<id> <product> x <quantity>".
            List<String> listed = text(alice.call(1, "list_orders", Map.of())).lines()
                    .map(line -> line.substring(line.indexOf(' ') + 1)).toList();
            assertThat(listed).as("the open orders after the load: every order placed is there")
                    .containsAll(placed.stream().map(product -> product + " x 1").toList());
        }
    }

    /** One client: its own login and session, then {@value #CALLS} calls; each answer is checked. */
    private static Tally run(AuthTestServer full, Session session, int number, CountDownLatch start)
            throws Exception {
        String username = session.username();
        String name = Character.toUpperCase(username.charAt(0)) + username.substring(1);
        List<String> badTokens = List.of(forged(session.token), expired(full, username));
        List<String> placed = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        int serverErrors = 0;
        int refused = 0;
        start.await();
        for (int i = 0; i < CALLS; i++) {
            int id = number * 100_000 + i + 10;
            HttpResponse<String> response;
            if (i % BAD_TOKEN_EVERY == BAD_TOKEN_EVERY - 1) {
                String bad = badTokens.get(refused++ % badTokens.size());
                response = session.send(bad, call(id, "whoami", Map.of()));
                if (response.statusCode() != 401 || !String.valueOf(RawHttp.challenge(response))
                        .contains("error=\"invalid_token\"")) {
                    problems.add(username + " with a bad token got " + response.statusCode() + " " + response.body());
                }
            } else if (i % 5 == 0) {
                String product = "load-" + number + "-" + i;
                response = session.send(session.token, call(id, "place_order", Map.of("product", product,
                        "quantity", 1)));
                Map<String, Object> result = result(response, id, problems);
                if (result != null && username.equals("carol")) {
                    if (!Boolean.TRUE.equals(result.get("isError")) || !text(result).equals(
                            TestPermissions.toolRefusal("place_order", "carol"))) {
                        problems.add("carol's place_order was not refused: " + result);
                    }
                } else if (result != null) {
                    if (Boolean.TRUE.equals(result.get("isError")) || !text(result).endsWith(" " + product + " x 1")) {
                        problems.add(username + "'s place_order failed: " + result);
                    } else {
                        placed.add(product);
                    }
                }
            } else if (i % 10 == 3) {
                response = session.send(session.token, call(id, "list_orders", Map.of()));
                Map<String, Object> result = result(response, id, problems);
                if (result != null && (Boolean.TRUE.equals(result.get("isError")) || !text(result).contains("#1 "))) {
                    problems.add(username + "'s list_orders failed: " + result);
                }
            } else {
                response = session.send(session.token, call(id, "whoami", Map.of()));
                Map<String, Object> result = result(response, id, problems);
                if (result != null && !text(result).startsWith("You are " + name + " (" + username + ")")) {
                    problems.add(username + "'s whoami answered: " + text(result));
                }
            }
            if (response.statusCode() >= 500) {
                serverErrors++;
            }
        }
        return new Tally(placed, CALLS, refused, serverErrors, problems);
    }

    /** An MCP session of one user over raw HTTP, with the access token from /auth/token. */
    record Session(AuthTestServer server, String username, String token, String id) {

        static Session open(AuthTestServer server, String username) throws Exception {
            String token = server.login(username).accessToken();
            HttpResponse<String> opened = server.initialize(token);
            assertThat(opened.statusCode()).as("initialize by " + username + ": " + opened.body()).isEqualTo(200);
            Session session = new Session(server, username, token,
                    opened.headers().firstValue("Mcp-Session-Id").orElseThrow());
            HttpResponse<String> initialized = session.send(token,
                    "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
            assertThat(initialized.statusCode()).as("notifications/initialized by " + username).isEqualTo(202);
            return session;
        }

        HttpResponse<String> send(String accessToken, String body) throws Exception {
            return RawHttp.post(server.mcp, body, "Authorization", "Bearer " + accessToken, "Mcp-Session-Id", id,
                    "Mcp-Protocol-Version", "2025-06-18");
        }

        /** A tools/call in this session; the test fails unless it is answered. */
        Map<String, Object> call(int id, String tool, Map<String, Object> arguments) throws Exception {
            List<String> problems = new ArrayList<>();
            Map<String, Object> result = result(send(token, LoadTest.call(id, tool, arguments)), id, problems);
            assertThat(problems).isEmpty();
            return result;
        }
    }

    private static String call(int id, String tool, Map<String, Object> arguments) throws Exception {
        return McpJsonDefaults.getMapper().writeValueAsString(Map.of("jsonrpc", "2.0", "id", id,
                "method", "tools/call", "params", Map.of("name", tool, "arguments", arguments)));
    }

    /** The result of a 200 answer to request {@code id} (JSON or one server-sent event), or null and a problem. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> result(HttpResponse<String> response, int id, List<String> problems)
            throws Exception {
        if (response.statusCode() != 200) {
            problems.add("request " + id + " got " + response.statusCode() + " " + response.body());
            return null;
        }
        String json = response.body().lines().filter(line -> line.startsWith("data:"))
                .map(line -> line.substring(5).strip()).findFirst().orElse(response.body());
        Map<String, Object> message = McpJsonDefaults.getMapper().readValue(json,
                new TypeRef<Map<String, Object>>() {
                });
        if (!(message.get("id") instanceof Number answered) || answered.intValue() != id
                || !(message.get("result") instanceof Map<?, ?> result)) {
            problems.add("request " + id + " was answered with " + json);
            return null;
        }
        return (Map<String, Object>) result;
    }

    @SuppressWarnings("unchecked")
    private static String text(Map<String, Object> result) {
        List<Map<String, Object>> content = (List<Map<String, Object>>) result.get("content");
        return content == null || content.isEmpty() ? "" : String.valueOf(content.get(0).get("text"));
    }

    /** The same token with its payload changed to another user: the signature no longer matches. */
    private static String forged(String token) {
        String[] parts = token.split("\\.");
        String payload = TestTokens.decode(parts[1]).replaceFirst("\"sub\":\"[a-z]+\"", "\"sub\":\"mallory\"");
        return parts[0] + "." + TestTokens.encode(payload) + "." + parts[2];
    }

    /** A token of this user, signed with the server's key, that expired an hour ago. */
    private static String expired(AuthTestServer full, String username) throws Exception {
        Map<String, Object> claims = TestTokens.claimsFor(username, full.clock.instant().minus(Duration.ofHours(2)));
        return TestTokens.sign(TestTokens.header(), claims, full.keys);
    }
}
