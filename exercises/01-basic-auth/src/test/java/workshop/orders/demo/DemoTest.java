package workshop.orders.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import workshop.orders.Config;

@DisplayName("The demo transcript")
class DemoTest {

    @Test
    @DisplayName("01.1-01.6 together: the demo's transcript, from no secret to the end of a rotation")
    void tasks01_1to6_demoTranscript() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Config config = Config.from(Map.of());
        int exit = Demo.run(new PrintStream(bytes, true, StandardCharsets.UTF_8), config);
        String transcript = bytes.toString(StandardCharsets.UTF_8);

        assertThat(transcript)
                .as("the demo refuses no secret and a wrong one with 401, serves the right one, and lets the previous"
                        + " secret in only while it is configured")
                .contains("1. A client with no credential connects")
                .contains("refused: HTTP 401, WWW-Authenticate: Bearer realm=\"mcp\"\n")
                .contains("2. A client with a wrong secret connects")
                .contains("refused: HTTP 401, WWW-Authenticate: Bearer realm=\"mcp\", error=\"invalid_token\"")
                .contains("list_orders, place_order, cancel_order")
                .contains("#1 Printer paper x 10")
                .contains("Placed #4 Desk lamp x 3")
                .contains("Cancelled #2 Stapler x 2")
                .contains("-> resources/read orders://open")
                .contains("4. Rotation: a client still on the previous secret (MCP_PREVIOUS_SECRET) connects\n")
                .containsPattern("4\\. Rotation[^\n]*\n(   [^\n]*\n){2}   -> tools/list\n      list_orders, place_order,")
                .contains("5. Rotation over: the desk restarted without MCP_PREVIOUS_SECRET\n"
                        + "   -> initialize\n"
                        + "      refused: HTTP 401, WWW-Authenticate: Bearer realm=\"mcp\", error=\"invalid_token\"")
                .contains("-> tools/list with the current secret\n      list_orders, place_order, cancel_order")
                .contains("Demo finished: every request ended as expected.")
                .doesNotContain("UNEXPECTED")
                .doesNotContain(config.secret());
        assertThat(exit).as(transcript).isZero();
    }
}
