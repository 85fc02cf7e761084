package workshop.orders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.security.Jwk;
import io.jsonwebtoken.security.Jwks;
import io.jsonwebtoken.security.Keys;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.TypeRef;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import workshop.orders.auth.pertool.FeaturePermissions;
import workshop.orders.auth.pertool.FeaturePermissions.Feature;
import workshop.orders.auth.pertool.FeaturePermissions.Kind;
import workshop.orders.auth.resourceserver.IssuerKeys;
import workshop.orders.auth.resourceserver.RecentLogin;
import workshop.orders.client.AuthorizationCodeFlow;
import workshop.orders.client.OrdersClient;
import workshop.orders.server.OrdersFeatures;
import workshop.orders.support.RawHttp;
import workshop.orders.support.TestStack;

/**
 * The real authorization server and the orders desk with exactly the layers of {@code Wiring.layers(orders)}, started
 * once for the class. The "05.0" tests check what the exercise gives (the authorization server, the table in scopes);
 * the "05.1-05.5 together" tests pass once every task is done, as the demo does.
 */
@DisplayName("05.1-05.5 together: the orders desk behind the real authorization server")
class AllLayersTest {

    private static TestStack stack;
    private static String metadataUrl;

    @BeforeAll
    static void start() throws Exception {
        stack = TestStack.start();
        metadataUrl = stack.mcp.resolve("/.well-known/oauth-protected-resource/mcp").toString();
    }

    @AfterAll
    static void stop() throws Exception {
        stack.close();
    }

    // ---- what the exercise gives -----------------------------------------------------------------------------

    @Test
    @DisplayName("05.0 the table in scopes: orders.read reads, orders.write places, orders.cancel cancels")
    void table() {
        Map<Feature, List<String>> expected = new LinkedHashMap<>();
        expected.put(new Feature(Kind.TOOL, "list_orders"), List.of("orders.read"));
        expected.put(new Feature(Kind.TOOL, "place_order"), List.of("orders.write"));
        expected.put(new Feature(Kind.TOOL, "cancel_order"), List.of("orders.cancel"));
        expected.put(new Feature(Kind.TOOL, "whoami"), List.of("orders.read"));
        expected.put(new Feature(Kind.RESOURCE, OrdersFeatures.OPEN_ORDERS_URI), List.of("orders.read"));
        expected.put(new Feature(Kind.PROMPT, "summarize_orders"), List.of("orders.read"));
        assertThat(FeaturePermissions.orders().rows()).containsExactlyEntriesOf(expected);
        assertThat(Wiring.SCOPES).containsExactly("orders.read", "orders.write", "orders.cancel");
    }

    @Test
    @DisplayName("05.0 the authorization server: RFC 8414 metadata; each user granted only their scopes")
    @SuppressWarnings("unchecked")
    void authorizationServer() throws Exception {
        Map<String, Object> metadata = RawHttp.json(RawHttp.get(stack.authServer.issuer()
                .resolve("/.well-known/oauth-authorization-server")));
        assertThat(metadata.get("issuer")).isEqualTo(stack.authServer.issuer().toString());
        assertThat(metadata.get("code_challenge_methods_supported")).isEqualTo(List.of("S256"));
        assertThat((List<Object>) metadata.get("token_endpoint_auth_methods_supported")).contains("none");
        assertThat((List<Object>) metadata.get("scopes_supported")).contains("orders.read", "orders.write",
                "orders.cancel");
        String all = "orders.read orders.write orders.cancel";
        assertThat(scopes(stack.token("carol", all))).isEqualTo("orders.read");
        assertThat(scopes(stack.token("bob", all))).isEqualTo("orders.read orders.write");
        assertThat(scopes(stack.token("alice", all))).isEqualTo("orders.cancel orders.read orders.write");
    }

    @Test
    @DisplayName("05.0 the authorization server's access token: RS256, kid, aud, scope, auth_time, 15 minutes")
    void accessToken() throws Exception {
        Instant before = stack.clock.instant();
        String token = stack.token("bob", "orders.read orders.write");
        Map<String, Object> header = part(token, 0);
        Map<String, Object> claims = part(token, 1);
        assertThat(header).containsEntry("alg", "RS256").containsEntry("kid", stack.authServer.currentKid());
        assertThat(claims).containsEntry("iss", stack.authServer.issuer().toString())
                .containsEntry("aud", stack.mcp.toString()).containsEntry("sub", "bob")
                .containsEntry("scope", "orders.read orders.write");
        long authTime = ((Number) claims.get("auth_time")).longValue();
        assertThat(authTime).isBetween(before.getEpochSecond() - 1, stack.clock.instant().getEpochSecond() + 1);
        assertThat(((Number) claims.get("exp")).longValue() - ((Number) claims.get("iat")).longValue()).isEqualTo(900);
    }

