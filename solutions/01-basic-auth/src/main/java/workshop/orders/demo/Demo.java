package workshop.orders.demo;

import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.io.PrintStream;
import java.net.URI;
import java.util.Map;
import workshop.orders.Config;
import workshop.orders.client.OrdersClient;
import workshop.orders.server.Orders;
import workshop.orders.server.OrdersFeatures;
import workshop.orders.server.OrdersServer;

/**
 * The step's scripted transcript: one orders desk, three clients (no credential, a wrong secret,
 * the right secret), each line saying who asked, what, and what came back.
 */
public final class Demo {

    private final PrintStream out;
    private int surprises;

    private Demo(PrintStream out) {
        this.out = out;
    }

    /** Runs the demo on a free port and returns the exit code: 0 when every scenario ended as expected. */
    public static int run(PrintStream out, Config config) throws Exception {
        Demo demo = new Demo(out);
        try (OrdersServer server = OrdersServer.start(config.host(), 0, Orders.seeded(), config.allowedOrigins(),
                OrdersServer.authFilters(config))) {
            demo.script(server.endpoint(), config.secret());
        }
        out.println(demo.surprises == 0 ? "Demo finished: every request ended as expected."
                : "Demo finished with " + demo.surprises + " unexpected outcome(s).");
        return demo.surprises == 0 ? 0 : 1;
    }

    private void script(URI endpoint, String secret) {
        out.println("Exercise 01: the orders desk behind a shared secret in the Authorization header");
        out.println("Server: " + endpoint);
        out.println();

        step("1. A client with no credential connects");
        expectRefusal(endpoint, null);

        step("2. A client with a wrong secret connects");
        expectRefusal(endpoint, "not-the-secret-" + Config.randomSecret());

        step("3. A client with the right secret connects");
        try (OrdersClient client = OrdersClient.connect(endpoint, secret)) {
            show("tools/list", String.join(", ", client.toolNames()));
            show("tools/call list_orders", OrdersClient.text(client.call("list_orders", Map.of())));
            CallToolResult placed = client.call("place_order", Map.of("product", "Desk lamp", "quantity", 3));
            show("tools/call place_order {product: Desk lamp, quantity: 3}", OrdersClient.text(placed));
            CallToolResult invalid = client.call("place_order", Map.of("product", "Desk lamp", "quantity", 0));
            show("tools/call place_order {quantity: 0}", "tool error: " + OrdersClient.text(invalid));
            CallToolResult cancelled = client.call("cancel_order", Map.of("id", 2));
            show("tools/call cancel_order {id: 2}", OrdersClient.text(cancelled));
            show("resources/read " + OrdersFeatures.OPEN_ORDERS_URI, client.readOpenOrders());
            expect(!Boolean.TRUE.equals(placed.isError()) && Boolean.TRUE.equals(invalid.isError())
                    && !Boolean.TRUE.equals(cancelled.isError()),
                    "the valid order is placed, the invalid one refused and order #2 cancelled");
        } catch (RuntimeException e) {
            show("refused", OrdersClient.explain(e));
            expect(false, "the right secret is accepted");
        }
        out.println();
    }

    private void expectRefusal(URI endpoint, String secret) {
        try (OrdersClient client = OrdersClient.connect(endpoint, secret)) {
            show("initialize", "ACCEPTED");
            expect(false, "this client is refused");
        } catch (RuntimeException refused) {
            String why = OrdersClient.explain(refused);
            show("initialize", "refused: " + why);
            expect(why.startsWith("HTTP 401"), "the refusal is HTTP 401");
        }
        out.println();
    }

    private void step(String title) {
        out.println(title);
    }

    private void show(String request, String result) {
        out.println("   -> " + request);
        result.lines().forEach(line -> out.println("      " + line));
    }

    private void expect(boolean condition, String what) {
        if (!condition) {
            surprises++;
            out.println("   UNEXPECTED: expected " + what);
        }
    }
}
