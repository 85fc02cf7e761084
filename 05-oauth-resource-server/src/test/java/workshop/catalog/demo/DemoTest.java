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
    @DisplayName("shows the 401 with resource_metadata, discovery and registration, carol shown only the reading tools, her delete_product refused with 403 insufficient_scope and her step-up refused in one line, and alice's step-up granted and her delete done")
    void transcript() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int exit = Demo.run(new PrintStream(bytes, true, StandardCharsets.UTF_8), Config.from(Map.of()));
        String transcript = bytes.toString(StandardCharsets.UTF_8);

        assertThat(exit).as(transcript).isZero();
        assertThat(transcript)
                .contains("   tool delete_product           catalog.delete\n")
                .contains("   anything else                 nobody\n")
                .contains("   -> POST /mcp (no token)\n")
                .containsPattern("401, WWW-Authenticate: Bearer realm=\"mcp\", resource_metadata=\"http://127\\.0\\.0\\.1:\\d+/\\.well-known/"
                        + "oauth-protected-resource/mcp\", scope=\"catalog.read\"")
                .containsPattern("resource http://127\\.0\\.0\\.1:\\d+/mcp \\(the endpoint: checked\\), authorization_servers "
                        + "\\[http://127\\.0\\.0\\.1:\\d+\\]")
                .containsPattern("GET http://127\\.0\\.0\\.1:\\d+/\\.well-known/oauth-authorization-server \\(RFC 8414\\)")
                .containsPattern("201: client_id [\\w-]+ \\(a public client, no secret\\)")
                .contains("carol logs in: GET /oauth2/authorize (scope catalog.read, PKCE S256")
                .contains("list_products, create_product, delete_product, whoami (every tool, with its scope)")
                .contains("You are carol (carol), with the permissions catalog.read.")
                .contains("   -> POST /mcp (carol's token: catalog.read)\n"
                        + "      403, WWW-Authenticate: Bearer realm=\"mcp\", error=\"insufficient_scope\", "
                        + "scope=\"catalog.delete catalog.read\", resource_metadata=\"http://127.0.0.1:")
                .contains("carol authorizes again: GET /oauth2/authorize (scope catalog.delete catalog.read,")
                .contains("refused: step-up refused: asked for catalog.delete catalog.read, the authorization server"
                        + " granted carol only catalog.read (carol may not have catalog.delete)")
                .contains("alice authorizes again: GET /oauth2/authorize (scope catalog.delete catalog.read,")
                .contains("with the scope catalog.delete catalog.read")
                .contains("Deleted #1 Laptop ($1299.00)")
                .contains("Demo finished: every request ended as expected.")
                .doesNotContain("UNEXPECTED")
                .doesNotContainPattern("eyJ[\\w-]*\\.eyJ");
    }
}
