package workshop.orders.demo;

import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import workshop.orders.Config;
import workshop.orders.Wiring;
import workshop.orders.auth.jwt.TokenService;
import workshop.orders.auth.jwt.UserDirectory;
import workshop.orders.auth.permissions.PermissionFilter;
import workshop.orders.client.OrdersClient;
import workshop.orders.server.Orders;
import workshop.orders.server.OrdersFeatures;
import workshop.orders.server.OrdersServer;

/**
 * The step's scripted transcript: alice and bob log in and use the orders desk, and the tools see who
 * they are; bob cancels an order although he is no admin, because the filter guards the endpoint, not
 * each tool; carol logs in but is refused with 403, and her forged permissions with 401; bob's account is
 * disabled and his still-valid token stops working at once; alice's token expires and is refreshed with
 * her permissions. Each line says who asked, what, and what came back.
 */
public final class Demo {

    /** How far the demo moves the server's clock to let an access token expire. */
    public static final Duration PAST_EXPIRY = TokenService.DEFAULT_LIFETIME.plusMinutes(1);

    private final Transcript out;
    private final DemoClock clock;
    private final UserDirectory users;

    private Demo(Transcript out, DemoClock clock, UserDirectory users) {
        this.out = out;
        this.clock = clock;
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
        Demo demo = new Demo(new Transcript(out), clock, wiring.users());
        try (OrdersServer server = OrdersServer.start(config.host(), 0, Orders.seeded(), config.allowedOrigins(),
                wiring.layers())) {
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

        out.say("Exercise 03: the orders desk with permissions in the token, checked by a filter for the whole"
                + " endpoint");
        out.say("Server: " + endpoint + " (login: POST " + endpoint.resolve("/auth/token") + ")");
        out.say(OrdersServer.MCP_PATH + " needs " + PermissionFilter.USER_READ + ": alice and bob have it, carol "
                + "has only Guest.Read.");
        out.say("The demo gives alice, bob and carol one-time random passwords; `serve` uses those in the README.");

        out.step("1. A client with no token connects");
        expectRefusal(endpoint, "no token", null, "Bearer realm=\"mcp\"");

        out.step("2. alice logs in: her access token's scope holds her permissions, and the tools see who she is");
        OrdersClient.Tokens alice = login(endpoint, "alice", alicePassword);
        if (alice == null) {
            return;
        }
        out.show("the payload of alice's access token, decoded", decode(alice.accessToken().split("\\.")[1]));
        try (OrdersClient aliceClient = OrdersClient.connect(endpoint, alice)) {
            out.show("tools/list", String.join(", ", aliceClient.toolNames()));
            whoami(aliceClient, "alice");

            bob(endpoint, bobPassword, carolPassword);

            out.step("8. " + PAST_EXPIRY.toMinutes() + " minutes pass (the demo moves the server's clock), "
                    + "so alice's access token has expired");
            clock.advance(PAST_EXPIRY);
            callAfterExpiry(aliceClient);
        } catch (RuntimeException e) {
            out.show("refused", OrdersClient.explain(e));
            out.expect(false, "alice's access token is accepted");
        }
    }

    /** Scenarios 3 to 7: bob's session stays open while carol tries, until his account is disabled. */
    private void bob(URI endpoint, String bobPassword, String carolPassword) {
        out.step("3. bob logs in and uses the orders desk");
        OrdersClient.Tokens bob = login(endpoint, "bob", bobPassword);
        if (bob == null) {
            return;
        }
        try (OrdersClient client = OrdersClient.connect(endpoint, bob)) {
            whoami(client, "bob");
            useOrders(client);

            out.step("4. The filter guards the endpoint, not each tool: bob cancels an order without Admin.Write");
            CallToolResult cancelled = client.call("cancel_order", Map.of("id", 1));
            out.show("tools/call cancel_order {id: 1}", OrdersClient.text(cancelled) + "\n(to the filter every MCP "
                    + "message is a POST to " + OrdersServer.MCP_PATH + ": a cancel looks like a read; step 04 "
                    + "checks each tool)");
            out.expect(!Boolean.TRUE.equals(cancelled.isError()), "the cancel passes the endpoint-wide check");

            carol(endpoint, carolPassword);

            out.step("7. bob's account is disabled while his session is open and his access token is still valid");
            users.setEnabled("bob", false);
            out.show("UserDirectory.setEnabled(bob, false)", "done");
            out.expectRefused("tools/call list_orders with bob's open client", () -> client.call("list_orders",
                    Map.of()), "The user no longer exists or is disabled", "and the refresh failed");
            expectRefusal(endpoint, "bob's access token alone", bare(bob.accessToken()),
                    "error_description=\"The user no longer exists or is disabled\"");
            expectLoginRefused(endpoint, "bob", "(bob's, account disabled)", bobPassword);
        } catch (RuntimeException e) {
            out.show("refused", OrdersClient.explain(e));
            out.expect(false, "bob's access token is accepted");
        }
    }

    /** Scenarios 5 and 6: a valid login without the permission, and a forged permission. */
    private void carol(URI endpoint, String carolPassword) {
        out.step("5. carol logs in: her password is right, but her token grants only Guest.Read");
        OrdersClient.Tokens carol = login(endpoint, "carol", carolPassword);
        if (carol == null) {
            return;
        }
        out.expectRefused("initialize with carol's access token", () -> OrdersClient.connect(endpoint, carol).close(),
                "HTTP 403, WWW-Authenticate: Bearer realm=\"mcp\", error=\"insufficient_scope\", scope=\""
                        + PermissionFilter.USER_READ + "\"");

        out.step("6. carol adds User.Read to the scope in her token");
        String[] parts = carol.accessToken().split("\\.");
        String payload = decode(parts[1]).replace("\"scope\":\"Guest.Read\"", "\"scope\":\"Guest.Read User.Read\"");
        expectRefusal(endpoint, "carol's token, payload changed to \"scope\":\"Guest.Read User.Read\"",
                bare(parts[0] + "." + encode(payload) + "." + parts[2]), "signature is not valid");
    }

    /** An access token without a refresh token: the client sends it and cannot refresh. */
    private static OrdersClient.Tokens bare(String accessToken) {
        return new OrdersClient.Tokens(accessToken, null);
    }

    private void useOrders(OrdersClient client) {
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
    }

    private void callAfterExpiry(OrdersClient client) {
        try {
            String before = client.tokens().accessToken();
            CallToolResult answer = client.call("whoami", Map.of());
            out.show("tools/call whoami with alice's client", "401 invalid_token, so the client called /auth/refresh "
                    + "(refreshes: " + client.refreshes() + ") and sent the call again; the new token's permissions "
                    + "were read from the user directory at the refresh:\n" + OrdersClient.text(answer));
            out.expect(client.refreshes() == 1 && !client.tokens().accessToken().equals(before)
                    && OrdersClient.text(answer).contains("(alice)"), "exactly one refresh, and a new access token");
        } catch (RuntimeException e) {
            out.show("tools/call whoami with alice's client", "refused: " + OrdersClient.explain(e));
            out.expect(false, "the client refreshes and retries");
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

    private void expectLoginRefused(URI endpoint, String username, String shownPassword, String password) {
        out.expectRefused("POST /auth/token {username: " + username + ", password: " + shownPassword + "}",
                () -> OrdersClient.login(endpoint, username, password), "HTTP 400 invalid_grant");
    }

    private static String decode(String part) {
        return new String(Base64.getUrlDecoder().decode(part), StandardCharsets.UTF_8);
    }

    private static String encode(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    private void expectRefusal(URI endpoint, String sent, OrdersClient.Tokens tokens, String because) {
        out.expectRefused("initialize with " + sent, () -> OrdersClient.connect(endpoint, tokens).close(),
                "HTTP 401, WWW-Authenticate: ", because);
    }
}
