package workshop.orders.auth.permissions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import workshop.orders.client.OrdersClient;
import workshop.orders.server.Layers;
import workshop.orders.server.Orders;
import workshop.orders.server.OrdersServer;
import workshop.orders.support.AuthTestServer;
import workshop.orders.support.RawHttp;
import workshop.orders.support.StandInCaller;
import workshop.orders.support.TestTokens;
import workshop.orders.support.TestUsers;

/**
 * Tasks 03.3 and 03.4 over real HTTP, on a server with JwtAuthFilter, {@link StandInCaller} and the
 * PermissionFilter (User.Read), with tokens the test signs: graded whatever state 03.1, 03.2 and 03.5 are in.
 * Each refusal is checked next to alice's good token on the same server, so a filter that refuses
 * everything earns nothing. The scope-claim matrix (03.5) runs on the JWT filter alone; the tests
 * named "together" use the layers of Main and tokens from /auth/token.
 */
@DisplayName("The permission filter in front of /mcp, over real HTTP")
class PermissionFilterTest {

    private static final String INSUFFICIENT_SCOPE =
            "Bearer realm=\"mcp\", error=\"insufficient_scope\", scope=\"User.Read\"";
    private static final String GONE = "The user no longer exists or is disabled";

    private static AuthTestServer fixture;
    private static URI mcp;

    @BeforeAll
    static void start() throws Exception {
        fixture = AuthTestServer.withPermissionFilter();
        mcp = fixture.mcp;
    }

    @AfterAll
    static void stop() throws Exception {
        fixture.close();
    }

    private static HttpResponse<String> initialize(AuthTestServer server, String token) throws Exception {
        return RawHttp.initialize(server.mcp, "Authorization", "Bearer " + token);
    }

    private static void assertPasses(AuthTestServer server, String username) throws Exception {
        HttpResponse<String> response = initialize(server, server.token(username));
        assertThat(response.statusCode()).as("a good token of " + username + " must open a session").isEqualTo(200);
        assertThat(response.body()).contains("\"serverInfo\"");
    }

    private static void assertAliceIsAccepted() throws Exception {
        assertPasses(fixture, "alice");
    }

    private static String invalidToken(String description) {
        return "Bearer realm=\"mcp\", error=\"invalid_token\", error_description=\"" + description + "\"";
    }

    private static void assertRefused(HttpResponse<String> response, int status, String challenge, String error) {
        assertThat(response.statusCode()).as("HTTP status").isEqualTo(status);
        assertThat(RawHttp.challenge(response)).as("WWW-Authenticate").isEqualTo(challenge);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        assertThat(response.body()).contains("\"error\":\"" + error + "\"").doesNotContain("Exception")
                .doesNotContain(fixture.privateKeyText());
        assertThat(response.headers().firstValue("Mcp-Session-Id")).as("no session for a refused request").isEmpty();
    }

    @Test
    @DisplayName("03.4 carol (Guest.Read only) gets 403 with the insufficient_scope challenge; alice and bob pass")
    void task03_4_carolIsForbidden() throws Exception {
        HttpResponse<String> carol = initialize(fixture, fixture.token("carol"));
        assertRefused(carol, 403, INSUFFICIENT_SCOPE, "insufficient_scope");
        assertThat(carol.body()).contains("User.Read").doesNotContain(fixture.token("carol"));
        assertAliceIsAccepted();
        assertPasses(fixture, "bob");
    }

    @Test
    @DisplayName("03.4 a token with no permissions, or a near miss of User.Read, gets 403 insufficient_scope")
    void task03_4_otherPermissionsAreNotEnough() throws Exception {
        for (String granted : List.of("", "user.read", "User.Readonly", "User.Write Admin.Write")) {
            Map<String, Object> claims = TestTokens.claimsFor("alice", fixture.clock.instant());
            claims.put("scope", granted);
            String token = TestTokens.sign(TestTokens.header(), claims, fixture.keys);
            HttpResponse<String> response = initialize(fixture, token);
            assertThat(response.statusCode()).as("scope '" + granted + "'").isEqualTo(403);
            assertThat(RawHttp.challenge(response)).as("scope '" + granted + "'").isEqualTo(INSUFFICIENT_SCOPE);
        }
        assertAliceIsAccepted();
    }

