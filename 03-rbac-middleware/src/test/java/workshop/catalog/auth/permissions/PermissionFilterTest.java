package workshop.catalog.auth.permissions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpResponse;
import java.util.Arrays;
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
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import workshop.catalog.auth.jwt.JwtAuthFilter;
import workshop.catalog.server.Catalog;
import workshop.catalog.server.CatalogServer;
import workshop.catalog.server.Layers;
import workshop.catalog.support.AuthTestServer;
import workshop.catalog.support.RawHttp;
import workshop.catalog.support.TestTokens;

@DisplayName("The permission filter behind the JWT filter, over real HTTP")
class PermissionFilterTest {

    private static final String FORBIDDEN = "Bearer realm=\"mcp\", error=\"insufficient_scope\", scope=\"User.Read\"";
    private static final String FORBIDDEN_BODY = "{\"error\":\"insufficient_scope\",\"error_description\":\"This "
            + "endpoint needs the permission User.Read, which the access token does not grant\"}";
    private static final String GONE = "Bearer realm=\"mcp\", error=\"invalid_token\", "
            + "error_description=\"The user no longer exists or is disabled\"";
    private static final String TOOLS_LIST = "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\"}";

    private static AuthTestServer fixture;
    private static String alice;
    private static String carol;

    @BeforeAll
    static void start() throws Exception {
        fixture = AuthTestServer.start();
        alice = fixture.login("alice").accessToken();
        carol = fixture.login("carol").accessToken();
    }

    @AfterAll
    static void stop() throws Exception {
        fixture.close();
    }

    /** Every refusal below is paired with this: on the same server, alice's token opens a session. */
    private static void assertAliceIsAllowed(AuthTestServer server) throws Exception {
        assertAllowed(server.mcp, server.login("alice").accessToken());
    }

