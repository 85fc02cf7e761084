package workshop.catalog.demo;

import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import workshop.catalog.Config;
import workshop.catalog.Wiring;
import workshop.catalog.auth.jwt.TokenService;
import workshop.catalog.auth.jwt.UserDirectory;
import workshop.catalog.auth.pertool.FeaturePermissions;
import workshop.catalog.client.CatalogClient;
import workshop.catalog.server.Catalog;
import workshop.catalog.server.CatalogFeatures;
import workshop.catalog.server.CatalogServer;

/**
 * The step's scripted transcript: carol, a guest, now gets into the endpoint, sees only the tools she may
 * call, and is refused {@code create_product} although she calls it by name; bob creates a product and is
 * refused {@code delete_product}, and the catalog stays intact; alice deletes; carol's account is disabled
 * and the endpoint filter stops her session. Each line says who asked, what, and what came back.
 */
public final class Demo {

    /** How far the demo moves the server's clock to let an access token expire. */
    public static final Duration PAST_EXPIRY = TokenService.DEFAULT_LIFETIME.plusMinutes(1);

    private static final Map<String, Object> DESK_LAMP = Map.of("name", "Desk lamp", "price", 24.90);
    private static final Map<String, Object> FIRST_PRODUCT = Map.of("id", 1);

    private final Transcript out;
    private final UserDirectory users;

    private Demo(Transcript out, UserDirectory users) {
        this.out = out;
        this.users = users;
    }

