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
    @DisplayName("04.1-04.6 together: the demo's transcript shows the table and the ownership rule")
    void tasks04_1to6_demoTranscript() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Config config = Config.from(Map.of());
        // The users of users.json with a low work factor: the demo's logins cost microseconds, not seconds.
        int exit = Demo.run(new PrintStream(bytes, true, StandardCharsets.UTF_8), config, new TestUsers().directory);
        String transcript = bytes.toString(StandardCharsets.UTF_8);

        assertThat(transcript)
                .contains(String.format("   %-29s %s%n", "tool cancel_order", "Admin.Write"))
                .contains(String.format("   %-29s %s%n", "resource orders://open", "Guest.Read or User.Read"))
                .contains(String.format("   %-29s %s%n", "anything else", "nobody"))
                .contains("list_orders, whoami (of the desk's three tools, only list_orders)")
                .contains("You are Carol (carol), with the permissions Guest.Read.")
                .contains("refused (isError: true): Permission denied: tool place_order needs User.Write or "
                        + "Admin.Write (you have Guest.Read).")
                .contains("refused (isError: true): Permission denied: tool cancel_order needs Admin.Write, or "
                        + "User.Write and to be the user who placed the open order 3 (you have Guest.Read).")
                .contains("list_orders, place_order, cancel_order, whoami (cancel_order too: he may cancel the orders"
                        + " he placed)")
                .contains("Placed #4 Desk lamp x 3")
                .contains("Cancelled #4 Desk lamp x 3")
                .contains("refused (isError: true): Permission denied: tool cancel_order needs Admin.Write, or "
                        + "User.Write and to be the user who placed the open order 1 (you have User.Read, User.Write).")
                .contains("refused (isError: true): Permission denied: tool cancel_order needs Admin.Write, or "
                        + "User.Write and to be the user who placed the open order 99 (you have User.Read, "
                        + "User.Write).")
                .contains("list_orders, place_order, cancel_order, whoami (all four)")
                .contains("Cancelled #1 Printer paper x 10")
                .contains("The user no longer exists or is disabled")
                .contains("Demo finished: every request ended as expected.")
                .doesNotContain("UNEXPECTED");
        assertThat(exit).as(transcript).isZero();
    }
}
