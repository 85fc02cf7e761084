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
import workshop.orders.auth.pertool.EndpointFilterTest;
import workshop.orders.server.Layers;
import workshop.orders.server.Orders;
import workshop.orders.server.OrdersServer;
import workshop.orders.support.AuthTestServer;
import workshop.orders.support.RawHttp;
import workshop.orders.support.TestTokens;
import workshop.orders.support.TestUsers;

/**
 * Exercise 03's PermissionFilter over real HTTP, already working (04.0) when built with a permission: on a
 * server with JwtAuthFilter and the PermissionFilter (User.Read), with tokens the test signs. Each refusal
 * is checked next to alice's good token on the same server. Task 04.5, the filter built without a
 * permission, is graded in {@link EndpointFilterTest}.
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
    @DisplayName("04.0 with User.Read required, carol (Guest.Read) gets 403 insufficient_scope; alice, bob pass")
    void given_carolIsForbidden() throws Exception {
        HttpResponse<String> carol = initialize(fixture, fixture.token("carol"));
        assertRefused(carol, 403, INSUFFICIENT_SCOPE, "insufficient_scope");
        assertThat(carol.body()).contains("User.Read").doesNotContain(fixture.token("carol"));
        assertAliceIsAccepted();
        assertPasses(fixture, "bob");
    }

    @Test
    @DisplayName("04.0 a token with no permissions, or a near miss, gets 403 insufficient_scope")
    void given_otherPermissionsAreNotEnough() throws Exception {
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
    @DisplayName("04.0 every MCP message needs User.Read, not only initialize")
    void given_everyMessageIsChecked() throws Exception {
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
    @DisplayName("04.0 a disabled user's still-valid token gets 401 invalid_token; enabled again, it passes")
    void given_disabledUser() throws Exception {
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
    @DisplayName("04.0 a valid token of a user who does not exist gets 401 invalid_token")
    void given_unknownUser() throws Exception {
        Map<String, Object> claims = TestTokens.claimsFor("mallory", fixture.clock.instant());
        claims.put("scope", "Admin.Write User.Read User.Write");
        HttpResponse<String> response = initialize(fixture, TestTokens.sign(TestTokens.header(), claims,
                fixture.keys));
        assertRefused(response, 401, invalidToken(GONE), "invalid_token");
        assertAliceIsAccepted();
    }

    @Test
    @DisplayName("04.0 the account is checked before the permission: disabled carol gets 401, not 403")
    void given_accountBeforePermission() throws Exception {
        try (AuthTestServer own = AuthTestServer.withPermissionFilter()) {
            own.users.directory.setEnabled("carol", false);
            HttpResponse<String> carol = initialize(own, own.token("carol"));
            assertThat(carol.statusCode()).isEqualTo(401);
            assertThat(RawHttp.challenge(carol)).isEqualTo(invalidToken(GONE));
            assertPasses(own, "alice");
        }
    }

    @Test
    @DisplayName("04.0 a PermissionFilter without a verified caller in front refuses with 401")
    void given_noCaller() throws Exception {
        TestUsers users = new TestUsers();
        try (OrdersServer misconfigured = OrdersServer.start("127.0.0.1", 0, Orders.seeded(), Set.of(), Layers.NONE
                .filter(new PermissionFilter(users.directory, "User.Read"))
                .context(Caller::transportContext)
                .tool(WhoAmI.tool()))) {
            HttpResponse<String> response = RawHttp.initialize(misconfigured.endpoint(), "Authorization",
                    "Bearer " + fixture.token("alice"));
            assertThat(response.statusCode()).isEqualTo(401);
            assertThat(RawHttp.challenge(response)).isEqualTo("Bearer realm=\"mcp\"");
        }
        assertAliceIsAccepted();
    }

    @Test
    @DisplayName("04.0 a permission name that cannot go into the challenge is refused at build time")
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
    @DisplayName("04.0 a scope claim that is not names separated by single spaces gets 401 invalid_token")
    void given_badScopeClaims(String name, Object scope, String description) throws Exception {
        try (AuthTestServer jwt = AuthTestServer.start()) {
            Map<String, Object> claims = TestTokens.claimsFor("alice", jwt.clock.instant());
            claims.put("scope", scope);
            HttpResponse<String> response = initialize(jwt, TestTokens.sign(TestTokens.header(), claims, jwt.keys));
            assertThat(response.statusCode()).as("scope " + name).isEqualTo(401);
            assertThat(RawHttp.challenge(response)).isEqualTo(invalidToken(description));
            assertPasses(jwt, "alice");
        }
    }
}
