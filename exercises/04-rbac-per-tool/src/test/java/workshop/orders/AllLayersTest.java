package workshop.orders;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import workshop.orders.client.OrdersClient;
import workshop.orders.support.AuthTestServer;
import workshop.orders.support.TestPermissions;

/**
 * The server with exactly the layers of Main and the demo (Wiring.layers(orders)),
 * and tokens from /auth/token: tasks 04.1 to 04.6 together, and 04.5's endpoint.
 */
@DisplayName("The orders desk with every layer of step 04, over the real SDK client")
class AllLayersTest {

    private static final Map<String, Object> LAMP = Map.of("product", "Desk lamp", "quantity", 3);

    private static OrdersClient connect(AuthTestServer full, String username) throws Exception {
        return OrdersClient.connect(full.mcp, full.login(username));
    }

    @Test
    @DisplayName("04.1-04.6 together: every user x feature cell with the layers of Main, and tools/list")
    void tasks04_1to6_everyCell() throws Exception {
        for (String username : TestPermissions.USERS) {
            try (AuthTestServer full = AuthTestServer.full(); OrdersClient client = connect(full, username)) {
                List<String> allowed = TestPermissions.ALLOWED_TOOLS.get(username);
                assertThat(client.toolNames()).as("tools/list of " + username)
                        .isEqualTo(TestPermissions.LISTED_WITH_OWNERSHIP.get(username));
                assertThat(OrdersClient.text(client.call("whoami", Map.of()))).as(username)
                        .contains("(" + username + ")");
                assertThat(OrdersClient.text(client.call("list_orders", Map.of()))).as(username)
                        .contains("#1 Printer paper x 10");
                assertThat(client.readOpenOrders()).as(username).contains("#1 Printer paper x 10");
                assertThat(client.prompt("summarize_orders", Map.of())).as(username).contains("#1 Printer paper x 10");

                CallToolResult placed = client.call("place_order", LAMP);
                String afterPlacing = client.readOpenOrders();
                CallToolResult cancelledOwn = client.call("cancel_order", Map.of("id", 4));
                CallToolResult cancelled = client.call("cancel_order", Map.of("id", 1));
                String after = client.readOpenOrders();
                if (allowed.contains("place_order")) {
                    assertThat(OrdersClient.text(placed)).as(username).isEqualTo("Placed #4 Desk lamp x 3");
                    assertThat(afterPlacing).contains("#4 Desk lamp x 3");
                    assertThat(OrdersClient.text(cancelledOwn)).as(username + " cancels #4, which they placed")
                            .isEqualTo("Cancelled #4 Desk lamp x 3");
                } else {
                    assertThat(placed.isError()).as(username + " x place_order").isTrue();
                    assertThat(OrdersClient.text(placed)).isEqualTo(TestPermissions.toolRefusal("place_order", username));
                    assertThat(afterPlacing).doesNotContain("Desk lamp");
                    assertThat(OrdersClient.text(cancelledOwn)).as(username + " x cancel_order of #4, never placed")
                            .isEqualTo(TestPermissions.cancelRefusal(4, username));
                }
                assertThat(after).doesNotContain("Desk lamp");
                if (allowed.contains("cancel_order")) {
                    assertThat(OrdersClient.text(cancelled)).as(username).isEqualTo("Cancelled #1 Printer paper x 10");
                    assertThat(after).doesNotContain("#1 Printer paper");
                } else {
                    assertThat(cancelled.isError()).as(username + " x cancel_order of alice's #1").isTrue();
                    assertThat(OrdersClient.text(cancelled)).isEqualTo(TestPermissions.cancelRefusal(1, username));
                    assertThat(after).as("a refused cancel leaves the order open").contains("#1 Printer paper x 10");
                }
            }
        }
    }

    @Test
    @DisplayName("04.1-04.6 together: alice, bob and carol on 4 threads each get their own answers")
    void tasks04_1to6_concurrentCallersStayApart() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(12);
        CountDownLatch start = new CountDownLatch(1);
        try (AuthTestServer full = AuthTestServer.full()) {
            Map<String, OrdersClient> clients = new LinkedHashMap<>();
            try {
                for (String username : TestPermissions.USERS) {
                    clients.put(username, connect(full, username));
                }
                Map<String, List<Future<List<String>>>> answers = new LinkedHashMap<>();
                for (String username : TestPermissions.USERS) {
                    OrdersClient client = clients.get(username);
                    List<Future<List<String>>> futures = new ArrayList<>();
                    for (int thread = 0; thread < 4; thread++) {
                        futures.add(pool.submit(() -> {
                            start.await();
                            List<String> seen = new ArrayList<>();
                            for (int call = 0; call < 10; call++) {
                                CallToolResult result = switch (call % 3) {
                                    case 0 -> client.call("whoami", Map.of());
                                    case 1 -> client.call("place_order", Map.of("product", "Pen", "quantity", 1));
                                    default -> client.call("cancel_order", Map.of("id", 999));
                                };
                                seen.add((call % 3) + " " + (Boolean.TRUE.equals(result.isError()) ? "error: " : "")
                                        + OrdersClient.text(result));
                            }
                            return seen;
                        }));
                    }
                    answers.put(username, futures);
                }
                start.countDown();
                for (String username : TestPermissions.USERS) {
                    List<String> allowed = TestPermissions.ALLOWED_TOOLS.get(username);
                    for (Future<List<String>> future : answers.get(username)) {
                        for (String answer : future.get()) {
                            switch (answer.charAt(0)) {
                                case '0' -> assertThat(answer).as(username).contains("(" + username + ")")
                                        .doesNotContain("error: ");
                                case '1' -> assertThat(answer).as(username).endsWith(allowed.contains("place_order")
                                        ? " Pen x 1" : TestPermissions.toolRefusal("place_order", username));
                                default -> assertThat(answer).as(username).isEqualTo("2 error: " + (allowed.contains(
                                        "cancel_order") ? "cancel_order: there is no open order with id 999."
                                        : TestPermissions.cancelRefusal(999, username)));
                            }
                        }
                    }
                }
                // The rule still lets the owner through: a rule that refuses every cancel fails here.
                assertThat(OrdersClient.text(clients.get("bob").call("cancel_order", Map.of("id", 2))))
                        .as("bob cancels his own #2 afterwards").isEqualTo("Cancelled #2 Stapler x 2");
            } finally {
                for (OrdersClient client : clients.values()) {
                    client.close();
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    @DisplayName("04.5 with the layers of Main, every user opens a session; disabled bob gets 401")
    void task04_5_endpointWithTheLayersOfMain() throws Exception {
        try (AuthTestServer full = AuthTestServer.full()) {
            for (String username : TestPermissions.USERS) {
                assertThat(full.initialize(full.login(username).accessToken()).statusCode()).as(username)
                        .isEqualTo(200);
            }
            String bob = full.login("bob").accessToken();
            full.users.directory.setEnabled("bob", false);
            assertThat(full.initialize(bob).statusCode()).as("bob, disabled").isEqualTo(401);
            full.users.directory.setEnabled("bob", true);
            assertThat(full.initialize(bob).statusCode()).as("bob, enabled again").isEqualTo(200);
        }
    }
}
