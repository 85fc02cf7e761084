package workshop.orders.demo;

import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import workshop.orders.Config;
import workshop.orders.Wiring;
import workshop.orders.auth.jwt.TokenService;
import workshop.orders.auth.jwt.UserDirectory;
import workshop.orders.auth.pertool.FeaturePermissions;
import workshop.orders.client.OrdersClient;
import workshop.orders.server.Orders;
import workshop.orders.server.OrdersFeatures;
import workshop.orders.server.OrdersServer;

/**
 * The step's scripted transcript: carol, a guest, now gets into the endpoint, sees only the tools she may
 * call, and is refused {@code place_order} although she calls it by name, and {@code cancel_order} of the
 * order she placed before she became a guest; bob places an order and cancels it, and is refused alice's
 * order, which stays open, in the same words as an order that does not exist; alice cancels it; carol's
 * account is disabled and the endpoint filter stops her session. Each line says who asked, what, and what
 * came back.
 */
public final class Demo {

    /** How far the demo moves the server's clock to let an access token expire. */
    public static final Duration PAST_EXPIRY = TokenService.DEFAULT_LIFETIME.plusMinutes(1);

    private static final Map<String, Object> DESK_LAMP = Map.of("product", "Desk lamp", "quantity", 3);
    private static final Map<String, Object> FIRST_ORDER = Map.of("id", 1);
    private static final Map<String, Object> CAROLS_ORDER = Map.of("id", 3);
    private static final Map<String, Object> BOBS_NEW_ORDER = Map.of("id", 4);
    private static final Map<String, Object> NO_SUCH_ORDER = Map.of("id", 99);

    private final Transcript out;
    private final UserDirectory users;

    private Demo(Transcript out, UserDirectory users) {
        this.out = out;
        this.users = users;
    }

    /** Runs the demo on a free port and returns the exit code: 0 when every scenario ended as expected. */
    public static int run(PrintStream out, Config config) throws Exception {
        return run(out, config, UserDirectory.fromResource());
    }

    /** The demo with these users: a test passes users hashed with a low work factor, to run it quickly. */
    static int run(PrintStream out, Config config, UserDirectory users) throws Exception {
        DemoClock clock = new DemoClock(Instant.now());
        Wiring wiring = Wiring.create(TokenService.newKeyPair(), clock, users);
        Demo demo = new Demo(new Transcript(out), wiring.users());
        Orders orders = Orders.seeded();
        try (OrdersServer server = OrdersServer.start(config.host(), 0, orders, config.allowedOrigins(),
                wiring.layers(orders))) {
            demo.script(server.endpoint());
        }
        return demo.out.finish();
    }

    private void script(URI endpoint) {
        // No password is written in the code: the demo gives its users one-time random passwords.
        // `serve` keeps the passwords listed in the README.
        String alicePassword = Config.randomSecret();
        String bobPassword = Config.randomSecret();
        String carolPassword = Config.randomSecret();
        users.setPassword("alice", alicePassword);
        users.setPassword("bob", bobPassword);
        users.setPassword("carol", carolPassword);

        out.say("Exercise 04: the orders desk with permissions per tool, resource and prompt, checked inside the"
                + " MCP server");
        out.say("Server: " + endpoint + " (login: POST " + endpoint.resolve("/auth/token") + ")");
        out.say(OrdersServer.MCP_PATH + " lets in every valid token of an enabled user. Then each feature needs one "
                + "of the permissions of its row in FeaturePermissions:");
        FeaturePermissions.orders().rows().forEach((feature, anyOf) ->
                out.say(String.format("   %-29s %s", feature, String.join(" or ", anyOf))));
        out.say(String.format("   %-29s %s", "anything else", "nobody"));
        out.say("One rule the table cannot express: cancel_order is also open to the user who placed the order, "
                + "with User.Write (OrderOwnership).");
        out.say("Open orders: #1 placed by alice, #2 by bob, #3 by carol (before she became a guest).");
        out.say("alice has Admin.Write, User.Read, User.Write; bob User.Read, User.Write; carol Guest.Read.");
        out.say("The demo gives alice, bob and carol one-time random passwords; `serve` uses those in the README.");

        out.step("1. carol logs in with only Guest.Read: exercise 03 refused her at the endpoint, now she gets in");
        OrdersClient.Tokens carol = login(endpoint, "carol", carolPassword);
        if (carol == null) {
            return;
        }
        try (OrdersClient client = OrdersClient.connect(endpoint, carol)) {
            listTools(client, List.of("list_orders", "whoami"), "of the desk's three tools, only list_orders");
            whoami(client, "carol");
            out.show("tools/call list_orders", OrdersClient.text(client.call("list_orders", Map.of())));

            out.step("2. carol calls place_order and cancel_order anyway: her list hides them, but a client can send"
                    + " any tool name");
            expectDenied(client, "place_order", "{product: Desk lamp, quantity: 3}", DESK_LAMP,
                    "User.Write or Admin.Write (you have Guest.Read)");
            expectDenied(client, "cancel_order", "{id: 3} (she placed #3, but owning it is not enough without "
                    + "User.Write)", CAROLS_ORDER, ownerRule(3, "Guest.Read"));

            bobAndAlice(endpoint, bobPassword, alicePassword);

            out.step("5. carol's account is disabled while her session is open: the endpoint filter still checks the "
                    + "account on every request");
            users.setEnabled("carol", false);
            out.show("UserDirectory.setEnabled(carol, false)", "done");
            out.expectRefused("tools/call list_orders with carol's open client", () -> client.call("list_orders",
                    Map.of()), "The user no longer exists or is disabled", "and the refresh failed");
        } catch (RuntimeException e) {
            out.show("refused", OrdersClient.explain(e));
            out.expect(false, "carol's access token is accepted");
        }
    }

