package workshop.catalog.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import workshop.catalog.Config;

@DisplayName("The demo transcript")
class DemoTest {

    @Test
    @DisplayName("shows alice and bob allowed and seen by whoami, the endpoint-wide limit, carol's 403, a forged permission, bob disabled mid-session and a refresh")
    void transcript() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Config config = Config.from(Map.of());
        int exit = Demo.run(new PrintStream(bytes, true, StandardCharsets.UTF_8), config);
        String transcript = bytes.toString(StandardCharsets.UTF_8);

        assertThat(exit).as(transcript).isZero();
        assertThat(transcript)
                .contains("1. A client with no token connects")
                .contains("refused: HTTP 401, WWW-Authenticate: Bearer realm=\"mcp\"\n")
                .contains("2. alice logs in")
                .containsPattern("\\{\"iss\":\"catalog-auth\",\"aud\":\\[\"catalog-mcp\"\\],\"sub\":\"alice\","
                        + "\"name\":\"Alice\",\"permissions\":\\[\"Admin.Write\",\"User.Read\",\"User.Write\"\\],"
                        + "\"iat\":\\d+,\"exp\":\\d+,\"jti\":\"[0-9a-f-]{36}\"\\}")
                .contains("list_products, create_product, delete_product, whoami")
                .contains("You are Alice (alice), with the permissions Admin.Write, User.Read, User.Write.")
                .contains("3. bob logs in")
                .contains("You are Bob (bob), with the permissions User.Read, User.Write.")
                .contains("Created #4 Desk lamp ($24.90)")
                .contains("-> resources/read catalog://products")
                .contains("4. The filter guards the endpoint, not each tool")
                .contains("Deleted #1 Laptop ($1299.00)")
                .contains("5. carol logs in")
                .contains("refused: HTTP 403, WWW-Authenticate: Bearer realm=\"mcp\", error=\"insufficient_scope\", "
                        + "scope=\"User.Read\"\n")
                .contains("6. carol adds User.Read")
                .contains("error_description=\"The token signature is not valid\"")
                .contains("7. bob's account is disabled")
                .contains("refused: the server refused the access token (Bearer realm=\"mcp\", error=\"invalid_token\", "
                        + "error_description=\"The user no longer exists or is disabled\") and the refresh failed")
                .contains("refused: HTTP 401, WWW-Authenticate: Bearer realm=\"mcp\", error=\"invalid_token\", "
                        + "error_description=\"The user no longer exists or is disabled\"\n")
                .contains("HTTP 400 invalid_grant: The username or password is not valid")
                .contains("so the client called /auth/refresh (refreshes: 1) and sent the call again")
                .contains("Demo finished: every request ended as expected.")
                .doesNotContain("UNEXPECTED")
                .doesNotContain(config.secret());
    }
}
