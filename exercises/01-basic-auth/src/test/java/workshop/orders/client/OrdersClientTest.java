package workshop.orders.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import workshop.orders.Config;
import workshop.orders.server.Layers;
import workshop.orders.server.Orders;
import workshop.orders.server.OrdersFeatures;
import workshop.orders.server.OrdersServer;

/**
 * The real SDK client against a real server: task 01.5 (the client's credential), and the orders
 * desk features of the starting point (01.0), on a server without an auth layer.
 */
@DisplayName("The MCP client and the orders desk, through the real SDK client")
class OrdersClientTest {

    /** Writes down the method and Authorization header of every request it lets through. */
    static final class HeaderRecorder extends HttpFilter {

        private static final long serialVersionUID = 1L;
        final List<String> seen = new CopyOnWriteArrayList<>();

        @Override
        protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                throws IOException, ServletException {
            seen.add(request.getMethod() + " " + Objects.requireNonNullElse(request.getHeader("Authorization"), "-"));
            chain.doFilter(request, response);
        }
    }

    private final HeaderRecorder recorder = new HeaderRecorder();
    private OrdersServer server;
    private URI mcp;

    @BeforeEach
    void start() throws Exception {
        server = OrdersServer.start("127.0.0.1", 0, Orders.seeded(), Set.of(), Layers.NONE.filter(recorder));
        mcp = server.endpoint();
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    @Test
    @DisplayName("01.5 the client sends its secret on every request (initialize, tool call, closing); without, none")
    void task01_5_secretOnEveryRequest() throws Exception {
        String secret = Config.randomSecret();
        try (OrdersClient client = OrdersClient.connect(mcp, secret)) {
            client.call("list_orders", Map.of());
        }
        assertThat(recorder.seen).as("method and Authorization header of each request")
                .hasSizeGreaterThanOrEqualTo(3)
                .allMatch(seen -> seen.endsWith(" Bearer " + secret))
                .anyMatch(seen -> seen.startsWith("DELETE "));

        // A second server, so that no late request of the first client can mix in.
        HeaderRecorder withoutSecret = new HeaderRecorder();
        try (OrdersServer other = OrdersServer.start("127.0.0.1", 0, Orders.seeded(), Set.of(), Layers.NONE
                .filter(withoutSecret));
                OrdersClient client = OrdersClient.connect(other.endpoint(), null)) {
            client.call("list_orders", Map.of());
        }
        assertThat(withoutSecret.seen).as("without a secret, no Authorization header").isNotEmpty()
                .allMatch(seen -> seen.endsWith(" -"));
    }

    @Test
    @DisplayName("01.0 the client lists the three tools, calls list_orders, reads orders://open and gets the prompt")
    void given_everyFeatureWorks() {
        try (OrdersClient client = OrdersClient.connect(mcp, null)) {
            assertThat(client.toolNames()).containsExactly("list_orders", "place_order", "cancel_order");
            assertThat(OrdersClient.text(client.call("list_orders", Map.of()))).contains("#1 Printer paper x 10");
            assertThat(client.readOpenOrders()).contains("#3 Whiteboard marker x 24");
            assertThat(client.prompt("summarize_orders", Map.of("audience", "the finance team")))
                    .contains("for the finance team").contains("Stapler");
        }
    }

    @Test
    @DisplayName("01.0 place_order adds an open order and cancel_order removes it")
    void given_placeAndCancel() {
        try (OrdersClient client = OrdersClient.connect(mcp, null)) {
            CallToolResult placed = client.call("place_order", Map.of("product", "  Desk lamp ", "quantity", 3));
            assertThat(placed.isError()).isNotEqualTo(Boolean.TRUE);
            assertThat(OrdersClient.text(placed)).isEqualTo("Placed #4 Desk lamp x 3");
            assertThat(client.readOpenOrders()).contains("#4 Desk lamp x 3");

            CallToolResult cancelled = client.call("cancel_order", Map.of("id", 4));
            assertThat(OrdersClient.text(cancelled)).isEqualTo("Cancelled #4 Desk lamp x 3");
            assertThat(client.readOpenOrders()).doesNotContain("Desk lamp");
            assertThat(OrdersClient.text(client.call("cancel_order", Map.of("id", 4))))
                    .isEqualTo("cancel_order: there is no open order with id 4.");
        }
    }

    @Test
    @DisplayName("01.0 bad tool arguments give a tool error that says what is wrong, and change nothing")
    void given_badArgumentsAreToolErrors() {
        try (OrdersClient client = OrdersClient.connect(mcp, null)) {
            String before = client.readOpenOrders();
            List<Map<String, Object>> badOrders = List.of(
                    Map.of("quantity", 1),
                    Map.of("product", "Lamp"),
                    Map.of("product", "", "quantity", 1),
                    Map.of("product", "x".repeat(OrdersFeatures.MAX_PRODUCT_LENGTH + 1), "quantity", 1),
                    Map.of("product", 42, "quantity", 1),
                    Map.of("product", "Lamp", "quantity", "three"),
                    Map.of("product", "Lamp", "quantity", 0),
                    Map.of("product", "Lamp", "quantity", -5),
                    Map.of("product", "Lamp", "quantity", 2.5),
                    Map.of("product", "Lamp", "quantity", OrdersFeatures.MAX_QUANTITY + 1));
            for (Map<String, Object> args : badOrders) {
                CallToolResult result = client.call("place_order", args);
                assertThat(result.isError()).as(args.toString()).isTrue();
                assertThat(OrdersClient.text(result)).as(args.toString()).isNotBlank();
            }
            for (Object id : List.of("1", 1.5, 0, -3, 99)) {
                assertThat(client.call("cancel_order", Map.of("id", id)).isError()).as(String.valueOf(id)).isTrue();
            }
            assertThat(client.readOpenOrders()).isEqualTo(before);
            // The same client can still place a valid order afterwards, at both ends of the range.
            for (int quantity : new int[] {1, OrdersFeatures.MAX_QUANTITY}) {
                assertThat(client.call("place_order", Map.of("product", "Lamp", "quantity", quantity)).isError())
                        .isNotEqualTo(Boolean.TRUE);
            }
        }
    }

    @Test
    @DisplayName("01.0 a server that is not running gives a one-line 'cannot connect' explanation")
    void given_unreachableServer() throws Exception {
        URI gone = server.endpoint();
        server.close();
        assertThatThrownBy(() -> OrdersClient.connect(gone, null))
                .satisfies(e -> assertThat(OrdersClient.explain(e)).isEqualTo("cannot connect: is the server running?"));
        server = OrdersServer.start("127.0.0.1", 0, Orders.seeded(), Set.of(), Layers.NONE);
    }
}