    @Test
    @DisplayName("03.4 every MCP message needs User.Read, not only initialize: carol's tools/list gets 403")
    void task03_4_everyMessageIsChecked() throws Exception {
        HttpResponse<String> opened = initialize(fixture, fixture.token("alice"));
        assertThat(opened.statusCode()).isEqualTo(200);
        assertThat(opened.headers().firstValue("Mcp-Session-Id")).isPresent();
        // Not alice's session: that one answers only alice (404 for anyone else, SessionBindingTest).
        String session = "0b9d6c8e-5a7f-4f3e-9d4a-1c2b3a4d5e6f";
        String list = "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\"}";
        HttpResponse<String> carol = RawHttp.post(mcp, list, "Authorization", "Bearer " + fixture.token("carol"),
                "Mcp-Session-Id", session, "Mcp-Protocol-Version", "2025-06-18");
        assertThat(carol.statusCode()).isEqualTo(403);
        assertThat(RawHttp.challenge(carol)).isEqualTo(INSUFFICIENT_SCOPE);
        assertAliceIsAccepted();
    }

    @Test
    @DisplayName("03.3 a disabled user's still-valid token gets 401 invalid_token; enabled again, it passes")
    void task03_3_disabledUser() throws Exception {
        try (AuthTestServer own = AuthTestServer.withPermissionFilter()) {
            String bob = own.token("bob");
            assertThat(initialize(own, bob).statusCode()).as("bob, enabled").isEqualTo(200);
            own.users.directory.setEnabled("bob", false);
            HttpResponse<String> disabled = initialize(own, bob);
            assertThat(disabled.statusCode()).as("bob, disabled").isEqualTo(401);
            assertThat(RawHttp.challenge(disabled)).isEqualTo(invalidToken(GONE));
            assertThat(disabled.body()).contains("\"error\":\"invalid_token\"");
            assertPasses(own, "alice");
            own.users.directory.setEnabled("bob", true);
            assertThat(initialize(own, bob).statusCode()).as("bob, enabled again").isEqualTo(200);
        }
    }

    @Test
    @DisplayName("03.3 a validly signed token for a user who does not exist gets 401 invalid_token")
    void task03_3_unknownUser() throws Exception {
        Map<String, Object> claims = TestTokens.claimsFor("mallory", fixture.clock.instant());
        claims.put("scope", "Admin.Write User.Read User.Write");
        HttpResponse<String> response = initialize(fixture, TestTokens.sign(TestTokens.header(), claims,
                fixture.keys));
        assertRefused(response, 401, invalidToken(GONE), "invalid_token");
        assertAliceIsAccepted();
    }

    @Test
    @DisplayName("03.3 the account is checked before the permission: disabled carol gets 401, not 403")
    void task03_3_accountBeforePermission() throws Exception {
        try (AuthTestServer own = AuthTestServer.withPermissionFilter()) {
            own.users.directory.setEnabled("carol", false);
            HttpResponse<String> carol = initialize(own, own.token("carol"));
            assertThat(carol.statusCode()).isEqualTo(401);
            assertThat(RawHttp.challenge(carol)).isEqualTo(invalidToken(GONE));
            assertPasses(own, "alice");
        }
    }

