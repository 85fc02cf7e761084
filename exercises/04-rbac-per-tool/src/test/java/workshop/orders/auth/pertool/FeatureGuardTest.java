package workshop.orders.auth.pertool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import workshop.orders.client.OrdersClient;
import workshop.orders.server.OrdersFeatures;
import workshop.orders.support.AuthTestServer;
import workshop.orders.support.TestPermissions;

/**
 * Tasks 04.2 to 04.4 over the real SDK client, on a server with the JWT filter alone (no endpoint check, so
 * carol gets in whatever state 04.5 is in) and a FeatureGuard over a table the test builds
 * ({@link TestPermissions#design()}, or a stricter one), so they are graded whatever state 04.1 is in. Each
 * refusal is checked next to a call the same table allows, so a guard that refuses everything earns nothing.
 */
@DisplayName("The feature guard: every tool, the resource and the prompt checked against the table")
class FeatureGuardTest {

    private static final Map<String, Object> LAMP = Map.of("product", "Desk lamp", "quantity", 3);
    /** The orders table without the row for whoami, which must then be refused and hidden for everyone. */
    private static final FeaturePermissions WITHOUT_WHOAMI = FeaturePermissions.builder()
            .tool("list_orders", "Guest.Read", "User.Read")
            .tool("place_order", "User.Write", "Admin.Write")
            .tool("cancel_order", "Admin.Write")
            .build();

    private static CallToolResult call(OrdersClient client, String tool, Map<String, Object> arguments) {
        return client.call(tool, arguments);
    }

    private static void assertAllowed(CallToolResult result, String what) {
        assertThat(result.isError()).as(what + ": " + OrdersClient.text(result)).isNotEqualTo(Boolean.TRUE);
    }

    private static void assertRefused(CallToolResult result, String tool, String username) {
        assertThat(result.isError()).as(tool + " by " + username + " must be a tool error (isError true): "
                + OrdersClient.text(result)).isTrue();
        assertThat(OrdersClient.text(result)).as("the text of the refusal of " + tool + " to " + username)
                .isEqualTo(TestPermissions.toolRefusal(tool, username));
    }

    @Test
    @DisplayName("04.2 every user x tool cell: the tool runs when the table allows, else an isError refusal")
    void task04_2_everyToolCell() throws Exception {
        for (String username : TestPermissions.USERS) {
            toolCells(username);
        }
    }

    /** The four tools for one user, on a fresh server (the orders start as seeded). */
    private static void toolCells(String username) throws Exception {
        try (AuthTestServer fixture = AuthTestServer.guardedBy(TestPermissions.design());
                OrdersClient client = fixture.connect(username)) {
            List<String> allowed = TestPermissions.ALLOWED_TOOLS.get(username);
            CallToolResult list = call(client, "list_orders", Map.of());
            assertAllowed(list, "list_orders by " + username);
            assertThat(OrdersClient.text(list)).contains("#1 Printer paper x 10");

            CallToolResult whoami = call(client, "whoami", Map.of());
            assertAllowed(whoami, "whoami by " + username);
            assertThat(OrdersClient.text(whoami)).contains("(" + username + ")");

            CallToolResult placed = call(client, "place_order", LAMP);
            if (allowed.contains("place_order")) {
                assertAllowed(placed, "place_order by " + username);
                assertThat(OrdersClient.text(placed)).isEqualTo("Placed #4 Desk lamp x 3");
            } else {
                assertRefused(placed, "place_order", username);
            }

            CallToolResult cancelled = call(client, "cancel_order", Map.of("id", 1));
            if (allowed.contains("cancel_order")) {
                assertAllowed(cancelled, "cancel_order by " + username);
                assertThat(OrdersClient.text(cancelled)).isEqualTo("Cancelled #1 Printer paper x 10");
            } else {
                assertRefused(cancelled, "cancel_order", username);
            }
        }
    }

