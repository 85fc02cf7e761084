package workshop.catalog.demo;

import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import workshop.catalog.Config;
import workshop.catalog.Wiring;
import workshop.catalog.auth.jwt.TokenService;
import workshop.catalog.auth.jwt.UserDirectory;
import workshop.catalog.auth.permissions.PermissionFilter;
import workshop.catalog.client.CatalogClient;
import workshop.catalog.server.Catalog;
import workshop.catalog.server.CatalogFeatures;
import workshop.catalog.server.CatalogServer;

/**
 * The step's scripted transcript: alice and bob log in and use the catalog, and the tools see who they
 * are; bob deletes a product although he is no admin, because the filter guards the endpoint, not each
 * tool; carol logs in but is refused with 403, and her forged permissions with 401; bob's account is
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
        DemoClock clock = new DemoClock(Instant.now());
        Wiring wiring = Wiring.create(config.secret(), clock, UserDirectory.fromResource());
        Demo demo = new Demo(new Transcript(out), clock, wiring.users());
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

        out.say("Step 03: permissions in the token, checked by a filter for the whole endpoint");
        out.say("Server: " + endpoint + " (login: POST " + endpoint.resolve("/auth/token") + ")");
        out.say(CatalogServer.MCP_PATH + " needs " + PermissionFilter.USER_READ + ": alice and bob have it, carol "
                + "has only Guest.Read.");
        out.say("The demo gives alice, bob and carol one-time random passwords; `serve` uses those in the README.");

        out.step("1. A client with no token connects");
        expectRefusal(endpoint, "no token", null, "Bearer realm=\"mcp\"");

        out.step("2. alice logs in: her access token carries her permissions, and the tools see who she is");
        CatalogClient.Tokens alice = login(endpoint, "alice", alicePassword);
        if (alice == null) {
            return;
        }
        out.show("the payload of alice's access token, decoded", decode(alice.accessToken().split("\\.")[1]));
        try (CatalogClient aliceClient = CatalogClient.connect(endpoint, alice)) {
            out.show("tools/list", String.join(", ", aliceClient.toolNames()));
            whoami(aliceClient, "alice");

            bob(endpoint, bobPassword, carolPassword);

            out.step("8. " + PAST_EXPIRY.toMinutes() + " minutes pass (the demo moves the server's clock), "
                    + "so alice's access token has expired");
            clock.advance(PAST_EXPIRY);
            callAfterExpiry(aliceClient);
        } catch (RuntimeException e) {
            out.show("refused", CatalogClient.explain(e));
            out.expect(false, "alice's access token is accepted");
        }
    }

    /** Scenarios 3 to 7: bob's session stays open while carol tries, until his account is disabled. */
    private void bob(URI endpoint, String bobPassword, String carolPassword) {
        out.step("3. bob logs in and uses the catalog");
        CatalogClient.Tokens bob = login(endpoint, "bob", bobPassword);
        if (bob == null) {
            return;
        }
        try (CatalogClient client = CatalogClient.connect(endpoint, bob)) {
            whoami(client, "bob");
            useCatalog(client);

            out.step("4. The filter guards the endpoint, not each tool: bob deletes a product without Admin.Write");
            CallToolResult deleted = client.call("delete_product", Map.of("id", 1));
            out.show("tools/call delete_product {id: 1}", CatalogClient.text(deleted) + "\n(to the filter every MCP "
                    + "message is a POST to " + CatalogServer.MCP_PATH + ": a delete looks like a read; step 04 "
                    + "checks each tool)");
            out.expect(!Boolean.TRUE.equals(deleted.isError()), "the delete passes the endpoint-wide check");

            carol(endpoint, carolPassword);

            out.step("7. bob's account is disabled while his session is open and his access token is still valid");
            users.setEnabled("bob", false);
            out.show("UserDirectory.setEnabled(bob, false)", "done");
            out.expectRefused("tools/call list_products with bob's open client", () -> client.call("list_products",
                    Map.of()), "The user no longer exists or is disabled", "and the refresh failed");
            expectRefusal(endpoint, "bob's access token alone", bare(bob.accessToken()),
                    "error_description=\"The user no longer exists or is disabled\"");
            expectLoginRefused(endpoint, "bob", "(bob's, account disabled)", bobPassword);
        } catch (RuntimeException e) {
            out.show("refused", CatalogClient.explain(e));
            out.expect(false, "bob's access token is accepted");
        }
    }

    /** Scenarios 5 and 6: a valid login without the permission, and a forged permission. */
    private void carol(URI endpoint, String carolPassword) {
        out.step("5. carol logs in: her password is right, but her token grants only Guest.Read");
        CatalogClient.Tokens carol = login(endpoint, "carol", carolPassword);
        if (carol == null) {
            return;
        }
        out.expectRefused("initialize with carol's access token", () -> CatalogClient.connect(endpoint, carol).close(),
                "HTTP 403, WWW-Authenticate: Bearer realm=\"mcp\", error=\"insufficient_scope\", scope=\""
                        + PermissionFilter.USER_READ + "\"");

        out.step("6. carol adds User.Read to the permissions in her token");
        String[] parts = carol.accessToken().split("\\.");
        String payload = decode(parts[1]).replace("[\"Guest.Read\"]", "[\"Guest.Read\",\"User.Read\"]");
        expectRefusal(endpoint, "carol's token, payload changed to \"permissions\":[\"Guest.Read\",\"User.Read\"]",
                bare(parts[0] + "." + encode(payload) + "." + parts[2]), "signature is not valid");
    }

    /** An access token without a refresh token: the client sends it and cannot refresh. */
    private static CatalogClient.Tokens bare(String accessToken) {
        return new CatalogClient.Tokens(accessToken, null);
    }

    private void useCatalog(CatalogClient client) {
        out.show("tools/list", String.join(", ", client.toolNames()));
        out.show("tools/call list_products", CatalogClient.text(client.call("list_products", Map.of())));
        CallToolResult created = client.call("create_product", Map.of("name", "Desk lamp", "price", 24.90));
        out.show("tools/call create_product {name: Desk lamp, price: 24.90}", CatalogClient.text(created));
        CallToolResult invalid = client.call("create_product", Map.of("name", "Free lunch", "price", -1));
        out.show("tools/call create_product {price: -1}", "tool error: " + CatalogClient.text(invalid));
        out.show("resources/read " + CatalogFeatures.CATALOG_URI, client.readCatalog());
        out.expect(!Boolean.TRUE.equals(created.isError()) && Boolean.TRUE.equals(invalid.isError()),
                "the valid product is created and the invalid one is refused");
    }

    private void callAfterExpiry(CatalogClient client) {
        try {
            String before = client.tokens().accessToken();
            CallToolResult answer = client.call("whoami", Map.of());
            out.show("tools/call whoami with alice's client", "401 invalid_token, so the client called /auth/refresh "
                    + "(refreshes: " + client.refreshes() + ") and sent the call again; the new token's permissions "
                    + "were read from the user directory at the refresh:\n" + CatalogClient.text(answer));
            out.expect(client.refreshes() == 1 && !client.tokens().accessToken().equals(before)
                    && CatalogClient.text(answer).contains("(alice)"), "exactly one refresh, and a new access token");
        } catch (RuntimeException e) {
            out.show("tools/call whoami with alice's client", "refused: " + CatalogClient.explain(e));
            out.expect(false, "the client refreshes and retries");
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

    private void expectLoginRefused(URI endpoint, String username, String shownPassword, String password) {
        out.expectRefused("POST /auth/token {username: " + username + ", password: " + shownPassword + "}",
                () -> CatalogClient.login(endpoint, username, password), "HTTP 400 invalid_grant");
    }

    private static String decode(String part) {
        return new String(Base64.getUrlDecoder().decode(part), StandardCharsets.UTF_8);
    }

    private static String encode(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    private void expectRefusal(URI endpoint, String sent, CatalogClient.Tokens tokens, String because) {
        out.expectRefused("initialize with " + sent, () -> CatalogClient.connect(endpoint, tokens).close(),
                "HTTP 401, WWW-Authenticate: ", because);
    }
}