    private static void assertAllowed(URI endpoint, String token) throws Exception {
        HttpResponse<String> response = RawHttp.initialize(endpoint, "Authorization", "Bearer " + token);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("Mcp-Session-Id")).isPresent();
        assertThat(response.body()).contains("\"serverInfo\"");
    }

    private static void assertRefused(HttpResponse<String> response, int status, String challenge) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(RawHttp.challenge(response)).isEqualTo(challenge);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        assertThat(response.headers().firstValue("Mcp-Session-Id")).isEmpty();
        assertThat(response.body()).doesNotContain("Exception", "\tat ", "workshop.", fixture.secret);
    }

    /** A good token for the subject, signed with the fixture's key, with these permissions (null: no such claim). */
    private static String token(String subject, Object permissions) throws Exception {
        Map<String, Object> claims = TestTokens.claims(fixture.clock.instant());
        claims.put("sub", subject);
        if (permissions == null) {
            claims.remove("permissions");
        } else {
            claims.put("permissions", permissions);
        }
        return TestTokens.sign(TestTokens.header(), claims, fixture.secret);
    }

    @Test
    @DisplayName("alice and bob, who have User.Read, open an MCP session (200 and a session id)")
    void usersWithTheReadPermissionAreAllowed() throws Exception {
        assertAllowed(fixture.mcp, alice);
        assertAllowed(fixture.mcp, fixture.login("bob").accessToken());
    }

    @Test
    @DisplayName("carol, logged in but with only Guest.Read, gets 403 insufficient_scope with scope=\"User.Read\"; alice passes")
    void missingPermissionIsForbidden() throws Exception {
        HttpResponse<String> response = fixture.initialize(carol);
        assertRefused(response, 403, FORBIDDEN);
        assertThat(response.body()).isEqualTo(FORBIDDEN_BODY);
        assertAliceIsAllowed(fixture);
    }

    @Test
    @DisplayName("carol is refused on every request to /mcp: tools/list, GET and DELETE with a session id get 403 too")
    void everyRequestIsChecked() throws Exception {
        HttpResponse<String> opened = fixture.initialize(alice);
        String session = opened.headers().firstValue("Mcp-Session-Id").orElseThrow();
        // Carol cannot open a session of her own, and alice's is alice's alone (404, see SessionBindingTest):
        // any other id shows that the permission check runs on every request, not only on initialize.
        String someSession = "0b9d6c8e-5a7f-4f3e-9d4a-1c2b3a4d5e6f";

        assertRefused(RawHttp.post(fixture.mcp, TOOLS_LIST, "Authorization", "Bearer " + carol, "Mcp-Session-Id",
                someSession), 403, FORBIDDEN);
        for (String method : List.of("GET", "DELETE")) {
            assertRefused(RawHttp.send(method, fixture.mcp, null, null, "Authorization", "Bearer " + carol,
                    "Mcp-Session-Id", someSession, "Accept", "text/event-stream"), 403, FORBIDDEN);
        }
        HttpResponse<String> listed = RawHttp.post(fixture.mcp, TOOLS_LIST, "Authorization", "Bearer " + alice,
                "Mcp-Session-Id", session);
        assertThat(listed.statusCode()).isEqualTo(200);
        assertThat(listed.body()).contains("\"whoami\"");
    }

    @Test
    @DisplayName("a valid token with an empty permissions array gets 403 insufficient_scope; the same token with User.Read passes")
    void emptyPermissionsAreForbidden() throws Exception {
        assertRefused(fixture.initialize(token("bob", List.of())), 403, FORBIDDEN);
        assertAllowed(fixture.mcp, token("bob", List.of("User.Read")));
    }

    @Test
    @DisplayName("permission names are case-sensitive: user.read is not User.Read")
    void permissionNamesAreCaseSensitive() throws Exception {
        assertRefused(fixture.initialize(token("bob", List.of("user.read", "USER.READ"))), 403,
                FORBIDDEN);
        assertAliceIsAllowed(fixture);
    }

    @ParameterizedTest(name = "{0}, who got {1} before")
    @CsvSource({"bob, 200", "carol, 403"})
    @DisplayName("a disabled user's unexpired token, verified and remembered already, gets 401 invalid_token at once, before the permission is looked at; enabled again, it works as before")
    void disabledUser(String username, int before) throws Exception {
        try (AuthTestServer own = AuthTestServer.start()) {
            String token = own.login(username).accessToken();
            assertThat(own.initialize(token).statusCode()).isEqualTo(before);
            // The token cache only remembers what the token says; whether the account is usable is asked every time.
            assertThat(own.tokens.remembers(token)).isTrue();

            own.users.directory.setEnabled(username, false);
            assertRefused(own.initialize(token), 401, GONE);
            assertAliceIsAllowed(own);

            own.users.directory.setEnabled(username, true);
            assertThat(own.initialize(token).statusCode()).isEqualTo(before);
        }
    }

    @Test
    @DisplayName("an open session stops at the next request once its user is disabled")
    void disabledUserLosesAnOpenSession() throws Exception {
        try (AuthTestServer own = AuthTestServer.start()) {
            String bob = own.login("bob").accessToken();
            String session = own.initialize(bob).headers().firstValue("Mcp-Session-Id").orElseThrow();
            assertThat(RawHttp.post(own.mcp, TOOLS_LIST, "Authorization", "Bearer " + bob, "Mcp-Session-Id", session)
                    .statusCode()).isEqualTo(200);

            own.users.directory.setEnabled("bob", false);
            assertRefused(RawHttp.post(own.mcp, TOOLS_LIST, "Authorization", "Bearer " + bob, "Mcp-Session-Id",
                    session), 401, GONE);
            assertAliceIsAllowed(own);
        }
    }

    @Test
    @DisplayName("a validly signed token for a user who is not in the directory (deleted, or never there) gets 401 invalid_token")
    void unknownSubject() throws Exception {
        for (String subject : List.of("mallory", "Bob", "bob ")) {
            assertRefused(fixture.initialize(token(subject, List.of("User.Read"))), 401, GONE);
        }
        assertAllowed(fixture.mcp, token("bob", List.of("User.Read")));
    }

    static Stream<Arguments> badPermissionClaims() {
        String notAnArray = "The token's permissions claim is not an array of strings";
        return Stream.of(
                Arguments.of("a string", "User.Read", notAnArray),
                Arguments.of("a space-separated string, OAuth scope style", "User.Read User.Write", notAnArray),
                Arguments.of("a number", 1, notAnArray),
                Arguments.of("a boolean", true, notAnArray),
                Arguments.of("an object", Map.of("User.Read", true), notAnArray),
                Arguments.of("an array with a number", List.of("User.Read", 42), notAnArray),
                Arguments.of("an array with null", Arrays.asList("User.Read", null), notAnArray),
                Arguments.of("an array of arrays", List.of(List.of("User.Read")), notAnArray),
                Arguments.of("missing", null, "The token has no permissions claim"));
    }

    @ParameterizedTest(name = "permissions {0}: 401 invalid_token")
    @MethodSource("badPermissionClaims")
    @DisplayName("a permissions claim that is not an array of strings gets 401 invalid_token with a fixed description, never a 500")
    void badPermissionClaim(String shape, Object value, String description) throws Exception {
        HttpResponse<String> response = fixture.initialize(token("bob", value));
        assertRefused(response, 401, "Bearer realm=\"mcp\", error=\"invalid_token\", error_description=\""
                + description + "\"");
        assertThat(response.body()).isEqualTo("{\"error\":\"invalid_token\",\"error_description\":\"" + description
                + "\"}");
        assertAllowed(fixture.mcp, token("bob", List.of("User.Read", "User.Write")));
    }

    @Test
    @DisplayName("a claim of null permissions gets 401 like a missing one")
    void nullPermissionClaim() throws Exception {
        Map<String, Object> claims = TestTokens.claims(fixture.clock.instant());
        claims.put("permissions", null);
        String token = TestTokens.sign(TestTokens.header(), claims, fixture.secret);
        HttpResponse<String> response = fixture.initialize(token);
        assertRefused(response, 401, "Bearer realm=\"mcp\", error=\"invalid_token\", "
                + "error_description=\"The token has no permissions claim\"");
        assertAliceIsAllowed(fixture);
    }

    @Test
    @DisplayName("carol's token with User.Read written into its payload (signature kept) gets 401, not access")
    void forgedPermission() throws Exception {
        String[] parts = carol.split("\\.");
        String payload = TestTokens.decode(parts[1]).replace("[\"Guest.Read\"]", "[\"Guest.Read\",\"User.Read\"]");
        assertThat(payload).contains("User.Read");
        assertRefused(fixture.initialize(parts[0] + "." + TestTokens.encode(payload) + "." + parts[2]), 401,
                "Bearer realm=\"mcp\", error=\"invalid_token\", "
                        + "error_description=\"The token signature is not valid\"");
        assertAliceIsAllowed(fixture);
    }

    @Test
    @DisplayName("the filter takes the permission it requires: built for Admin.Write it admits alice and refuses bob with scope=\"Admin.Write\"")
    void requiredPermissionIsAParameter() throws Exception {
        try (CatalogServer admin = CatalogServer.start("127.0.0.1", 0, Catalog.seeded(), Set.of(), Layers.NONE
                .filter(new JwtAuthFilter(fixture.tokens))
                .filter(new PermissionFilter(fixture.users.directory, "Admin.Write"))
                .context(Caller::transportContext)
                .tool(WhoAmI.tool()))) {
            assertAllowed(admin.endpoint(), alice);
            assertRefused(RawHttp.initialize(admin.endpoint(), "Authorization", "Bearer "
                    + fixture.login("bob").accessToken()), 403,
                    "Bearer realm=\"mcp\", error=\"insufficient_scope\", scope=\"Admin.Write\"");
        }
    }

    @Test
    @DisplayName("the same server built without the permission filter lets carol in: the layer is a parameter")
    void serverWithoutTheLayer() throws Exception {
        try (CatalogServer jwtOnly = CatalogServer.start("127.0.0.1", 0, Catalog.seeded(), Set.of(), Layers.NONE
                .filter(new JwtAuthFilter(fixture.tokens))
                .context(Caller::transportContext)
                .tool(WhoAmI.tool()))) {
            assertAllowed(jwtOnly.endpoint(), carol);
        }
        assertRefused(fixture.initialize(carol), 403, FORBIDDEN);
    }

    @Test
    @DisplayName("a permission filter with no JWT filter in front refuses every request with 401 (it fails closed)")
    void withoutJwtFilterInFront() throws Exception {
        try (CatalogServer misWired = CatalogServer.start("127.0.0.1", 0, Catalog.seeded(), Set.of(), Layers.NONE
                .filter(new PermissionFilter(fixture.users.directory, PermissionFilter.USER_READ))
                .context(Caller::transportContext)
                .tool(WhoAmI.tool()))) {
            assertRefused(RawHttp.initialize(misWired.endpoint(), "Authorization", "Bearer " + alice), 401,
                    "Bearer realm=\"mcp\"");
        }
        assertAliceIsAllowed(fixture);
    }

    @Test
    @DisplayName("a permission that would not fit the quoted scope=\"...\" parameter is refused when the filter is built")
    void permissionNameIsChecked() {
        for (String name : Arrays.asList("User Read", "User\"Read", "User\\Read", "", "Zugriff.Lesen\u00e9", null)) {
            assertThatThrownBy(() -> new PermissionFilter(fixture.users.directory, name)).as(String.valueOf(name))
                    .isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(new PermissionFilter(fixture.users.directory, "Admin.Write")).isNotNull();
    }
}
