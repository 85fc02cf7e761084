package workshop.catalog.demo;

import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import workshop.catalog.Config;
import workshop.catalog.auth.jwt.AuthServlet;
import workshop.catalog.auth.jwt.JwtAuthFilter;
import workshop.catalog.auth.jwt.RefreshTokens;
import workshop.catalog.auth.jwt.TokenService;
import workshop.catalog.auth.jwt.UserDirectory;
import workshop.catalog.auth.permissions.PermissionFilter;
import workshop.catalog.auth.pertool.FeatureGuard;
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

    private final PrintStream out;
    private final FeaturePermissions permissions;
    private final UserDirectory users;
    private int surprises;

    private Demo(PrintStream out, FeaturePermissions permissions, UserDirectory users) {
        this.out = out;
        this.permissions = permissions;
        this.users = users;
    }

    /** Runs the demo on a free port and returns the exit code: 0 when every scenario ended as expected. */
    public static int run(PrintStream out, Config config) throws Exception {
        DemoClock clock = new DemoClock(Instant.now());
        TokenService tokens = new TokenService(config.secret(), clock, TokenService.DEFAULT_LIFETIME);
        Demo demo = new Demo(out, FeaturePermissions.catalog(), UserDirectory.fromResource());
        AuthServlet auth = new AuthServlet(demo.users, tokens, new RefreshTokens(clock, RefreshTokens.DEFAULT_LIFETIME));
        try (CatalogServer server = CatalogServer.start(config.host(), 0, Catalog.seeded(), config.allowedOrigins(),
                List.of(new JwtAuthFilter(tokens), new PermissionFilter(demo.users)),
                new FeatureGuard(demo.permissions), Map.of(AuthServlet.PATH, auth))) {
            demo.script(server.endpoint());
        }
        out.println(demo.surprises == 0 ? "Demo finished: every request ended as expected."
                : "Demo finished with " + demo.surprises + " unexpected outcome(s).");
        return demo.surprises == 0 ? 0 : 1;
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

        out.println("Step 04: permissions per tool, resource and prompt, checked inside the MCP server");
        out.println("Server: " + endpoint + " (login: POST " + endpoint.resolve("/auth/token") + ")");
        out.println(CatalogServer.MCP_PATH + " lets in every valid token of an enabled user. Then each feature needs one "
                + "of the permissions of its row in FeaturePermissions:");
        permissions.rows().forEach((feature, anyOf) -> out.printf("   %-29s %s%n", feature, String.join(" or ", anyOf)));
        out.printf("   %-29s %s%n", "anything else", "nobody");
        out.println("alice has Admin.Write, User.Read, User.Write; bob User.Read, User.Write; carol Guest.Read.");
        out.println("The demo gives alice, bob and carol one-time random passwords; `serve` uses those in the README.");

        step("1. carol logs in with only Guest.Read: step 03 refused her at the endpoint, now she gets in");
        CatalogClient.Tokens carol = login(endpoint, "carol", carolPassword);
        if (carol == null) {
            return;
        }
        try (CatalogClient client = CatalogClient.connect(endpoint, carol)) {
            listTools(client, List.of("list_products", "whoami"), "of the catalog's three tools, only list_products");
            whoami(client, "carol");
            show("tools/call list_products", CatalogClient.text(client.call("list_products", Map.of())));

            step("2. carol calls create_product anyway: her list hides it, but a client can send any tool name");
            expectDenied(client, "create_product", "{name: Desk lamp, price: 24.90}", DESK_LAMP,
                    "User.Write or Admin.Write (you have Guest.Read)");

            bobAndAlice(endpoint, bobPassword, alicePassword);

            step("5. carol's account is disabled while her session is open: the endpoint filter still checks the "
                    + "account on every request");
            users.setEnabled("carol", false);
            show("UserDirectory.setEnabled(carol, false)", "done");
            expectRefused("tools/call list_products with carol's open client", () -> client.call("list_products",
                    Map.of()), "The user no longer exists or is disabled", "and the refresh failed");
        } catch (RuntimeException e) {
            show("refused", CatalogClient.explain(e));
            expect(false, "carol's access token is accepted");
        }
        out.println();
    }

    /** Scenarios 3 and 4: bob may create but not delete; alice may delete. */
    private void bobAndAlice(URI endpoint, String bobPassword, String alicePassword) {
        step("3. bob logs in: User.Write lets him create a product, and delete_product is refused");
        CatalogClient.Tokens bob = login(endpoint, "bob", bobPassword);
        if (bob == null) {
            return;
        }
        try (CatalogClient client = CatalogClient.connect(endpoint, bob)) {
            listTools(client, List.of("list_products", "create_product", "whoami"), "no delete_product");
            CallToolResult created = client.call("create_product", DESK_LAMP);
            show("tools/call create_product {name: Desk lamp, price: 24.90}", CatalogClient.text(created));
            expect(!Boolean.TRUE.equals(created.isError()), "bob creates the product");
            expectDenied(client, "delete_product", "{id: 1}", FIRST_PRODUCT,
                    "Admin.Write (you have User.Read, User.Write)");
            String listing = CatalogClient.text(client.call("list_products", Map.of()));
            show("tools/call list_products (the refused delete never ran: #1 is still there; in step 03 it was "
                    + "deleted)", listing);
            expect(listing.contains("#1 Laptop") && listing.contains("Desk lamp"), "the catalog is intact");
        } catch (RuntimeException e) {
            show("refused", CatalogClient.explain(e));
            expect(false, "bob's access token is accepted");
        }

        step("4. alice logs in: Admin.Write lets her delete");
        CatalogClient.Tokens alice = login(endpoint, "alice", alicePassword);
        if (alice == null) {
            return;
        }
        try (CatalogClient client = CatalogClient.connect(endpoint, alice)) {
            listTools(client, List.of("list_products", "create_product", "delete_product", "whoami"), "all four");
            CallToolResult deleted = client.call("delete_product", FIRST_PRODUCT);
            show("tools/call delete_product {id: 1}", CatalogClient.text(deleted));
            expect(!Boolean.TRUE.equals(deleted.isError()) && CatalogClient.text(deleted).startsWith("Deleted #1"),
                    "alice deletes product #1");
            String catalog = client.readCatalog();
            show("resources/read " + CatalogFeatures.CATALOG_URI, catalog);
            expect(!catalog.contains("#1 Laptop"), "product #1 is gone");
        } catch (RuntimeException e) {
            show("refused", CatalogClient.explain(e));
            expect(false, "alice's access token is accepted");
        }
    }

    private void listTools(CatalogClient client, List<String> expected, String note) {
        List<String> tools = client.toolNames();
        show("tools/list", String.join(", ", tools) + " (" + note + ")");
        expect(tools.equals(expected), "tools/list shows " + String.join(", ", expected));
    }

    /** Calls a tool the caller may not call: the answer must be a tool error that names the tool and the need. */
    private void expectDenied(CatalogClient client, String tool, String shownArguments, Map<String, Object> arguments,
            String need) {
        String request = "tools/call " + tool + " " + shownArguments;
        try {
            CallToolResult result = client.call(tool, arguments);
            boolean refused = Boolean.TRUE.equals(result.isError());
            show(request, (refused ? "refused (isError: true): " : "ACCEPTED: ") + CatalogClient.text(result));
            expect(refused && CatalogClient.text(result).equals("Permission denied: tool " + tool + " needs " + need
                    + "."), "a tool error naming " + tool + " and " + need);
        } catch (RuntimeException e) {
            show(request, "failed: " + CatalogClient.explain(e));
            expect(false, "a tool error, not a failed request");
        }
    }

    private void whoami(CatalogClient client, String username) {
        String answer = CatalogClient.text(client.call("whoami", Map.of()));
        show("tools/call whoami", answer);
        expect(answer.contains("(" + username + ")"), "whoami names " + username);
    }

    private CatalogClient.Tokens login(URI endpoint, String username, String password) {
        String request = "POST /auth/token {username: " + username + ", password: (" + username + "'s)}";
        try {
            CatalogClient.Tokens tokens = CatalogClient.login(endpoint, username, password);
            show(request, "200: an access token for " + TokenService.DEFAULT_LIFETIME.toMinutes()
                    + " minutes and a refresh token");
            return tokens;
        } catch (RuntimeException e) {
            show(request, "refused: " + CatalogClient.explain(e));
            expect(false, username + " logs in");
            return null;
        }
    }

    /** Sends a request that must be refused, shows what came back, and checks the one-line explanation. */
    private void expectRefused(String request, Runnable attempt, String... explanationParts) {
        try {
            attempt.run();
            show(request, "ACCEPTED");
            expect(false, "this request is refused");
        } catch (RuntimeException refused) {
            String why = CatalogClient.explain(refused);
            show(request, "refused: " + why);
            for (String part : explanationParts) {
                expect(why.contains(part), "a refusal that says " + part);
            }
        }
    }

    private void step(String title) {
        out.println();
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