    @Test
    @DisplayName("03.3 a PermissionFilter with no verified caller in front refuses with 401 and the bare challenge")
    void task03_3_noCaller() throws Exception {
        TestUsers users = new TestUsers();
        try (OrdersServer misconfigured = OrdersServer.start("127.0.0.1", 0, Orders.seeded(), Set.of(), Layers.NONE
                .filter(new PermissionFilter(users.directory, PermissionFilter.USER_READ))
                .tool(WhoAmI.tool()))) {
            HttpResponse<String> response = RawHttp.initialize(misconfigured.endpoint(), "Authorization",
                    "Bearer " + fixture.token("alice"));
            assertThat(response.statusCode()).isEqualTo(401);
            assertThat(RawHttp.challenge(response)).isEqualTo("Bearer realm=\"mcp\"");
        }
        assertAliceIsAccepted();
    }

    @Test
    @DisplayName("03.0 a PermissionFilter refuses a permission name that cannot go into the challenge")
    void given_permissionNameIsChecked() throws Exception {
        TestUsers users = new TestUsers();
        for (String bad : List.of("", "User Read", "User\"Read", "User\\Read")) {
            assertThatThrownBy(() -> new PermissionFilter(users.directory, bad))
                    .as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    static Stream<Arguments> badScopeClaims() {
        String notAString = "The token's scope claim is not a string";
        String notSpaced = "The token's scope claim is not names separated by single spaces";
        return Stream.of(
                Arguments.of("an array of names, as the lesson's permissions", List.of("Admin.Write", "User.Read"),
                        notAString),
                Arguments.of("a number", 7, notAString),
                Arguments.of("an object", Map.of("User.Read", true), notAString),
                Arguments.of("names separated by two spaces", "Admin.Write  User.Read", notSpaced),
                Arguments.of("names separated by a tab", "Admin.Write\tUser.Read", notSpaced));
    }

    @ParameterizedTest(name = "scope {0}")
    @MethodSource("badScopeClaims")
    @DisplayName("03.5 over HTTP, a token with a malformed scope claim gets 401 invalid_token, saying why")
    void task03_5_badScopeClaims(String name, Object scope, String description) throws Exception {
        try (AuthTestServer jwt = AuthTestServer.start()) {
            Map<String, Object> claims = TestTokens.claimsFor("alice", jwt.clock.instant());
            claims.put("scope", scope);
            HttpResponse<String> response = initialize(jwt, TestTokens.sign(TestTokens.header(), claims, jwt.keys));
            assertThat(response.statusCode()).as("scope " + name).isEqualTo(401);
            assertThat(RawHttp.challenge(response)).isEqualTo(invalidToken(description));
            assertPasses(jwt, "alice");
        }
    }

    @Test
    @DisplayName("03.1-03.4 together: the layers of Main with tokens from /auth/token, for alice, bob and carol")
    void tasks03_1to4_realServer() throws Exception {
        try (AuthTestServer full = AuthTestServer.full()) {
            for (String username : List.of("alice", "bob")) {
                assertThat(full.initialize(full.login(username).accessToken()).statusCode()).as(username)
                        .isEqualTo(200);
            }
            HttpResponse<String> carol = full.initialize(full.login("carol").accessToken());
            assertThat(carol.statusCode()).as("carol").isEqualTo(403);
            assertThat(RawHttp.challenge(carol)).isEqualTo(INSUFFICIENT_SCOPE);

            String bob = full.login("bob").accessToken();
            try (OrdersClient client = OrdersClient.connect(full.mcp, new OrdersClient.Tokens(bob, null))) {
                assertThat(OrdersClient.text(client.call("whoami", Map.of())))
                        .isEqualTo("You are Bob (bob), with the permissions User.Read, User.Write.");
            }
            full.users.directory.setEnabled("bob", false);
            HttpResponse<String> disabled = full.initialize(bob);
            assertThat(disabled.statusCode()).as("bob, disabled").isEqualTo(401);
            assertThat(RawHttp.challenge(disabled)).isEqualTo(invalidToken(GONE));
            full.users.directory.setEnabled("bob", true);
            assertThat(full.initialize(bob).statusCode()).as("bob, enabled again").isEqualTo(200);
        }
    }
}
