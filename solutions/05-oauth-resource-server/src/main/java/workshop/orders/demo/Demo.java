package workshop.orders.demo;

import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import workshop.orders.Config;
import workshop.orders.Wiring;
import workshop.orders.auth.resourceserver.RecentLogin;
import workshop.orders.authserver.AuthServer;
import workshop.orders.client.AuthorizationCodeFlow;
import workshop.orders.client.AuthorizationCodeFlow.Challenge;
import workshop.orders.client.AuthorizationCodeFlow.Granted;
import workshop.orders.client.AuthorizationCodeFlow.ResourceMetadata;
import workshop.orders.client.AuthorizationCodeFlow.ServerMetadata;
import workshop.orders.client.OrdersClient;
import workshop.orders.server.Orders;
import workshop.orders.server.OrdersServer;

/**
 * The exercise's scripted transcript: a client without a token is told where to get one, discovers the authorization
 * server and registers; carol logs in, sees only the reading tools, and her {@code cancel_order} is refused with
 * HTTP 403 {@code insufficient_scope}, which asking again does not change; bob cancels the order he placed, not
 * alice's; alice's login grows older than the recent-login window, so her {@code cancel_order} is refused with 401
 * {@code insufficient_user_authentication} until she logs in again; a token past its expiry is refused. Each line
 * says who asked, what, and what came back; no token is ever printed.
 */
public final class Demo {

    /** How far the demo moves both clocks to make alice's login too old for cancel_order, not her token expired. */
    public static final Duration PAST_RECENT_LOGIN = RecentLogin.MAX_AGE.plusMinutes(1);
    /** How far the demo moves both clocks then to let an access token expire (they live 15 minutes). */
    public static final Duration PAST_EXPIRY = Duration.ofMinutes(20);

    private final Transcript out;
    private final AuthServer authServer;
    private final DemoClock clock;

    private Demo(Transcript out, AuthServer authServer, DemoClock clock) {
        this.out = out;
        this.authServer = authServer;
        this.clock = clock;
    }

    /** Runs the demo on free ports and returns the exit code: 0 when every scenario ended as expected. */
    public static int run(PrintStream out, Config config) throws Exception {
        DemoClock clock = DemoClock.followingSystem();
        // No password is written anywhere: the authorization server makes one-time ones for this run. It logs users
        // in on the demo's clock too, so a login made after the clock moved is a recent one.
        try (AuthServer authServer = AuthServer.start(0, Map.of(), clock)) {
            Wiring wiring = Wiring.create(authServer.issuer(), clock);
            Demo demo = new Demo(new Transcript(out), authServer, clock);
            Orders orders = Orders.seeded();
            try (OrdersServer server = OrdersServer.start(config.host(), 0, orders, config.allowedOrigins(),
                    endpoint -> wiring.layers(orders, endpoint))) {
                authServer.resource(server.endpoint());
                demo.script(server.endpoint(), wiring);
            }
            return demo.out.finish();
        }
    }