    @Test
    @DisplayName("04.2 a refused tool never runs: bob's cancel and carol's order change nothing")
    void task04_2_refusedHandlerNeverRuns() throws Exception {
        try (AuthTestServer fixture = AuthTestServer.guardedBy(TestPermissions.design());
                OrdersClient alice = fixture.connect("alice");
                OrdersClient bob = fixture.connect("bob");
                OrdersClient carol = fixture.connect("carol")) {
            String before = OrdersClient.text(call(alice, "list_orders", Map.of()));

            assertRefused(call(bob, "cancel_order", Map.of("id", 1)), "cancel_order", "bob");
            assertRefused(call(carol, "place_order", LAMP), "place_order", "carol");
            // Not "there is no open order with id 999": the tool's own code never ran.
            assertRefused(call(carol, "cancel_order", Map.of("id", 999)), "cancel_order", "carol");
            assertThat(OrdersClient.text(call(alice, "list_orders", Map.of()))).as("the orders after the refusals")
                    .isEqualTo(before).contains("#1 Printer paper x 10").doesNotContain("Desk lamp");

            CallToolResult cancelled = call(alice, "cancel_order", Map.of("id", 1));
            assertAllowed(cancelled, "cancel_order by alice");
            assertThat(OrdersClient.text(call(bob, "list_orders", Map.of()))).doesNotContain("#1 Printer paper");
        }
    }

    @Test
    @DisplayName("04.2 a tool without a row in the table is refused to everyone, even alice")
    void task04_2_unlistedToolIsDenied() throws Exception {
        try (AuthTestServer fixture = AuthTestServer.guardedBy(WITHOUT_WHOAMI);
                OrdersClient alice = fixture.connect("alice")) {
            CallToolResult whoami = call(alice, "whoami", Map.of());
            assertThat(whoami.isError()).as("whoami without a row").isTrue();
            assertThat(OrdersClient.text(whoami))
                    .isEqualTo("Permission denied: tool whoami is not in the permission table, so nobody may use it.");
            assertAllowed(call(alice, "list_orders", Map.of()), "list_orders by alice");
        }
    }

    /** A table stricter than the design's: the resource for Admin.Write only, the prompt for User.Write only. */
    private static final FeaturePermissions STRICT = FeaturePermissions.builder()
            .tool("list_orders", "Guest.Read", "User.Read")
            .resource(OrdersFeatures.OPEN_ORDERS_URI, "Admin.Write")
            .prompt("summarize_orders", "User.Write")
            .build();

    @Test
    @DisplayName("04.3 a refused resource read is an MCP error -32003 naming what it needs")
    void task04_3_resourceCells() throws Exception {
        try (AuthTestServer fixture = AuthTestServer.guardedBy(TestPermissions.design())) {
            for (String username : TestPermissions.USERS) {
                try (OrdersClient client = fixture.connect(username)) {
                    assertThat(client.readOpenOrders()).as("the design's table lets " + username + " read "
                            + OrdersFeatures.OPEN_ORDERS_URI).contains("#1 Printer paper x 10");
                }
            }
        }
        try (AuthTestServer fixture = AuthTestServer.guardedBy(STRICT);
                OrdersClient alice = fixture.connect("alice");
                OrdersClient bob = fixture.connect("bob");
                OrdersClient carol = fixture.connect("carol")) {
            assertMcpError(catchThrowable(carol::readOpenOrders), "Permission denied: resource "
                    + OrdersFeatures.OPEN_ORDERS_URI + " needs Admin.Write (you have Guest.Read).");
            assertMcpError(catchThrowable(bob::readOpenOrders), "Permission denied: resource "
                    + OrdersFeatures.OPEN_ORDERS_URI + " needs Admin.Write (you have User.Read, User.Write).");
            assertThat(alice.readOpenOrders()).as("alice (Admin.Write) reads the resource under a table that "
                    + "allows it to Admin.Write only").contains("#1 Printer paper x 10");
        }
    }

