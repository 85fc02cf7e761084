package workshop.orders.demo;

import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.io.PrintStream;
import java.net.URI;
import java.util.Map;
import workshop.orders.Config;
import workshop.orders.Wiring;
import workshop.orders.client.OrdersClient;
import workshop.orders.server.Orders;
import workshop.orders.server.OrdersFeatures;
import workshop.orders.server.OrdersServer;

/**
 * The step's scenarios: one orders desk, three clients (no credential, a wrong secret,
 * the right secret), each line saying who asked, what, and what came back.
 */
public final class Demo {

    private final Transcript out;

    private Demo(Transcript out) {
        this.out = out;
    }

    /** Runs the demo on a free port and returns the exit code: 0 when every scenario ended as expected. */
    public static int run(PrintStream out, Config config) throws Exception {
        Demo demo = new Demo(new Transcript(out));
        try (OrdersServer server = OrdersServer.start(config.host(), 0, Orders.seeded(), config.allowedOrigins(),
                Wiring.layers(config.secret()))) {
            demo.script(server.endpoint(), config.secret());
        }
        return demo.out.finish();
    }

    private void script(URI endpoint, String secret) {
        out.say("Exercise 01: the orders desk behind a shared secret in the Authorization header");
        out.say("Server: " + endpoint);
        out.step("1. A client with no credential connects");
        expectRefusal(endpoint, null);

        out.step("2. A client with a wrong secret connects");
        expectRefusal(endpoint, "not-the-secret-" + Config.randomSecret());

        out.step("3. A client with the right secret connects");
        try (OrdersClient client = OrdersClient.connect(endpoint, secret)) {
            out.show("tools/list", String.join(", ", client.toolNames()));
            out.show("tools/call list_orders", OrdersClient.text(client.call("list_orders", Map.of())));
            CallToolResult placed = client.call("place_order", Map.of("product", "Desk lamp", "quantity", 3));
            out.show("tools/call place_order {product: Desk lamp, quantity: 3}", OrdersClient.text(placed));
            CallToolResult invalid = client.call("place_order", Map.of("product", "Desk lamp", "quantity", 0));
            out.show("tools/call place_order {quantity: 0}", "tool error: " + OrdersClient.text(invalid));
            CallToolResult cancelled = client.call("cancel_order", Map.of("id", 2));
            out.show("tools/call cancel_order {id: 2}", OrdersClient.text(cancelled));
            out.show("resources/read " + OrdersFeatures.OPEN_ORDERS_URI, client.readOpenOrders());
            out.expect(!Boolean.TRUE.equals(placed.isError()) && Boolean.TRUE.equals(invalid.isError())
                    && !Boolean.TRUE.equals(cancelled.isError()),
                    "the valid order is placed, the invalid one refused and order #2 cancelled");
        } catch (RuntimeException e) {
            out.show("refused", OrdersClient.explain(e));
            out.expect(false, "the right secret is accepted");
        }
    }

    private void expectRefusal(URI endpoint, String secret) {
        out.expectRefused("initialize", () -> OrdersClient.connect(endpoint, secret).close(), "HTTP 401");
    }
}