    private void script(URI endpoint, Wiring wiring) {
        out.say("Exercise 05: the orders desk as an OAuth 2.1 resource server, behind a real authorization server");
        out.say("MCP server: " + endpoint + " (it issues no tokens and checks no passwords)");
        out.say("Authorization server: " + authServer.issuer() + " (Spring Authorization Server, standing in for a"
                + " company identity provider)");
        out.say("Each feature needs the scope of its row in FeaturePermissions:");
        wiring.permissions().rows().forEach((feature, anyOf) ->
                out.say(String.format("   %-29s %s", feature, String.join(" or ", anyOf))));
        out.say(String.format("   %-29s %s", "anything else", "nobody"));
        out.say("cancel_order is also open to the user who placed the order, with orders.write (OrderOwnership), and"
                + " needs a login within the last " + RecentLogin.MAX_AGE.toSeconds() + " seconds (RecentLogin).");
        out.say("The authorization server grants alice orders.read, orders.write, orders.cancel; bob orders.read,"
                + " orders.write; carol orders.read.");

        out.step("1. A client without a token: the 401 tells it where to find out how to get one");
        ServerMetadata server;
        String clientId;
        String scope;
        try {
            Challenge challenge = AuthorizationCodeFlow.challenge(endpoint);
            out.show("POST /mcp initialize, no Authorization header", challenge.status() + ", WWW-Authenticate: "
                    + challenge.header());
            URI metadataUrl = URI.create(challenge.parameters().getOrDefault("resource_metadata", ""));
            scope = challenge.parameters().getOrDefault("scope", "");
            out.expect(challenge.status() == 401 && metadataUrl.isAbsolute() && scope.equals("orders.read"),
                    "401 with resource_metadata and scope=\"orders.read\"");
            ResourceMetadata resource = AuthorizationCodeFlow.resourceMetadata(metadataUrl, endpoint);
            out.show("GET " + metadataUrl + " (RFC 9728)", "resource " + resource.resource()
                    + ", authorization_servers [" + resource.authorizationServer() + "], scopes_supported "
                    + resource.scopes());
            server = AuthorizationCodeFlow.serverMetadata(resource.authorizationServer());
            out.show("GET " + resource.authorizationServer() + "/.well-known/oauth-authorization-server (RFC 8414)",
                    "authorization_endpoint " + server.authorization() + ", token_endpoint " + server.token()
                            + ", registration_endpoint " + server.registration());
            clientId = AuthorizationCodeFlow.register(server);
            out.show("POST " + server.registration().getPath() + " {redirect_uris: [" + AuthorizationCodeFlow.REDIRECT_URI
                    + "], token_endpoint_auth_method: none} (RFC 7591)", "201: a client_id of its own (a public client,"
                    + " no secret)");
        } catch (RuntimeException e) {
            out.show("discovery", "failed: " + OrdersClient.explain(e));
            out.expect(false, "discovery and registration work");
            return;
        }

        out.step("2. carol logs in (authorization code, PKCE S256, resource), asking for the challenge's scope: " + scope);
        Granted carol = login(server, clientId, endpoint, "carol", scope, Set.of("orders.read"));
        if (carol == null) {
            return;
        }
        String stepUp = null;
        try (OrdersClient client = OrdersClient.connect(endpoint, carol.accessToken())) {
            listTools(client, List.of("list_orders", "whoami"), "only the reading tools");
            String whoami = OrdersClient.text(client.call("whoami", Map.of()));
            out.show("tools/call whoami", whoami);
            out.expect(whoami.contains("(carol)"), "whoami names carol");
            try {
                CallToolResult result = client.call("cancel_order", Map.of("id", 3));
                out.show("tools/call cancel_order {id: 3}", "ACCEPTED: " + OrdersClient.text(result));
                out.expect(false, "HTTP 403 insufficient_scope");
            } catch (RuntimeException refused) {
                String why = OrdersClient.explain(refused);
                out.show("tools/call cancel_order {id: 3} (her own order; her list hides the tool, a client can send"
                        + " any name)", "refused: " + why);
                out.expect(why.startsWith("HTTP 403") && why.contains("error=\"insufficient_scope\"")
                        && why.contains("resource_metadata="), "HTTP 403 insufficient_scope with resource_metadata");
                stepUp = AuthorizationCodeFlow.parameters(why).get("scope");
            }
        } catch (RuntimeException e) {
            out.show("refused", OrdersClient.explain(e));
            out.expect(false, "carol's access token is accepted");
        }
        out.expect("orders.cancel orders.read".equals(stepUp), "the 403 names orders.cancel and carol's orders.read");
        if (stepUp == null) {
            return;
        }

        out.step("3. carol asks again, for every scope the 403 named (" + stepUp + "): the authorization server grants"
                + " only what carol may have");
        if (login(server, clientId, endpoint, "carol", stepUp, Set.of("orders.read")) != null) {
            out.show("the client compares", "orders.cancel was not granted: carol may not cancel, and asking again"
                    + " will not change that");
        }

        out.step("4. bob logs in with orders.read orders.write: he may cancel the order he placed, not alice's");
        Granted bob = login(server, clientId, endpoint, "bob", "orders.read orders.write",
                Set.of("orders.read", "orders.write"));
        if (bob == null) {
            return;
        }
        try (OrdersClient client = OrdersClient.connect(endpoint, bob.accessToken())) {
            listTools(client, List.of("list_orders", "place_order", "cancel_order", "whoami"), "cancel_order too: he"
                    + " may cancel his own orders");
            showCall(client, "cancel_order", 2, "his own order: the scope check lets orders.write through, the guard"
                    + " checks the owner", "Cancelled #2 Stapler x 2");
            showCall(client, "cancel_order", 1, "alice's order", "Permission denied: tool cancel_order needs"
                    + " orders.cancel, or orders.write and to be the user who placed the open order 1 (you have"
                    + " orders.read, orders.write).");
        } catch (RuntimeException e) {
            out.show("refused", OrdersClient.explain(e));
            out.expect(false, "bob's access token is accepted");
        }

        out.step("5. alice logs in with orders.read orders.cancel; " + PAST_RECENT_LOGIN.toMinutes() + " minutes later"
                + " (both clocks moved) her token is still valid, but her login is too old to cancel");
        Granted alice = login(server, clientId, endpoint, "alice", "orders.read orders.cancel",
                Set.of("orders.read", "orders.cancel"));
        if (alice == null) {
            return;
        }
        clock.advance(PAST_RECENT_LOGIN);
        try (OrdersClient client = OrdersClient.connect(endpoint, alice.accessToken())) {
            listTools(client, List.of("list_orders", "cancel_order", "whoami"), "no place_order: she did not ask for"
                    + " orders.write");
            out.expectRefused("tools/call cancel_order {id: 1}", () -> client.call("cancel_order", Map.of("id", 1)),
                    "HTTP 401", "error=\"insufficient_user_authentication\"", "max_age=\""
                            + RecentLogin.MAX_AGE.toSeconds() + "\"");
            String listing = OrdersClient.text(client.call("list_orders", Map.of()));
            out.show("tools/call list_orders (the same token)", listing);
            out.expect(listing.contains("#1 Printer paper"), "order #1 is still open, and reading needs no recent login");
        } catch (RuntimeException e) {
            out.show("refused", OrdersClient.explain(e));
            out.expect(false, "alice's access token is accepted for everything but cancelling");
        }

        out.step("6. alice logs in again, as the 401's max_age asked: a fresh auth_time, and she cancels #1");
        Granted again = login(server, clientId, endpoint, "alice", "orders.read orders.cancel",
                Set.of("orders.read", "orders.cancel"));
        if (again == null) {
            return;
        }
        try (OrdersClient client = OrdersClient.connect(endpoint, again.accessToken())) {
            showCall(client, "cancel_order", 1, "alice, an admin, just logged in", "Cancelled #1 Printer paper x 10");

            out.step("7. " + PAST_EXPIRY.toMinutes() + " minutes later (both clocks moved): alice's token has expired");
            clock.advance(PAST_EXPIRY);
            out.expectRefused("tools/call list_orders with alice's open client", () -> client.call("list_orders",
                    Map.of()), "HTTP 401", "error=\"invalid_token\"", "The access token expired");
        } catch (RuntimeException e) {
            out.show("refused", OrdersClient.explain(e));
            out.expect(false, "alice's new access token is accepted");
        }
    }

