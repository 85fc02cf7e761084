package workshop.orders.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import workshop.orders.Config;

@DisplayName("05.1-05.5 together: the demo transcript")
class DemoTest {

    @Test
    @DisplayName("05.1-05.5 together: the demo's transcript, from discovery to the expired token")
    void transcript() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int exit = Demo.run(new PrintStream(bytes, true, StandardCharsets.UTF_8), Config.from(Map.of()));
        String transcript = bytes.toString(StandardCharsets.UTF_8);

        assertThat(transcript)
                .containsPattern("401, WWW-Authenticate: Bearer realm=\"mcp\", resource_metadata=\"http://127\\.0\\.0\\.1:\\d+/\\.well-known/"
                        + "oauth-protected-resource/mcp\", scope=\"orders.read\"")
                .containsPattern("resource http://127\\.0\\.0\\.1:\\d+/mcp, authorization_servers \\[http://127\\.0\\.0\\.1:\\d+\\]")
                .contains("list_orders, whoami (only the reading tools)")
                .contains("refused: HTTP 403, WWW-Authenticate: Bearer realm=\"mcp\", error=\"insufficient_scope\", "
                        + "scope=\"orders.cancel orders.read\", resource_metadata=\"http://127.0.0.1:")
                .contains("orders.cancel was not granted: carol may not cancel")
                .contains("Cancelled #2 Stapler x 2")
                .contains("Permission denied: tool cancel_order needs orders.cancel, or orders.write and to be the user"
                        + " who placed the open order 1 (you have orders.read, orders.write).")
                .contains("refused: HTTP 401, WWW-Authenticate: Bearer realm=\"mcp\", error=\"insufficient_user_authentication\", "
                        + "error_description=\"cancel_order needs a login within the last 300 seconds\", max_age=\"300\"")
                .contains("Cancelled #1 Printer paper x 10")
                .contains("error=\"invalid_token\", error_description=\"The access token expired\"")
                .contains("Demo finished: every request ended as expected.")
                .doesNotContain("UNEXPECTED")
                .doesNotContainPattern("eyJ[\\w-]*\\.eyJ");
        assertThat(exit).as(transcript).isZero();
    }
}
