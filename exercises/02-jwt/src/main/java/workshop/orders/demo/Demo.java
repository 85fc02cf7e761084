package workshop.orders.demo;

import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import workshop.orders.Config;
import workshop.orders.Wiring;
import workshop.orders.auth.jwt.TokenService;
import workshop.orders.auth.jwt.UserDirectory;
import workshop.orders.client.OrdersClient;
import workshop.orders.server.Orders;
import workshop.orders.server.OrdersFeatures;
import workshop.orders.server.OrdersServer;

/**
 * The step's scripted transcript: bob logs in and uses the orders desk, his access token expires and
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
    /** The server's public key: anyone may have it, so the forger of step 7 has it too. */
    private final PublicKey publicKey;

    private Demo(Transcript out, DemoClock clock, UserDirectory users, PublicKey publicKey) {
        this.out = out;
        this.clock = clock;
        this.users = users;
        this.publicKey = publicKey;
    }

    /** Runs the demo on a free port and returns the exit code: 0 when every scenario ended as expected. */
    public static int run(PrintStream out, Config config) throws Exception {
        return run(out, config, UserDirectory.fromResource());
    }

    /** The demo with these users: a test passes users hashed with a low work factor, to run it quickly. */
    static int run(PrintStream out, Config config, UserDirectory users) throws Exception {
        DemoClock clock = new DemoClock(Instant.now());
        Wiring wiring = Wiring.create(TokenService.newKeyPair(), clock, users);
        Demo demo = new Demo(new Transcript(out), clock, wiring.users(), wiring.tokens().publicKey());
        try (OrdersServer server = OrdersServer.start(config.host(), 0, Orders.seeded(), config.allowedOrigins(),
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

        out.say("Exercise 02: the orders desk with JWT access tokens, login, and refresh tokens that rotate");
        out.say("Server: " + endpoint + " (login: POST " + endpoint.resolve("/auth/token") + ")");
        out.say("The demo gives bob and carol one-time random passwords; `serve` uses those in the README.");

        out.step("1. A client with no token connects");
        expectRefusal(endpoint, "no token", null, "Bearer realm=\"mcp\"");

        out.step("2. bob logs in with a wrong password");
        expectLoginRefused(endpoint, "bob", "(wrong)", "not-" + bobPassword);

        out.step("3. bob logs in");
        OrdersClient.Tokens first = login(endpoint, "bob", bobPassword);
        if (first == null) {
            return;
        }
        showToken(first.accessToken());

        out.step("4. bob's client calls the orders desk with the access token");
        try (OrdersClient client = OrdersClient.connect(endpoint, first)) {
            useOrders(client);

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
            out.expectRefused("tools/call list_orders with bob's client, " + PAST_EXPIRY.toMinutes() + " minutes later",
                    () -> client.call("list_orders", Map.of()), "and the refresh failed");
        } catch (RuntimeException e) {
            out.show("refused", OrdersClient.explain(e));
            out.expect(false, "bob's access token is accepted");
        }

        out.step("7. Forged tokens, made from a fresh token of bob's");
        OrdersClient.Tokens fresh = login(endpoint, "bob", bobPassword);
        if (fresh != null) {
            String[] parts = fresh.accessToken().split("\\.");
            String payload = decode(parts[1]).replace("\"sub\":\"bob\"", "\"sub\":\"alice\"");
            expectRefusal(endpoint, "the payload changed to sub: alice, the signature kept",
                    bare(parts[0] + "." + encode(payload) + "." + parts[2]), "signature is not valid");
            expectRefusal(endpoint, "the header changed to alg: none, the signature removed",
                    bare(encode("{\"alg\":\"none\",\"typ\":\"at+jwt\"}") + "." + parts[1] + "."),
                    "signed with ES256");
            String confused = encode("{\"alg\":\"HS256\",\"typ\":\"at+jwt\"}") + "." + parts[1];
            expectRefusal(endpoint, "the header changed to alg: HS256, an HMAC keyed with the server's public key",
                    bare(confused + "." + hmacKeyedWith(publicKey.getEncoded(), confused)), "signed with ES256");
        }

        out.step("8. carol's account is disabled while she is logged in");
        OrdersClient.Tokens carol = login(endpoint, "carol", carolPassword);
        if (carol != null) {
            users.setEnabled("carol", false);
            out.show("UserDirectory.setEnabled(carol, false)", "done");
            expectLoginRefused(endpoint, "carol", "(carol's, account disabled)", carolPassword);
            expectRefreshRefused(endpoint, "carol's refresh token", carol.refreshToken(), "disabled");
            try (OrdersClient client = OrdersClient.connect(endpoint, bare(carol.accessToken()))) {
                out.show("initialize with carol's access token", "accepted: it stays valid until it expires (step 03 "
                        + "checks the account on every request)");
            } catch (RuntimeException e) {
                out.show("initialize with carol's access token", "refused: " + OrdersClient.explain(e));
                out.expect(false, "a valid access token is accepted");
            }
        }
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
            CallToolResult listed = client.call("list_orders", Map.of());
            out.show("tools/call list_orders with bob's client", "401 invalid_token, so the client called "
                    + "/auth/refresh (refreshes: " + client.refreshes() + ") and sent the call again:\n"
                    + OrdersClient.text(listed));
            out.expect(client.refreshes() == 1 && !client.tokens().accessToken().equals(before),
                    "exactly one refresh, and a new access token");
        } catch (RuntimeException e) {
            out.show("tools/call list_orders with bob's client", "refused: " + OrdersClient.explain(e));
            out.expect(false, "the client refreshes and retries");
        }
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

    private void expectRefreshRefused(URI endpoint, String which, String refreshToken, String because) {
        out.expectRefused("POST /auth/refresh with " + which, () -> OrdersClient.refresh(endpoint, refreshToken),
                "HTTP 400 invalid_grant", because);
    }

    private void showToken(String token) {
        String[] parts = token.split("\\.");
        out.show("bob's access token (a throwaway of this run), and its three parts decoded", token);
        out.say("      header:    " + decode(parts[0]));
        out.say("      payload:   " + decode(parts[1]));
        out.say("      signature: " + parts[2] + " (ECDSA P-256 of header.payload, with the server's private key)");
    }

    private static String decode(String part) {
        return new String(Base64.getUrlDecoder().decode(part), StandardCharsets.UTF_8);
    }

    /** What a forger tries when a server lets the token pick the algorithm (RFC 8725 §2.1). */
    private static String hmacKeyedWith(byte[] key, String headerAndPayload) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(mac.doFinal(headerAndPayload.getBytes(StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    private static String encode(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    private void expectRefusal(URI endpoint, String sent, OrdersClient.Tokens tokens, String because) {
        out.expectRefused("initialize with " + sent, () -> OrdersClient.connect(endpoint, tokens).close(),
                "HTTP 401, WWW-Authenticate: ", because);
    }
}
