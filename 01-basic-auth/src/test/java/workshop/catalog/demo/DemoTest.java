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
    @DisplayName("shows 401 without and with a wrong secret, then tools, a tool call and the resource with the right one")
    void transcript() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Config config = Config.from(Map.of());
        int exit = Demo.run(new PrintStream(bytes, true, StandardCharsets.UTF_8), config);
        String transcript = bytes.toString(StandardCharsets.UTF_8);

        assertThat(exit).as(transcript).isZero();
        assertThat(transcript)
                .contains("1. A client with no credential connects")
                .contains("refused: HTTP 401, WWW-Authenticate: Bearer realm=\"mcp\"\n")
                .contains("2. A client with a wrong secret connects")
                .contains("refused: HTTP 401, WWW-Authenticate: Bearer realm=\"mcp\", error=\"invalid_token\"")
                .contains("list_products, create_product, delete_product")
                .contains("#1 Laptop ($1299.00)")
                .contains("Created #4 Desk lamp ($24.90)")
                .contains("-> resources/read catalog://products")
                .contains("Demo finished: every request ended as expected.")
                .doesNotContain("UNEXPECTED")
                .doesNotContain(config.secret());
    }
}
