package workshop.catalog.demo;

import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.io.PrintStream;
import java.net.URI;
import java.util.Map;
import workshop.catalog.Config;
import workshop.catalog.Wiring;
import workshop.catalog.client.CatalogClient;
import workshop.catalog.server.Catalog;
import workshop.catalog.server.CatalogFeatures;
import workshop.catalog.server.CatalogServer;

/**
 * The step's scenarios: one server, three clients (no credential, a wrong secret, the right secret),
 * each line saying who asked, what, and what came back.
 */
public final class Demo {

    private final Transcript out;

    private Demo(Transcript out) {
        this.out = out;
    }

    /** Runs the demo on a free port and returns the exit code: 0 when every scenario ended as expected. */
    public static int run(PrintStream out, Config config) throws Exception {
        Demo demo = new Demo(new Transcript(out));
        try (CatalogServer server = CatalogServer.start(config.host(), 0, Catalog.seeded(), config.allowedOrigins(),
                Wiring.layers(config.secret()))) {
            demo.script(server.endpoint(), config.secret());
        }
        return demo.out.finish();
    }

    private void script(URI endpoint, String secret) {
        out.say("Step 01: a shared secret in the Authorization header");
        out.say("Server: " + endpoint);

        out.step("1. A client with no credential connects");
        expectRefusal(endpoint, null);

        out.step("2. A client with a wrong secret connects");
        expectRefusal(endpoint, "not-the-secret-" + Config.randomSecret());

        out.step("3. A client with the right secret connects");
        try (CatalogClient client = CatalogClient.connect(endpoint, secret)) {
            out.show("tools/list", String.join(", ", client.toolNames()));
            out.show("tools/call list_products", CatalogClient.text(client.call("list_products", Map.of())));
            CallToolResult created = client.call("create_product", Map.of("name", "Desk lamp", "price", 24.90));
            out.show("tools/call create_product {name: Desk lamp, price: 24.90}", CatalogClient.text(created));
            CallToolResult invalid = client.call("create_product", Map.of("name", "Free lunch", "price", -1));
            out.show("tools/call create_product {price: -1}", "tool error: " + CatalogClient.text(invalid));
            out.show("resources/read " + CatalogFeatures.CATALOG_URI, client.readCatalog());
            out.expect(!Boolean.TRUE.equals(created.isError()) && Boolean.TRUE.equals(invalid.isError()),
                    "the valid product is created and the invalid one is refused");
        } catch (RuntimeException e) {
            out.show("refused", CatalogClient.explain(e));
            out.expect(false, "the right secret is accepted");
        }
    }

    private void expectRefusal(URI endpoint, String secret) {
        out.expectRefused("initialize", () -> CatalogClient.connect(endpoint, secret).close(), "HTTP 401");
    }
}
