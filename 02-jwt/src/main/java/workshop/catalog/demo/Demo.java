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
import workshop.catalog.client.CatalogClient;
import workshop.catalog.server.Catalog;
import workshop.catalog.server.CatalogFeatures;
import workshop.catalog.server.CatalogServer;

/**
 * The step's scripted transcript: bob logs in and uses the catalog, his access token expires and
 * is refreshed on the fly, a replayed refresh token revokes his login, forged tokens are refused,
 * and a disabled account can no longer log in or refresh. Each line says who asked, what, and what
 * came back.
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
        String bobPassword = Config.randomSecret();
        String carolPassword = Config.randomSecret();
        users.setPassword("bob", bobPassword);
        users.setPassword("carol", carolPassword);

        out.say("Step 02: JWT access tokens, login, and refresh tokens that rotate");
        out.say("Server: " + endpoint + " (login: POST " + endpoint.resolve("/auth/token") + ")");
        out.say("The demo gives bob and carol one-time random passwords; `serve` uses those in the README.");

        out.step("1. A client with no token connects");
        expectRefusal(endpoint, "no token", null, "Bearer realm=\"mcp\"");

        out.step("2. bob logs in with a wrong password");
        expectLoginRefused(endpoint, "bob", "(wrong)", "not-" + bobPassword);

        out.step("3. bob logs in");
        CatalogClient.Tokens first = login(endpoint, "bob", bobPassword);
        if (first == null) {
            return;
        }
        showToken(first.accessToken());

        out.step("4. bob's client calls the catalog with the access token");
        try (CatalogClient client = CatalogClient.connect(endpoint, first)) {
            useCatalog(client);

            out.step("5. " + PAST_EXPIRY.toMinutes() + " minutes pass (the demo moves the server's clock), "
                    + "so bob's access token has expired");
            clock.advance(PAST_EXPIRY);
            expectRefusal(endpoint, "bob's first access token alone", bare(first.accessToken()),
                    "The access token expired");
            callAfterExpiry(client);

            out.step("6. Someone replays bob's first refresh token, which step 5 used up");
            expectRefreshRefused(endpoint, "bob's first refresh token (replayed)", first.refreshToken(),
                    "already used");
            expectRefreshRefused(endpoint, "the newest refresh token, held by bob's client",
                    client.tokens().refreshToken(), "revoked");
            clock.advance(PAST_EXPIRY);
            out.expectRefused("tools/call list_products with bob's client, " + PAST_EXPIRY.toMinutes()
                    + " minutes later", () -> client.call("list_products", Map.of()), "and the refresh failed");
        } catch (RuntimeException e) {
            out.show("refused", CatalogClient.explain(e));
            out.expect(false, "bob's access token is accepted");
        }

        out.step("7. Forged tokens, made from a fresh token of bob's");
        CatalogClient.Tokens fresh = login(endpoint, "bob", bobPassword);
        if (fresh != null) {
            String[] parts = fresh.accessToken().split("\\.");
            String payload = decode(parts[1]).replace("\"sub\":\"bob\"", "\"sub\":\"alice\"");
            expectRefusal(endpoint, "the payload changed to sub: alice, the signature kept",
                    bare(parts[0] + "." + encode(payload) + "." + parts[2]), "signature is not valid");
            expectRefusal(endpoint, "the header changed to alg: none, the signature removed",
                    bare(encode("{\"alg\":\"none\",\"typ\":\"at+jwt\"}") + "." + parts[1] + "."),
                    "signed with HS256");
        }

        out.step("8. carol's account is disabled while she is logged in");
        CatalogClient.Tokens carol = login(endpoint, "carol", carolPassword);
        if (carol != null) {
            users.setEnabled("carol", false);
            out.show("UserDirectory.setEnabled(carol, false)", "done");
            expectLoginRefused(endpoint, "carol", "(carol's, account disabled)", carolPassword);
            expectRefreshRefused(endpoint, "carol's refresh token", carol.refreshToken(), "disabled");
            try (CatalogClient client = CatalogClient.connect(endpoint, bare(carol.accessToken()))) {
                out.show("initialize with carol's access token", "accepted: it stays valid until it expires (step 03 "
                        + "checks the account on every request)");
            } catch (RuntimeException e) {
                out.show("initialize with carol's access token", "refused: " + CatalogClient.explain(e));
                out.expect(false, "a valid access token is accepted");
            }
        }
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
            CallToolResult listed = client.call("list_products", Map.of());
            out.show("tools/call list_products with bob's client", "401 invalid_token, so the client called "
                    + "/auth/refresh (refreshes: " + client.refreshes() + ") and sent the call again:\n"
                    + CatalogClient.text(listed));
            out.expect(client.refreshes() == 1 && !client.tokens().accessToken().equals(before),
                    "exactly one refresh, and a new access token");
        } catch (RuntimeException e) {
            out.show("tools/call list_products with bob's client", "refused: " + CatalogClient.explain(e));
            out.expect(false, "the client refreshes and retries");
        }
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

    private void expectRefreshRefused(URI endpoint, String which, String refreshToken, String because) {
        out.expectRefused("POST /auth/refresh with " + which, () -> CatalogClient.refresh(endpoint, refreshToken),
                "HTTP 400 invalid_grant", because);
    }

    private void showToken(String token) {
        String[] parts = token.split("\\.");
        out.show("bob's access token (a throwaway of this run), and its three parts decoded", token);
        out.say("      header:    " + decode(parts[0]));
        out.say("      payload:   " + decode(parts[1]));
        out.say("      signature: " + parts[2] + " (HMAC-SHA256 of header.payload, keyed with JWT_SECRET)");
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
