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
 * the right secret), then a rotation: a client still on the previous secret, let in while
 * it is configured and refused once it is not. Each line says who asked, what, and what came back.
 */
public final class Demo {

    private final Transcript out;

    private Demo(Transcript out) {
        this.out = out;
    }

    /** Runs the demo on a free port and returns the exit code: 0 when every scenario ended as expected. */
    public static int run(PrintStream out, Config config) throws Exception {
        Demo demo = new Demo(new Transcript(out));
        // The demo plays a rotation: MCP_PREVIOUS_SECRET when it is set, a random stand-in when not.
        String previous = config.previousSecret() != null ? config.previousSecret() : Config.randomSecret();
        try (OrdersServer server = start(config, previous)) {
            demo.script(server.endpoint(), config.secret());
            demo.previousSecret(server.endpoint(), previous);
        }
        try (OrdersServer retired = start(config, null)) {
            demo.rotationOver(retired.endpoint(), config.secret(), previous);
        }
        return demo.out.finish();
    }

    private static OrdersServer start(Config config, String previousSecret) throws Exception {
        return OrdersServer.start(config.host(), 0, Orders.seeded(), config.allowedOrigins(),
                Wiring.layers(config.secret(), previousSecret));
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

    private void previousSecret(URI endpoint, String previous) {
        out.step("4. Rotation: a client still on the previous secret (MCP_PREVIOUS_SECRET) connects");
        out.say("   While MCP_PREVIOUS_SECRET is set, it gets in, and the server logs a warning without the secret");
        out.say("   (its first use, then at most once a minute): a client still has to move to MCP_SECRET.");
        expectToolList(endpoint, previous, "tools/list", "the previous secret is accepted while it is configured");
    }

    private void rotationOver(URI endpoint, String secret, String previous) {
        out.step("5. Rotation over: the desk restarted without MCP_PREVIOUS_SECRET");
        expectRefusal(endpoint, previous);
        expectToolList(endpoint, secret, "tools/list with the current secret", "the current secret is accepted");
    }

    /** Connects with {@code secret} and lists the tools; a refusal is shown and counted as unexpected. */
    private void expectToolList(URI endpoint, String secret, String request, String expected) {
        try (OrdersClient client = OrdersClient.connect(endpoint, secret)) {
            out.show(request, String.join(", ", client.toolNames()));
        } catch (RuntimeException e) {
            out.show("refused", OrdersClient.explain(e));
            out.expect(false, expected);
        }
    }

    private void expectRefusal(URI endpoint, String secret) {
        out.expectRefused("initialize", () -> OrdersClient.connect(endpoint, secret).close(), "HTTP 401");
    }
}
