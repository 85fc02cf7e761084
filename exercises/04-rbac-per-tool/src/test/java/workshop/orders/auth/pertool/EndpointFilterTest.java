package workshop.orders.auth.pertool;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import workshop.orders.support.AuthTestServer;
import workshop.orders.support.RawHttp;
import workshop.orders.support.TestPermissions;
import workshop.orders.support.TestTokens;

/**
 * Task 04.5 over real HTTP: the PermissionFilter built without a permission, behind JwtAuthFilter and with
 * no feature guard, so it is graded whatever state 04.1 to 04.4 are in. Each refusal is checked next to a
 * token that passes on the same server.
 */
@DisplayName("The endpoint filter of step 04: a valid token of an existing, enabled user")
public class EndpointFilterTest {

    private static final String GONE = "Bearer realm=\"mcp\", error=\"invalid_token\", "
            + "error_description=\"The user no longer exists or is disabled\"";

    private static HttpResponse<String> initialize(AuthTestServer server, String token) throws Exception {
        return RawHttp.initialize(server.mcp, "Authorization", "Bearer " + token);
    }

    @Test
    @DisplayName("04.5 every enabled demo user opens a session, carol and a token without permissions too")
    void task04_5_everyEnabledUserGetsIn() throws Exception {
        try (AuthTestServer fixture = AuthTestServer.withEndpointFilter()) {
            for (String username : TestPermissions.USERS) {
                HttpResponse<String> response = initialize(fixture, fixture.token(username));
                assertThat(response.statusCode()).as(username + ": " + response.body()).isEqualTo(200);
                assertThat(response.body()).contains("\"serverInfo\"");
            }
            Map<String, Object> claims = TestTokens.claimsFor("bob", fixture.clock.instant());
            claims.put("scope", "");
            assertThat(initialize(fixture, TestTokens.sign(TestTokens.header(), claims, fixture.keys)).statusCode())
                    .as("bob, with no permissions in the token (scope ''), opens a session").isEqualTo(200);
        }
    }

    @Test
    @DisplayName("04.5 the account is still checked on every request: disabled or unknown users get 401")
    void task04_5_accountStillChecked() throws Exception {
        try (AuthTestServer fixture = AuthTestServer.withEndpointFilter()) {
            fixture.users.directory.setEnabled("carol", false);
            HttpResponse<String> disabled = initialize(fixture, fixture.token("carol"));
            assertThat(disabled.statusCode()).as("carol, disabled, opens a session: " + disabled.body()).isEqualTo(401);
            assertThat(RawHttp.challenge(disabled)).isEqualTo(GONE);
            HttpResponse<String> unknown = initialize(fixture, fixture.token("nobody"));
            assertThat(unknown.statusCode()).as("a valid token of a user not in the directory: " + unknown.body())
                    .isEqualTo(401);
            assertThat(RawHttp.challenge(unknown)).isEqualTo(GONE);

            fixture.users.directory.setEnabled("carol", true);
            assertThat(initialize(fixture, fixture.token("carol")).statusCode()).as("carol, enabled again")
                    .isEqualTo(200);
        }
    }
}