    @Test
    @DisplayName("05.0 a wrong PKCE code_verifier is refused at the token endpoint; the right one redeems the code")
    void pkce() {
        String verifier = AuthorizationCodeFlow.random(32);
        String code = AuthorizationCodeFlow.code(stack.metadata, stack.clientId, stack.mcp, "orders.read",
                AuthorizationCodeFlow.s256(verifier), "carol", stack.authServer.password("carol"));
        assertThatThrownBy(() -> AuthorizationCodeFlow.redeem(stack.metadata, stack.clientId, code,
                AuthorizationCodeFlow.random(32), stack.mcp)).hasMessageContaining("invalid_grant");
        String again = AuthorizationCodeFlow.code(stack.metadata, stack.clientId, stack.mcp, "orders.read",
                AuthorizationCodeFlow.s256(verifier), "carol", stack.authServer.password("carol"));
        assertThat(AuthorizationCodeFlow.redeem(stack.metadata, stack.clientId, again, verifier, stack.mcp).scopes())
                .containsExactly("orders.read");
    }

    // ---- every task together -----------------------------------------------------------------------------------

    @Test
    @DisplayName("05.1-05.5 together: a client discovers, registers and logs in from the 401 alone")
    void discovery() throws Exception {
        AuthorizationCodeFlow.Challenge challenge = AuthorizationCodeFlow.challenge(stack.mcp);
        assertThat(challenge.status()).isEqualTo(401);
        assertThat(challenge.header()).isEqualTo("Bearer realm=\"mcp\", resource_metadata=\"" + metadataUrl + "\", scope=\"orders.read\"");
        AuthorizationCodeFlow.ResourceMetadata resource = AuthorizationCodeFlow.resourceMetadata(URI.create(metadataUrl),
                stack.mcp);
        assertThat(resource.authorizationServer()).isEqualTo(stack.authServer.issuer());
        AuthorizationCodeFlow.ServerMetadata server = AuthorizationCodeFlow.serverMetadata(resource.authorizationServer());
        String clientId = AuthorizationCodeFlow.register(server);
        String all = "orders.read orders.write orders.cancel";
        assertThat(tools(AuthorizationCodeFlow.authorize(server, clientId, stack.mcp, all, "carol",
                stack.authServer.password("carol")).accessToken())).containsExactly("list_orders", "whoami");
        assertThat(tools(stack.token("bob", all))).containsExactly("list_orders", "place_order", "cancel_order", "whoami");
        assertThat(tools(stack.token("alice", all))).containsExactly("list_orders", "place_order", "cancel_order",
                "whoami");
    }

    @Test
    @DisplayName("05.1-05.5 together: carol's 403, bob's own cancel, alice's too-old login and her new one")
    void cancelling() throws Exception {
        try (OrdersClient carol = OrdersClient.connect(stack.mcp, stack.token("carol", "orders.read"))) {
            assertThatThrownBy(() -> carol.call("cancel_order", Map.of("id", 3))).satisfies(refused ->
                    assertThat(OrdersClient.explain(refused)).startsWith("HTTP 403")
                            .contains("scope=\"orders.cancel orders.read\""));
        }
        try (OrdersClient bob = OrdersClient.connect(stack.mcp, stack.token("bob", "orders.read orders.write"))) {
            String placed = OrdersClient.text(bob.call("place_order", Map.of("product", "Binder", "quantity", 3)));
            String id = placed.replaceAll("(?s).*Placed #(\\d+) .*", "$1");
            assertThat(OrdersClient.text(bob.call("cancel_order", Map.of("id", Integer.parseInt(id)))))
                    .startsWith("Cancelled #" + id);
        }
        String alice = stack.token("alice", "orders.read orders.cancel");
        Duration moved = RecentLogin.MAX_AGE.plusMinutes(1);
        stack.clock.advance(moved);
        try {
            try (OrdersClient client = OrdersClient.connect(stack.mcp, alice)) {
                assertThatThrownBy(() -> client.call("cancel_order", Map.of("id", 3))).satisfies(refused ->
                        assertThat(OrdersClient.explain(refused)).startsWith("HTTP 401")
                                .contains("error=\"insufficient_user_authentication\"", "max_age=\"300\""));
                assertThat(OrdersClient.text(client.call("list_orders", Map.of()))).contains("#3 Whiteboard marker");
            }
            try (OrdersClient client = OrdersClient.connect(stack.mcp, stack.token("alice", "orders.read orders.cancel"))) {
                assertThat(OrdersClient.text(client.call("cancel_order", Map.of("id", 3))))
                        .startsWith("Cancelled #3 Whiteboard marker");
            }
        } finally {
            stack.clock.advance(moved.negated());
        }
    }

