package workshop.catalog.demo;

import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.io.PrintStream;
import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import workshop.catalog.Config;
import workshop.catalog.Wiring;
import workshop.catalog.authserver.AuthServer;
import workshop.catalog.client.CatalogClient;
import workshop.catalog.client.HeadlessLogin;
import workshop.catalog.server.Catalog;
import workshop.catalog.server.CatalogFeatures;
import workshop.catalog.server.CatalogServer;

/**
 * The step's scripted transcript. The client starts with nothing but the MCP server's URL: the 401 names the
 * resource metadata, which names the authorization server; the client registers and carol logs in for the
 * challenge's scope. She sees only the reading tools; her {@code delete_product} is refused with HTTP 403
 * {@code insufficient_scope}; the client asks once more, for every scope the 403 named, and the authorization server
 * does not grant carol {@code catalog.delete}: the call fails with one line. alice's client does the same, her
 * step-up is granted, and she deletes. Each line says who asked, what, and what came back; no token is printed.
 */
public final class Demo {

    private static final Map<String, Object> FIRST_PRODUCT = Map.of("id", 1);

    private final Transcript out;
    private final AuthServer authServer;
    /** Everything the clients' flow showed so far, to check it. */
    private final StringBuilder shown = new StringBuilder();

    private Demo(Transcript out, AuthServer authServer) {
        this.out = out;
        this.authServer = authServer;
    }

    /** Runs the demo on free ports and returns the exit code: 0 when every scenario ended as expected. */
    public static int run(PrintStream out, Config config) throws Exception {
        // No password is written anywhere: the authorization server makes one-time ones for this run.
        try (AuthServer authServer = AuthServer.start(0, Map.of())) {
            Wiring wiring = Wiring.create(authServer.issuer(), Clock.systemUTC());
            Demo demo = new Demo(new Transcript(out), authServer);
            try (CatalogServer server = CatalogServer.start(config.host(), 0, Catalog.seeded(),
                    config.allowedOrigins(), wiring::layers)) {
                authServer.resource(server.endpoint());
                demo.script(server.endpoint(), wiring);
            }
            return demo.out.finish();
        }
    }

    private void script(URI endpoint, Wiring wiring) {
        out.say("Step 05: the MCP server as an OAuth 2.1 resource server, behind a real authorization server");
        out.say("MCP server: " + endpoint + " (it issues no tokens and checks no passwords)");
        out.say("Authorization server: " + authServer.issuer() + " (Spring Authorization Server, standing in for a"
                + " company identity provider)");
        out.say("Each feature needs the scope of its row in FeaturePermissions:");
        wiring.permissions().rows().forEach((feature, anyOf) ->
                out.say(String.format("   %-29s %s", feature, String.join(" or ", anyOf))));
        out.say(String.format("   %-29s %s", "anything else", "nobody"));
        out.say("The authorization server grants alice catalog.read, catalog.write, catalog.delete; bob catalog.read,"
                + " catalog.write; carol catalog.read.");
        out.say("The client knows only " + endpoint + "; everything else it finds out from the server's answers.");

        out.step("1. carol's client connects without a token: the 401 tells it where to find the authorization server;"
                + " it registers, and carol logs in (the login form submitted headlessly)");
        try (CatalogClient carol = connect(endpoint, "carol")) {
            expectShown("401, WWW-Authenticate: Bearer realm=\"mcp\", resource_metadata=\"", "a 401 naming resource_metadata");
            expectShown("(the endpoint: checked), authorization_servers [" + authServer.issuer() + "]",
                    "resource metadata about this endpoint, naming the authorization server");
            expectShown("201: client_id ", "a registration");
            out.expect(carol.granted().equals(Set.of("catalog.read")), "carol is granted catalog.read (the 401's scope)");

            out.step("2. carol sees every tool, each naming the scope it needs: a client can ask for more");
            listTools(carol, List.of("list_products", "create_product", "delete_product", "whoami"), "every tool, with its scope");
            String whoami = CatalogClient.text(carol.call("whoami", Map.of()));
            out.show("tools/call whoami", whoami);
            out.expect(whoami.contains("(carol)"), "whoami names carol");

            out.step("3. carol calls delete_product (listed, needing catalog.delete): 403"
                    + " insufficient_scope; the client asks once for every scope the 403 named");
            out.expectRefused("tools/call delete_product {id: 1}", () -> carol.call("delete_product", FIRST_PRODUCT),
                    "step-up refused", "carol may not have catalog.delete");
            expectShown("403, WWW-Authenticate: Bearer realm=\"mcp\", error=\"insufficient_scope\","
                    + " scope=\"catalog.delete catalog.read\", resource_metadata=\"",
                    "a 403 insufficient_scope naming catalog.delete and carol's catalog.read");
            listTools(carol, List.of("list_products", "create_product", "delete_product", "whoami"), "the same list");
        } catch (RuntimeException e) {
            out.show("carol's client", "failed: " + CatalogClient.explain(e));
            out.expect(false, "carol's client connects and reads");
        }

        out.step("4. alice's client does the same: discovery, registration, alice logs in for catalog.read");
        try (CatalogClient alice = connect(endpoint, "alice")) {
            listTools(alice, List.of("list_products", "create_product", "delete_product", "whoami"), "delete_product among them");

            out.step("5. alice calls delete_product: 403 insufficient_scope; the step-up is granted and the call is"
                    + " sent again");
            CallToolResult deleted = alice.call("delete_product", FIRST_PRODUCT);
            out.show("tools/call delete_product {id: 1}", CatalogClient.text(deleted));
            out.expect(alice.granted().equals(Set.of("catalog.delete", "catalog.read")),
                    "alice is granted catalog.delete catalog.read");
            out.expect(!Boolean.TRUE.equals(deleted.isError()) && CatalogClient.text(deleted).startsWith("Deleted #1"),
                    "alice deletes product #1");
            listTools(alice, List.of("list_products", "create_product", "delete_product", "whoami"), "the same list");
            String catalog = alice.readCatalog();
            out.show("resources/read " + CatalogFeatures.CATALOG_URI, catalog);
            out.expect(!catalog.contains("#1 Laptop"), "product #1 is gone");
        } catch (RuntimeException e) {
            out.show("alice's client", "failed: " + CatalogClient.explain(e));
            out.expect(false, "alice's client connects and deletes");
        }
    }

    /** A discovering client for this user; each step of its flow goes into the transcript. */
    private CatalogClient connect(URI endpoint, String user) {
        BiConsumer<String, String> show = (request, result) -> {
            out.show(request, result);
            shown.append(result).append('\n');
        };
        return CatalogClient.connect(endpoint, new HeadlessLogin(user, authServer.password(user)), show);
    }

    private void expectShown(String part, String what) {
        out.expect(shown.indexOf(part) >= 0, what);
    }

    private void listTools(CatalogClient client, List<String> expected, String note) {
        List<String> tools = client.toolNames();
        out.show("tools/list", String.join(", ", tools) + " (" + note + ")");
        out.expect(tools.equals(expected), "tools/list shows " + String.join(", ", expected));
    }
}