    /** Scenarios 3 and 4: bob may place, and cancel what he placed but not alice's order; alice may cancel any. */
    private void bobAndAlice(URI endpoint, String bobPassword, String alicePassword) {
        out.step("3. bob logs in: User.Write lets him place an order and cancel it, not cancel alice's");
        OrdersClient.Tokens bob = login(endpoint, "bob", bobPassword);
        if (bob == null) {
            return;
        }
        try (OrdersClient client = OrdersClient.connect(endpoint, bob)) {
            listTools(client, List.of("list_orders", "place_order", "cancel_order", "whoami"),
                    "cancel_order too: he may cancel the orders he placed");
            CallToolResult placed = client.call("place_order", DESK_LAMP);
            out.show("tools/call place_order {product: Desk lamp, quantity: 3}", OrdersClient.text(placed));
            out.expect(!Boolean.TRUE.equals(placed.isError()), "bob places the order");
            CallToolResult own = client.call("cancel_order", BOBS_NEW_ORDER);
            out.show("tools/call cancel_order {id: 4} (his own)", OrdersClient.text(own));
            out.expect(!Boolean.TRUE.equals(own.isError()) && OrdersClient.text(own).startsWith("Cancelled #4"),
                    "bob cancels the order he placed");
            expectDenied(client, "cancel_order", "{id: 1} (alice's)", FIRST_ORDER,
                    ownerRule(1, "User.Read, User.Write"));
            expectDenied(client, "cancel_order", "{id: 99} (no such order: the same words, so a refusal tells "
                    + "nobody which orders exist)", NO_SUCH_ORDER, ownerRule(99, "User.Read, User.Write"));
            String listing = OrdersClient.text(client.call("list_orders", Map.of()));
            out.show("tools/call list_orders (the refused cancel never ran: #1 is still open; in exercise 03 bob "
                    + "cancelled it)", listing);
            out.expect(listing.contains("#1 Printer paper") && !listing.contains("Desk lamp"),
                    "alice's order is intact, bob's is gone");
        } catch (RuntimeException e) {
            out.show("refused", OrdersClient.explain(e));
            out.expect(false, "bob's access token is accepted");
        }

        out.step("4. alice logs in: Admin.Write lets her cancel");
        OrdersClient.Tokens alice = login(endpoint, "alice", alicePassword);
        if (alice == null) {
            return;
        }
        try (OrdersClient client = OrdersClient.connect(endpoint, alice)) {
            listTools(client, List.of("list_orders", "place_order", "cancel_order", "whoami"), "all four");
            CallToolResult cancelled = client.call("cancel_order", FIRST_ORDER);
            out.show("tools/call cancel_order {id: 1}", OrdersClient.text(cancelled));
            out.expect(!Boolean.TRUE.equals(cancelled.isError()) && OrdersClient.text(cancelled).startsWith("Cancelled #1"),
                    "alice cancels order #1");
            String open = client.readOpenOrders();
            out.show("resources/read " + OrdersFeatures.OPEN_ORDERS_URI, open);
            out.expect(!open.contains("#1 Printer paper"), "order #1 is gone");
        } catch (RuntimeException e) {
            out.show("refused", OrdersClient.explain(e));
            out.expect(false, "alice's access token is accepted");
        }
    }

    /** The "needs ..." of a refused cancel_order: the table's Admin.Write, or the ownership rule. */
    private static String ownerRule(int id, String has) {
        return "Admin.Write, or User.Write and to be the user who placed the open order " + id + " (you have " + has
                + ")";
    }

    private void listTools(OrdersClient client, List<String> expected, String note) {
        List<String> tools = client.toolNames();
        out.show("tools/list", String.join(", ", tools) + " (" + note + ")");
        out.expect(tools.equals(expected), "tools/list shows " + String.join(", ", expected));
    }

    /** Calls a tool the caller may not call: the answer must be a tool error that names the tool and the need. */
    private void expectDenied(OrdersClient client, String tool, String shownArguments, Map<String, Object> arguments,
            String need) {
        String request = "tools/call " + tool + " " + shownArguments;
        try {
            CallToolResult result = client.call(tool, arguments);
            boolean refused = Boolean.TRUE.equals(result.isError());
            out.show(request, (refused ? "refused (isError: true): " : "ACCEPTED: ") + OrdersClient.text(result));
            out.expect(refused && OrdersClient.text(result).equals("Permission denied: tool " + tool + " needs " + need
                    + "."), "a tool error naming " + tool + " and " + need);
        } catch (RuntimeException e) {
            out.show(request, "failed: " + OrdersClient.explain(e));
            out.expect(false, "a tool error, not a failed request");
        }
    }

    private void whoami(OrdersClient client, String username) {
        String answer = OrdersClient.text(client.call("whoami", Map.of()));
        out.show("tools/call whoami", answer);
        out.expect(answer.contains("(" + username + ")"), "whoami names " + username);
    }

    private OrdersClient.Tokens login(URI endpoint, String username, String password) {
        String request = "POST /auth/token {username: " + username + ", password: (" + username + "'s)}";
        try {
            OrdersClient.Tokens tokens = OrdersClient.login(endpoint, username, password);
            out.show(request, "200: an access token for " + TokenService.DEFAULT_LIFETIME.toMinutes()
                    + " minutes and a refresh token");
            return tokens;
        } catch (RuntimeException e) {
            out.show(request, "refused: " + OrdersClient.explain(e));
            out.expect(false, username + " logs in");
            return null;
        }
    }
}
