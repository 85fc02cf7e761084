package workshop.orders.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import workshop.orders.Config;
import workshop.orders.support.TestUsers;

@DisplayName("The demo transcript")
class DemoTest {

    @Test
    @DisplayName("02.1-02.6 together: the demo's transcript, from login to a disabled account")
    void tasks02_1to6_demoTranscript() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Config config = Config.from(Map.of());
        // The users of users.json with a low work factor: the demo's logins cost microseconds, not seconds.
        int exit = Demo.run(new PrintStream(bytes, true, StandardCharsets.UTF_8), config, new TestUsers().directory);
        String transcript = bytes.toString(StandardCharsets.UTF_8);

        assertThat(transcript)
                .as("the demo shows login, the token's parts, a transparent refresh, reuse detection, forged tokens"
                        + " and a disabled account")
                .contains("1. A client with no token connects")
                .contains("refused: HTTP 401, WWW-Authenticate: Bearer realm=\"mcp\"\n")
                .contains("2. bob logs in with a wrong password")
                .contains("HTTP 400 invalid_grant: The username or password is not valid")
                .contains("200: an access token for 15 minutes and a refresh token")
                .containsPattern("header: +\\{.*\"alg\":\"ES256\"")
                .containsPattern("header: +\\{.*\"typ\":\"at\\+jwt\"")
                .containsPattern("payload: +\\{.*\"iss\":\"orders-auth\"")
                .containsPattern("payload: +\\{.*\"sub\":\"bob\"")
                .contains("list_orders, place_order, cancel_order")
                .contains("Placed #4 Desk lamp x 3")
                .contains("Cancelled #2 Stapler x 2")
                .contains("-> resources/read orders://open")
                .contains("error_description=\"The access token expired\"")
                .contains("so the client called /auth/refresh (refreshes: 1) and sent the call again")
                .contains("The refresh token was already used; every token of this login is now revoked")
                .contains("The refresh token was revoked; log in again")
                .contains("error_description=\"The token signature is not valid\"")
                .contains("error_description=\"The token must be a JWT signed with ES256\"")
                .contains("alg: HS256, an HMAC keyed with the server's public key")
                .contains("The user no longer exists or is disabled")
                .contains("Demo finished: every request ended as expected.")
                .doesNotContain("UNEXPECTED");
        assertThat(exit).as(transcript).isZero();
    }
}
