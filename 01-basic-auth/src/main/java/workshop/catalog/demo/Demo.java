package workshop.catalog.demo;

import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.io.PrintStream;
import java.net.URI;
import java.util.List;
import java.util.Map;
import workshop.catalog.Config;
import workshop.catalog.auth.bearer.BearerSecretFilter;
import workshop.catalog.client.CatalogClient;
import workshop.catalog.server.Catalog;
import workshop.catalog.server.CatalogFeatures;
import workshop.catalog.server.CatalogServer;

/**
 * The step's scripted transcript: one server, three clients (no credential, a wrong secret, the
 * right secret), each line saying who asked, what, and what came back.
 */
public final class Demo {

    private final PrintStream out;
    private int surprises;

    private Demo(PrintStream out) {
        this.out = out;
    }

    /** Runs the demo on a free port and returns the exit code: 0 when every scenario ended as expected. */
    public static int run(PrintStream out, Config config) throws Exception {
        Demo demo = new Demo(out);
        try (CatalogServer server = CatalogServer.start(config.host(), 0, Catalog.seeded(), config.allowedOrigins(),
                List.of(new BearerSecretFilter(config.secret())))) {
            demo.script(server.endpoint(), config.secret());
        }
        out.println(demo.surprises == 0 ? "Demo finished: every request ended as expected."
                : "Demo finished with " + demo.surprises + " unexpected outcome(s).");
        return demo.surprises == 0 ? 0 : 1;
    }

    private void script(URI endpoint, String secret) {
        out.println("Step 01: a shared secret in the Authorization header");
        out.println("Server: " + endpoint);
        out.println();

        step("1. A client with no credential connects");
        expectRefusal(endpoint, null);

        step("2. A client with a wrong secret connects");
        expectRefusal(endpoint, "not-the-secret-" + Config.randomSecret());

        step("3. A client with the right secret connects");
        try (CatalogClient client = CatalogClient.connect(endpoint, secret)) {
            show("tools/list", String.join(", ", client.toolNames()));
            show("tools/call list_products", CatalogClient.text(client.call("list_products", Map.of())));
            CallToolResult created = client.call("create_product", Map.of("name", "Desk lamp", "price", 24.90));
            show("tools/call create_product {name: Desk lamp, price: 24.90}", CatalogClient.text(created));
            CallToolResult invalid = client.call("create_product", Map.of("name", "Free lunch", "price", -1));
            show("tools/call create_product {price: -1}", "tool error: " + CatalogClient.text(invalid));
            show("resources/read " + CatalogFeatures.CATALOG_URI, client.readCatalog());
            expect(!Boolean.TRUE.equals(created.isError()) && Boolean.TRUE.equals(invalid.isError()),
                    "the valid product is created and the invalid one is refused");
        } catch (RuntimeException e) {
            show("refused", CatalogClient.explain(e));
            expect(false, "the right secret is accepted");
        }
        out.println();
    }

    private void expectRefusal(URI endpoint, String secret) {
        try (CatalogClient client = CatalogClient.connect(endpoint, secret)) {
            show("initialize", "ACCEPTED");
            expect(false, "this client is refused");
        } catch (RuntimeException refused) {
            String why = CatalogClient.explain(refused);
            show("initialize", "refused: " + why);
            expect(why.startsWith("HTTP 401"), "the refusal is HTTP 401");
        }
        out.println();
    }

    private void step(String title) {
        out.println(title);
    }

    private void show(String request, String result) {
        out.println("   -> " + request);
        result.lines().forEach(line -> out.println("      " + line));
    }

    private void expect(boolean condition, String what) {
        if (!condition) {
            surprises++;
            out.println("   UNEXPECTED: expected " + what);
        }
    }
}