    /** Runs the demo on a free port and returns the exit code: 0 when every scenario ended as expected. */
    public static int run(PrintStream out, Config config) throws Exception {
        DemoClock clock = new DemoClock(Instant.now());
        Wiring wiring = Wiring.create(config.secret(), clock, UserDirectory.fromResource());
        Demo demo = new Demo(new Transcript(out), wiring.users());
        try (CatalogServer server = CatalogServer.start(config.host(), 0, Catalog.seeded(), config.allowedOrigins(),
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

        out.say("Step 04: permissions per tool, resource and prompt, checked inside the MCP server");
        out.say("Server: " + endpoint + " (login: POST " + endpoint.resolve("/auth/token") + ")");
        out.say(CatalogServer.MCP_PATH + " lets in every valid token of an enabled user. Then each feature needs one "
                + "of the permissions of its row in FeaturePermissions:");
        FeaturePermissions.catalog().rows().forEach((feature, anyOf) ->
                out.say(String.format("   %-29s %s", feature, String.join(" or ", anyOf))));
        out.say(String.format("   %-29s %s", "anything else", "nobody"));
        out.say("alice has Admin.Write, User.Read, User.Write; bob User.Read, User.Write; carol Guest.Read.");
        out.say("The demo gives alice, bob and carol one-time random passwords; `serve` uses those in the README.");

        out.step("1. carol logs in with only Guest.Read: step 03 refused her at the endpoint, now she gets in");
        CatalogClient.Tokens carol = login(endpoint, "carol", carolPassword);
        if (carol == null) {
            return;
        }
        try (CatalogClient client = CatalogClient.connect(endpoint, carol)) {
            listTools(client, List.of("list_products", "whoami"), "of the catalog's three tools, only list_products");
            whoami(client, "carol");
            out.show("tools/call list_products", CatalogClient.text(client.call("list_products", Map.of())));

            out.step("2. carol calls create_product anyway: her list hides it, but a client can send any tool name");
            expectDenied(client, "create_product", "{name: Desk lamp, price: 24.90}", DESK_LAMP,
                    "User.Write or Admin.Write (you have Guest.Read)");

            bobAndAlice(endpoint, bobPassword, alicePassword);

            out.step("5. carol's account is disabled while her session is open: the endpoint filter still checks the "
                    + "account on every request");
            users.setEnabled("carol", false);
            out.show("UserDirectory.setEnabled(carol, false)", "done");
            out.expectRefused("tools/call list_products with carol's open client", () -> client.call("list_products",
                    Map.of()), "The user no longer exists or is disabled", "and the refresh failed");
        } catch (RuntimeException e) {
            out.show("refused", CatalogClient.explain(e));
            out.expect(false, "carol's access token is accepted");
        }
    }

    /** Scenarios 3 and 4: bob may create but not delete; alice may delete. */
    private void bobAndAlice(URI endpoint, String bobPassword, String alicePassword) {
        out.step("3. bob logs in: User.Write lets him create a product, and delete_product is refused");
        CatalogClient.Tokens bob = login(endpoint, "bob", bobPassword);
        if (bob == null) {
            return;
        }
        try (CatalogClient client = CatalogClient.connect(endpoint, bob)) {
            listTools(client, List.of("list_products", "create_product", "whoami"), "no delete_product");
            CallToolResult created = client.call("create_product", DESK_LAMP);
            out.show("tools/call create_product {name: Desk lamp, price: 24.90}", CatalogClient.text(created));
            out.expect(!Boolean.TRUE.equals(created.isError()), "bob creates the product");
            expectDenied(client, "delete_product", "{id: 1}", FIRST_PRODUCT,
                    "Admin.Write (you have User.Read, User.Write)");
            String listing = CatalogClient.text(client.call("list_products", Map.of()));
            out.show("tools/call list_products (the refused delete never ran: #1 is still there; in step 03 it was "
                    + "deleted)", listing);
            out.expect(listing.contains("#1 Laptop") && listing.contains("Desk lamp"), "the catalog is intact");
        } catch (RuntimeException e) {
            out.show("refused", CatalogClient.explain(e));
            out.expect(false, "bob's access token is accepted");
        }

        out.step("4. alice logs in: Admin.Write lets her delete");
        CatalogClient.Tokens alice = login(endpoint, "alice", alicePassword);
        if (alice == null) {
            return;
        }
        try (CatalogClient client = CatalogClient.connect(endpoint, alice)) {
            listTools(client, List.of("list_products", "create_product", "delete_product", "whoami"), "all four");
            CallToolResult deleted = client.call("delete_product", FIRST_PRODUCT);
            out.show("tools/call delete_product {id: 1}", CatalogClient.text(deleted));
            out.expect(!Boolean.TRUE.equals(deleted.isError()) && CatalogClient.text(deleted).startsWith("Deleted #1"),
                    "alice deletes product #1");
            String catalog = client.readCatalog();
            out.show("resources/read " + CatalogFeatures.CATALOG_URI, catalog);
            out.expect(!catalog.contains("#1 Laptop"), "product #1 is gone");
        } catch (RuntimeException e) {
            out.show("refused", CatalogClient.explain(e));
            out.expect(false, "alice's access token is accepted");
        }
    }

    private void listTools(CatalogClient client, List<String> expected, String note) {
        List<String> tools = client.toolNames();
        out.show("tools/list", String.join(", ", tools) + " (" + note + ")");
        out.expect(tools.equals(expected), "tools/list shows " + String.join(", ", expected));
    }

    /** Calls a tool the caller may not call: the answer must be a tool error that names the tool and the need. */
    private void expectDenied(CatalogClient client, String tool, String shownArguments, Map<String, Object> arguments,
            String need) {
        String request = "tools/call " + tool + " " + shownArguments;
        try {
            CallToolResult result = client.call(tool, arguments);
            boolean refused = Boolean.TRUE.equals(result.isError());
            out.show(request, (refused ? "refused (isError: true): " : "ACCEPTED: ") + CatalogClient.text(result));
            out.expect(refused && CatalogClient.text(result).equals("Permission denied: tool " + tool + " needs " + need
                    + "."), "a tool error naming " + tool + " and " + need);
        } catch (RuntimeException e) {
            out.show(request, "failed: " + CatalogClient.explain(e));
            out.expect(false, "a tool error, not a failed request");
        }
    }

    private void whoami(CatalogClient client, String username) {
        String answer = CatalogClient.text(client.call("whoami", Map.of()));
        out.show("tools/call whoami", answer);
        out.expect(answer.contains("(" + username + ")"), "whoami names " + username);
    }

    private CatalogClient.Tokens login(URI endpoint, String username, String password) {
        String request = "POST /auth/token {username: " + username + ", password: (" + username + "'s)}";
        try {
            CatalogClient.Tokens tokens = CatalogClient.login(endpoint, username, password);
            out.show(request, "200: an access token for " + TokenService.DEFAULT_LIFETIME.toMinutes()
                    + " minutes and a refresh token");
            return tokens;
        } catch (RuntimeException e) {
            out.show(request, "refused: " + CatalogClient.explain(e));
            out.expect(false, username + " logs in");
            return null;
        }
    }
}
