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
    @DisplayName("shows the table, carol let in but shown and allowed only what she may, bob refused the delete with the catalog intact, alice deleting, and a disabled account stopped at the endpoint")
    void transcript() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Config config = Config.from(Map.of());
        int exit = Demo.run(new PrintStream(bytes, true, StandardCharsets.UTF_8), config);
        String transcript = bytes.toString(StandardCharsets.UTF_8);

        assertThat(exit).as(transcript).isZero();
        assertThat(transcript)
                .contains("   tool delete_product           Admin.Write\n")
                .contains("   resource catalog://products   Guest.Read or User.Read\n")
                .contains("   anything else                 nobody\n")
                .contains("1. carol logs in with only Guest.Read")
                .contains("list_products, whoami (of the catalog's three tools, only list_products)")
                .contains("You are Carol (carol), with the permissions Guest.Read.")
                .contains("2. carol calls create_product anyway")
                .contains("refused (isError: true): Permission denied: tool create_product needs User.Write or "
                        + "Admin.Write (you have Guest.Read).")
                .contains("3. bob logs in")
                .contains("list_products, create_product, whoami (no delete_product)")
                .contains("Created #4 Desk lamp ($24.90)")
                .contains("refused (isError: true): Permission denied: tool delete_product needs Admin.Write (you "
                        + "have User.Read, User.Write).")
                .containsPattern("the refused delete never ran: #1 is still there.*\n      #1 Laptop \\(\\$1299.00\\)\n")
                .contains("4. alice logs in")
                .contains("list_products, create_product, delete_product, whoami (all four)")
                .contains("Deleted #1 Laptop ($1299.00)")
                .contains("5. carol's account is disabled")
                .contains("refused: the server refused the access token (Bearer realm=\"mcp\", error=\"invalid_token\", "
                        + "error_description=\"The user no longer exists or is disabled\") and the refresh failed")
                .contains("Demo finished: every request ended as expected.")
                .doesNotContain("UNEXPECTED")
                .doesNotContain(config.secret());
    }
}
