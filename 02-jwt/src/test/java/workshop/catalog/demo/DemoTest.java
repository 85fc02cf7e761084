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
    @DisplayName("shows login, the token's parts, tools, a transparent refresh, reuse detection, forged tokens and a disabled account")
    void transcript() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Config config = Config.from(Map.of());
        int exit = Demo.run(new PrintStream(bytes, true, StandardCharsets.UTF_8), config);
        String transcript = bytes.toString(StandardCharsets.UTF_8);

        assertThat(exit).as(transcript).isZero();
        assertThat(transcript)
                .contains("1. A client with no token connects")
                .contains("refused: HTTP 401, WWW-Authenticate: Bearer realm=\"mcp\"\n")
                .contains("2. bob logs in with a wrong password")
                .contains("HTTP 400 invalid_grant: The username or password is not valid")
                .contains("3. bob logs in")
                .contains("200: an access token for 15 minutes and a refresh token")
                .contains("header:    {\"typ\":\"at+jwt\",\"alg\":\"HS256\"}")
                .containsPattern("payload: +\\{\"iss\":\"catalog-auth\",\"aud\":\\[\"catalog-mcp\"\\],\"sub\":\"bob\","
                        + "\"name\":\"Bob\",\"iat\":\\d+,\"exp\":\\d+,\"jti\":\"[0-9a-f-]{36}\"\\}")
                .contains("list_products, create_product, delete_product")
                .contains("#1 Laptop ($1299.00)")
                .contains("Created #4 Desk lamp ($24.90)")
                .contains("-> resources/read catalog://products")
                .contains("error_description=\"The access token expired\"")
                .contains("so the client called /auth/refresh (refreshes: 1) and sent the call again")
                .contains("The refresh token was already used; every token of this login is now revoked")
                .contains("The refresh token was revoked; log in again")
                .contains("and the refresh failed: /auth/refresh answered HTTP 400 invalid_grant")
                .contains("error_description=\"The token signature is not valid\"")
                .contains("error_description=\"The token must be a JWT signed with HS256\"")
                .contains("The user no longer exists or is disabled")
                .contains("Demo finished: every request ended as expected.")
                .doesNotContain("UNEXPECTED")
                .doesNotContain(config.secret());
    }
}
