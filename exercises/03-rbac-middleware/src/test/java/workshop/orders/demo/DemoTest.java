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
    @DisplayName("03.1-03.4 together: the demo's transcript, from the scope in a token to a disabled account")
    void tasks03_1to4_demoTranscript() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Config config = Config.from(Map.of());
        // The users of users.json with a low work factor: the demo's logins cost microseconds, not seconds.
        int exit = Demo.run(new PrintStream(bytes, true, StandardCharsets.UTF_8), config, new TestUsers().directory);
        String transcript = bytes.toString(StandardCharsets.UTF_8);

        assertThat(transcript)
                .as("the demo shows the scope in the token, whoami for alice and bob, carol refused with 403,"
                        + " forged permissions refused, and a disabled account refused at once")
                .contains("1. A client with no token connects")
                .contains("refused: HTTP 401, WWW-Authenticate: Bearer realm=\"mcp\"\n")
                .contains("\"scope\":\"Admin.Write User.Read User.Write\"")
                .contains("list_orders, place_order, cancel_order, whoami")
                .contains("You are Alice (alice), with the permissions Admin.Write, User.Read, User.Write.")
                .contains("You are Bob (bob), with the permissions User.Read, User.Write.")
                .contains("Placed #4 Desk lamp x 3")
                .contains("Cancelled #1 Printer paper x 10")
                .contains("refused: HTTP 403, WWW-Authenticate: Bearer realm=\"mcp\", error=\"insufficient_scope\", "
                        + "scope=\"User.Read\"")
                .contains("error_description=\"The token signature is not valid\"")
                .contains("error_description=\"The user no longer exists or is disabled\"")
                .contains("so the client called /auth/refresh (refreshes: 1) and sent the call again")
                .contains("Demo finished: every request ended as expected.")
                .doesNotContain("UNEXPECTED");
        assertThat(exit).as(transcript).isZero();
    }
}
