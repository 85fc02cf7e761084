package workshop.catalog.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import workshop.catalog.Config;
import workshop.catalog.Wiring;
import workshop.catalog.server.Catalog;
import workshop.catalog.server.CatalogFeatures;
import workshop.catalog.server.CatalogServer;

@DisplayName("The MCP client and the catalog features, through the real SDK client")
class CatalogClientTest {

    private final String secret = Config.randomSecret();
    private CatalogServer server;
    private URI mcp;

    @BeforeEach
    void start() throws Exception {
        server = CatalogServer.start("127.0.0.1", 0, Catalog.seeded(), Set.of(), Wiring.layers(secret));
        mcp = server.endpoint();
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    @Test
    @DisplayName("with the right secret the client lists the three tools, calls them, reads the resource and gets the prompt")
    void everyFeatureWorksWithTheSecret() {
        try (CatalogClient client = CatalogClient.connect(mcp, secret)) {
            assertThat(client.toolNames()).containsExactly("list_products", "create_product", "delete_product");
            assertThat(CatalogClient.text(client.call("list_products", Map.of()))).contains("#1 Laptop ($1299.00)");
            assertThat(client.readCatalog()).contains("#3 USB-C cable ($9.99)");
            assertThat(client.prompt("summarize_catalog", Map.of("audience", "students")))
                    .contains("for students").contains("Laptop");
        }
    }

    @Test
    @DisplayName("without a secret the client is refused, and explain() gives one line with HTTP 401")
    void noSecretIsRefused() {
        Throwable refused = catchThrowable(() -> CatalogClient.connect(mcp, null));
        assertThat(CatalogClient.explain(refused)).isEqualTo("HTTP 401, WWW-Authenticate: Bearer realm=\"mcp\"");
        try (CatalogClient client = CatalogClient.connect(mcp, secret)) {
            assertThat(client.toolNames()).hasSize(3);
        }
    }

    @Test
    @DisplayName("with a wrong secret the client is refused with 401 invalid_token")
    void wrongSecretIsRefused() {
        Throwable refused = catchThrowable(() -> CatalogClient.connect(mcp, Config.randomSecret()));
        assertThat(CatalogClient.explain(refused)).startsWith("HTTP 401").contains("error=\"invalid_token\"")
                .doesNotContain("\n");
        try (CatalogClient client = CatalogClient.connect(mcp, secret)) {
            assertThat(client.toolNames()).hasSize(3);
        }
    }

    @Test
    @DisplayName("a server that is not running gives a one-line 'cannot connect' explanation")
    void unreachableServer() throws Exception {
        URI gone = server.endpoint();
        server.close();
        assertThatThrownBy(() -> CatalogClient.connect(gone, secret))
                .satisfies(e -> assertThat(CatalogClient.explain(e)).isEqualTo("cannot connect: is the server running?"));
        server = CatalogServer.start("127.0.0.1", 0, Catalog.seeded(), Set.of(), Wiring.layers(secret));
    }

    @Test
    @DisplayName("create_product adds a product and delete_product removes it")
    void createAndDelete() {
        try (CatalogClient client = CatalogClient.connect(mcp, secret)) {
            CallToolResult created = client.call("create_product", Map.of("name", "  Desk lamp ", "price", 24.9));
            assertThat(created.isError()).isNotEqualTo(Boolean.TRUE);
            assertThat(CatalogClient.text(created)).isEqualTo("Created #4 Desk lamp ($24.90)");
            assertThat(client.readCatalog()).contains("#4 Desk lamp ($24.90)");

            CallToolResult deleted = client.call("delete_product", Map.of("id", 4));
            assertThat(CatalogClient.text(deleted)).isEqualTo("Deleted #4 Desk lamp ($24.90)");
            assertThat(client.readCatalog()).doesNotContain("Desk lamp");
        }
    }

    @Test
    @DisplayName("bad tool arguments give a tool error that says what is wrong, and change nothing")
    void badArgumentsAreToolErrors() {
        try (CatalogClient client = CatalogClient.connect(mcp, secret)) {
            String before = client.readCatalog();
            List<Map<String, Object>> badCreates = List.of(
                    Map.of("price", 10),
                    Map.of("name", "", "price", 10),
                    Map.of("name", "x".repeat(CatalogFeatures.MAX_NAME_LENGTH + 1), "price", 10),
                    Map.of("name", "Lamp", "price", "ten"),
                    Map.of("name", "Lamp", "price", 0),
                    Map.of("name", "Lamp", "price", 10.001),
                    Map.of("name", "Lamp", "price", 2_000_000),
                    Map.of("name", 42, "price", 10));
            for (Map<String, Object> args : badCreates) {
                CallToolResult result = client.call("create_product", args);
                assertThat(result.isError()).as(args.toString()).isTrue();
                assertThat(CatalogClient.text(result)).as(args.toString()).isNotBlank();
            }
            for (Object id : List.of("1", 1.5, 0, -3, 99)) {
                CallToolResult result = client.call("delete_product", Map.of("id", id));
                assertThat(result.isError()).as(String.valueOf(id)).isTrue();
            }
            assertThat(CatalogClient.text(client.call("delete_product", Map.of("id", 99))))
                    .isEqualTo("delete_product: there is no product with id 99.");
            assertThat(client.readCatalog()).isEqualTo(before);
            // The same client can still do a valid call afterwards.
            assertThat(client.call("create_product", Map.of("name", "Lamp", "price", 10)).isError())
                    .isNotEqualTo(Boolean.TRUE);
        }
    }
}
