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
    @DisplayName("shows the 401 with resource_metadata, discovery and registration, carol shown only the reading tools and refused delete_product with 403 insufficient_scope, her step-up granting no more, alice deleting, and an expired token refused")
    void transcript() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int exit = Demo.run(new PrintStream(bytes, true, StandardCharsets.UTF_8), Config.from(Map.of()));
        String transcript = bytes.toString(StandardCharsets.UTF_8);

        assertThat(exit).as(transcript).isZero();
        assertThat(transcript)
                .contains("   tool delete_product           catalog.delete\n")
                .contains("   anything else                 nobody\n")
                .containsPattern("401, WWW-Authenticate: Bearer resource_metadata=\"http://127\\.0\\.0\\.1:\\d+/\\.well-known/"
                        + "oauth-protected-resource/mcp\", scope=\"catalog.read\"")
                .containsPattern("resource http://127\\.0\\.0\\.1:\\d+/mcp, authorization_servers \\[http://127\\.0\\.0\\.1:\\d+\\]")
                .contains("201: a client_id of its own (a public client, no secret)")
                .contains("2. carol logs in")
                .contains("list_products, whoami (only the reading tools)")
                .contains("You are carol (carol), with the permissions catalog.read.")
                .contains("refused: HTTP 403, WWW-Authenticate: Bearer error=\"insufficient_scope\", "
                        + "scope=\"catalog.delete catalog.read\", resource_metadata=\"http://127.0.0.1:")
                .contains("3. carol asks again")
                .contains("catalog.delete was not granted: carol may not delete")
                .contains("4. alice logs in")
                .contains("with the scope catalog.delete catalog.read")
                .contains("list_products, delete_product, whoami")
                .contains("Deleted #1 Laptop ($1299.00)")
                .contains("error=\"invalid_token\", error_description=\"The access token expired\"")
                .contains("Demo finished: every request ended as expected.")
                .doesNotContain("UNEXPECTED")
                .doesNotContainPattern("eyJ[\\w-]*\\.eyJ");
    }
}