    @Test
    @DisplayName("04.3 a refused prompt get is an MCP error -32003 naming what it needs")
    void task04_3_promptCells() throws Exception {
        try (AuthTestServer fixture = AuthTestServer.guardedBy(TestPermissions.design())) {
            for (String username : TestPermissions.USERS) {
                try (OrdersClient client = fixture.connect(username)) {
                    assertThat(client.prompt("summarize_orders", Map.of("audience", "the night shift")))
                            .as("the design's table lets " + username + " get the prompt summarize_orders")
                            .contains("for the night shift").contains("#1 Printer paper x 10");
                }
            }
        }
        try (AuthTestServer fixture = AuthTestServer.guardedBy(STRICT);
                OrdersClient alice = fixture.connect("alice");
                OrdersClient bob = fixture.connect("bob");
                OrdersClient carol = fixture.connect("carol")) {
            assertMcpError(catchThrowable(() -> carol.prompt("summarize_orders", Map.of())),
                    "Permission denied: prompt summarize_orders needs User.Write (you have Guest.Read).");
            assertThat(bob.prompt("summarize_orders", Map.of())).as("bob (User.Write) gets the prompt under a "
                    + "table that allows it to User.Write only").contains("#1 Printer paper x 10");
            assertThat(alice.prompt("summarize_orders", Map.of())).as("alice (User.Write) gets the prompt")
                    .contains("#1 Printer paper x 10");
        }
    }

    @Test
    @DisplayName("04.3 a resource or prompt without a row in the table is refused to everyone, even alice")
    void task04_3_unlistedResourceAndPromptAreDenied() throws Exception {
        FeaturePermissions toolsOnly = FeaturePermissions.builder().tool("list_orders", "Guest.Read", "User.Read").build();
        try (AuthTestServer fixture = AuthTestServer.guardedBy(toolsOnly);
                OrdersClient alice = fixture.connect("alice")) {
            assertMcpError(catchThrowable(alice::readOpenOrders), "Permission denied: resource "
                    + OrdersFeatures.OPEN_ORDERS_URI + " is not in the permission table, so nobody may use it.");
            assertMcpError(catchThrowable(() -> alice.prompt("summarize_orders", Map.of())),
                    "Permission denied: prompt summarize_orders is not in the permission table, so nobody may use it.");
            assertAllowed(call(alice, "list_orders", Map.of()), "list_orders by alice");
        }
    }

    private static void assertMcpError(Throwable thrown, String message) {
        assertThat(thrown).as("the request must fail with an MCP error").isInstanceOf(McpError.class);
        McpError error = (McpError) thrown;
        assertThat(error.getJsonRpcError()).as("the JSON-RPC error").isNotNull();
        assertThat(error.getJsonRpcError().code()).as("the JSON-RPC error code of a refusal")
                .isEqualTo(FeatureGuard.PERMISSION_DENIED);
        assertThat(error.getJsonRpcError().message()).as("the JSON-RPC error message of a refusal").isEqualTo(message);
    }

    @Test
    @DisplayName("04.4 tools/list shows each caller exactly the tools the table lets them call")
    void task04_4_toolsListPerUser() throws Exception {
        try (AuthTestServer fixture = AuthTestServer.guardedBy(TestPermissions.design())) {
            for (String username : TestPermissions.USERS) {
                try (OrdersClient client = fixture.connect(username)) {
                    assertThat(client.toolNames()).as("tools/list for " + username + ", in the server's order")
                            .isEqualTo(TestPermissions.ALLOWED_TOOLS.get(username));
                }
            }
        }
    }

    @Test
    @DisplayName("04.4 a tool without a row is hidden from everyone, even alice, and the others stay listed")
    void task04_4_unlistedToolIsHidden() throws Exception {
        try (AuthTestServer fixture = AuthTestServer.guardedBy(WITHOUT_WHOAMI);
                OrdersClient alice = fixture.connect("alice")) {
            assertThat(alice.toolNames()).containsExactly("list_orders", "place_order", "cancel_order");
        }
    }

    @Test
    @DisplayName("04.0 without a FeatureGuard every feature is registered as it is and every tool listed")
    void given_noGuard() throws Exception {
        try (AuthTestServer fixture = AuthTestServer.start(); OrdersClient carol = fixture.connect("carol")) {
            assertThat(carol.toolNames()).isEqualTo(TestPermissions.TOOLS);
            assertAllowed(call(carol, "place_order", LAMP), "place_order by carol without a guard");
            assertThat(carol.readOpenOrders()).contains("Desk lamp");
        }
    }
}