    private Granted login(ServerMetadata server, String clientId, URI endpoint, String user, String scope,
            Set<String> expected) {
        String request = "GET /oauth2/authorize (scope " + scope + "), " + user + "'s login form, POST /oauth2/token";
        try {
            Granted granted = AuthorizationCodeFlow.authorize(server, clientId, endpoint, scope, user,
                    authServer.password(user));
            out.show(request, "200: an access token for " + endpoint + " with the scope " + String.join(" ",
                    granted.scopes()));
            out.expect(granted.scopes().equals(expected), user + " is granted " + expected);
            return granted;
        } catch (RuntimeException e) {
            out.show(request, "refused: " + OrdersClient.explain(e));
            out.expect(false, user + " logs in");
            return null;
        }
    }

    private void listTools(OrdersClient client, List<String> expected, String note) {
        List<String> tools = client.toolNames();
        out.show("tools/list", String.join(", ", tools) + " (" + note + ")");
        out.expect(tools.equals(expected), "tools/list shows " + String.join(", ", expected));
    }

    /** A cancel_order that the server answers with a tool result (done, or the guard's refusal), shown and checked. */
    private void showCall(OrdersClient client, String tool, int id, String note, String expected) {
        try {
            String text = OrdersClient.text(client.call(tool, Map.of("id", id)));
            out.show("tools/call " + tool + " {id: " + id + "} (" + note + ")", text);
            out.expect(text.startsWith(expected), expected);
        } catch (RuntimeException refused) {
            out.show("tools/call " + tool + " {id: " + id + "} (" + note + ")", "refused: "
                    + OrdersClient.explain(refused));
            out.expect(false, expected);
        }
    }
}