    @Test
    @DisplayName("05.1-05.5 together: forged, misdirected and expired tokens get 401; the real one passes")
    void refusedTokens() throws Exception {
        String alice = stack.token("alice", "orders.read");
        Map<String, Object> claims = part(alice, 1);
        String kid = stack.authServer.currentKid();
        String hs256 = Jwts.builder().header().keyId(kid).and().claims(claims)
                .signWith(Keys.hmacShaKeyFor(publishedKey(kid).getEncoded()), Jwts.SIG.HS256).compact();
        assertInvalid(hs256, "The access token is not a JWT signed with RS256");
        URI localhost = URI.create("http://localhost:" + stack.mcp.getPort() + "/mcp");
        String other;
        try {
            stack.authServer.resource(localhost);
            other = stack.token("alice", "orders.read", localhost);
        } finally {
            stack.authServer.resource(stack.mcp);
        }
        assertInvalid(other, "The access token is for another resource");
        assertThat(RawHttp.initialize(stack.mcp, "Authorization", "Bearer " + alice).statusCode()).isEqualTo(200);
        Duration past = Duration.ofMinutes(16);
        stack.clock.advance(past);
        try {
            assertInvalid(alice, "The access token expired");
        } finally {
            stack.clock.advance(past.negated());
        }
        assertThat(RawHttp.initialize(stack.mcp, "Authorization", "Bearer " + alice).statusCode()).isEqualTo(200);
    }

    @Test
    @DisplayName("05.1-05.5 together: a rotated signing key is picked up; the old key's tokens still pass")
    void rotation() throws Exception {
        String before = stack.token("bob", "orders.read");
        stack.authServer.rotateSigningKey();
        String after = stack.token("bob", "orders.read");
        stack.clock.advance(IssuerKeys.REFETCH_INTERVAL);
        try {
            assertThat(RawHttp.initialize(stack.mcp, "Authorization", "Bearer " + after).statusCode()).isEqualTo(200);
            assertThat(RawHttp.initialize(stack.mcp, "Authorization", "Bearer " + before).statusCode()).isEqualTo(200);
        } finally {
            stack.clock.advance(IssuerKeys.REFETCH_INTERVAL.negated());
        }
    }

    private static void assertInvalid(String token, String description) throws Exception {
        HttpResponse<String> refused = RawHttp.initialize(stack.mcp, "Authorization", "Bearer " + token);
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(401);
        assertThat(RawHttp.challenge(refused)).isEqualTo("Bearer realm=\"mcp\", resource_metadata=\"" + metadataUrl
                + "\", scope=\"orders.read\", error=\"invalid_token\", error_description=\"" + description + "\"");
    }

    private static List<String> tools(String token) {
        try (OrdersClient client = OrdersClient.connect(stack.mcp, token)) {
            return client.toolNames();
        }
    }

    private static String scopes(String token) throws Exception {
        return String.valueOf(part(token, 1).get("scope"));
    }

    private static PublicKey publishedKey(String kid) throws Exception {
        String jwks = RawHttp.get(stack.authServer.issuer().resolve("/oauth2/jwks")).body();
        for (Jwk<?> jwk : Jwks.setParser().build().parse(jwks).getKeys()) {
            if (kid.equals(jwk.getId())) {
                return (PublicKey) jwk.toKey();
            }
        }
        throw new AssertionError("kid " + kid + " is not in " + jwks);
    }

    private static Map<String, Object> part(String token, int index) throws Exception {
        String text = new String(Base64.getUrlDecoder().decode(token.split("\\.")[index]), StandardCharsets.UTF_8);
        return McpJsonDefaults.getMapper().readValue(text, new TypeRef<Map<String, Object>>() {
        });
    }
}
