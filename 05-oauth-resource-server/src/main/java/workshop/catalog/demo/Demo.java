package workshop.catalog.demo;

import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import workshop.catalog.Config;
import workshop.catalog.Wiring;
import workshop.catalog.authserver.AuthServer;
import workshop.catalog.client.AuthorizationCodeFlow;
import workshop.catalog.client.AuthorizationCodeFlow.Challenge;
import workshop.catalog.client.AuthorizationCodeFlow.Granted;
import workshop.catalog.client.AuthorizationCodeFlow.ResourceMetadata;
import workshop.catalog.client.AuthorizationCodeFlow.ServerMetadata;
import workshop.catalog.client.CatalogClient;
import workshop.catalog.server.Catalog;
import workshop.catalog.server.CatalogFeatures;
import workshop.catalog.server.CatalogServer;

/**
 * The step's scripted transcript: a client without a token is told where to get one, discovers the authorization
 * server and registers; carol logs in, sees only the reading tools, and her {@code delete_product} is refused with
 * HTTP 403 {@code insufficient_scope}; asking again for every scope the 403 named gets her no more, because the
 * authorization server does not grant carol {@code catalog.delete}; alice gets it and deletes; a token past its
 * expiry is refused. Each line says who asked, what, and what came back; no token is ever printed.
 */
public final class Demo {

    /** How far the demo moves the MCP server's clock to let an access token expire (the authorization server's live 5 minutes). */
    public static final Duration PAST_EXPIRY = Duration.ofMinutes(10);

    private static final Map<String, Object> FIRST_PRODUCT = Map.of("id", 1);

    private final Transcript out;
    private final AuthServer authServer;
    private final DemoClock clock;

    private Demo(Transcript out, AuthServer authServer, DemoClock clock) {
        this.out = out;
        this.authServer = authServer;
        this.clock = clock;
    }

    /** Runs the demo on free ports and returns the exit code: 0 when every scenario ended as expected. */
    public static int run(PrintStream out, Config config) throws Exception {
        DemoClock clock = DemoClock.followingSystem();
        // No password is written anywhere: the authorization server makes one-time ones for this run.
        try (AuthServer authServer = AuthServer.start(0, Map.of())) {
            Wiring wiring = Wiring.create(authServer.issuer(), clock);
            Demo demo = new Demo(new Transcript(out), authServer, clock);
            try (CatalogServer server = CatalogServer.start(config.host(), 0, Catalog.seeded(),
                    config.allowedOrigins(), wiring.layers())) {
                wiring.bind(server.endpoint());
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

        out.step("1. A client without a token: the 401 tells it where to find out how to get one");
        ServerMetadata server;
        String clientId;
        String scope;
        try {
            Challenge challenge = AuthorizationCodeFlow.challenge(endpoint);
            out.show("POST /mcp initialize, no Authorization header", challenge.status() + ", WWW-Authenticate: "
                    + challenge.header());
            URI metadataUrl = URI.create(challenge.parameters().getOrDefault("resource_metadata", ""));
            scope = challenge.parameters().getOrDefault("scope", "");
            out.expect(challenge.status() == 401 && metadataUrl.isAbsolute() && scope.equals("catalog.read"),
                    "401 with resource_metadata and scope=\"catalog.read\"");
            ResourceMetadata resource = AuthorizationCodeFlow.resourceMetadata(metadataUrl, endpoint);
            out.show("GET " + metadataUrl + " (RFC 9728)", "resource " + resource.resource()
                    + ", authorization_servers [" + resource.authorizationServer() + "], scopes_supported "
                    + resource.scopes());
            server = AuthorizationCodeFlow.serverMetadata(resource.authorizationServer());
            out.show("GET " + resource.authorizationServer() + "/.well-known/oauth-authorization-server (RFC 8414)",
                    "authorization_endpoint " + server.authorization() + ", token_endpoint " + server.token()
                            + ", registration_endpoint " + server.registration());
            clientId = AuthorizationCodeFlow.register(server);
            out.show("POST " + server.registration().getPath() + " {redirect_uris: [" + AuthorizationCodeFlow.REDIRECT_URI
                    + "], token_endpoint_auth_method: none} (RFC 7591)", "201: a client_id of its own (a public client,"
                    + " no secret)");
        } catch (RuntimeException e) {
            out.show("discovery", "failed: " + CatalogClient.explain(e));
            out.expect(false, "discovery and registration work");
            return;
        }

        out.step("2. carol logs in (authorization code, PKCE S256, resource), asking for the challenge's scope: " + scope);
        Granted carol = login(server, clientId, endpoint, "carol", scope, Set.of("catalog.read"));
        if (carol == null) {
            return;
        }
        String stepUp = null;
        try (CatalogClient client = CatalogClient.connect(endpoint, carol.accessToken())) {
            listTools(client, List.of("list_products", "whoami"), "only the reading tools");
            String whoami = CatalogClient.text(client.call("whoami", Map.of()));
            out.show("tools/call whoami", whoami);
            out.expect(whoami.contains("(carol)"), "whoami names carol");
            try {
                CallToolResult result = client.call("delete_product", FIRST_PRODUCT);
                out.show("tools/call delete_product {id: 1}", "ACCEPTED: " + CatalogClient.text(result));
                out.expect(false, "HTTP 403 insufficient_scope");
            } catch (RuntimeException refused) {
                String why = CatalogClient.explain(refused);
                out.show("tools/call delete_product {id: 1} (her list hides it; a client can send any name)",
                        "refused: " + why);
                out.expect(why.startsWith("HTTP 403") && why.contains("error=\"insufficient_scope\"")
                        && why.contains("resource_metadata="), "HTTP 403 insufficient_scope with resource_metadata");
                stepUp = AuthorizationCodeFlow.parameters(why).get("scope");
            }
        } catch (RuntimeException e) {
            out.show("refused", CatalogClient.explain(e));
            out.expect(false, "carol's access token is accepted");
        }
        out.expect("catalog.delete catalog.read".equals(stepUp), "the 403 names catalog.delete and carol's catalog.read");
        if (stepUp == null) {
            return;
        }

        out.step("3. carol asks again, for every scope the 403 named (" + stepUp + "): the authorization server grants"
                + " only what carol may have");
        Granted again = login(server, clientId, endpoint, "carol", stepUp, Set.of("catalog.read"));
        if (again != null) {
            out.show("the client compares", "catalog.delete was not granted: carol may not delete, and asking again"
                    + " will not change that");
        }

        out.step("4. alice logs in, asking for the same scopes: she may delete");
        Granted alice = login(server, clientId, endpoint, "alice", stepUp, Set.of("catalog.delete", "catalog.read"));
        if (alice == null) {
            return;
        }
        try (CatalogClient client = CatalogClient.connect(endpoint, alice.accessToken())) {
            listTools(client, List.of("list_products", "delete_product", "whoami"), "no create_product: she did not"
                    + " ask for catalog.write");
            CallToolResult deleted = client.call("delete_product", FIRST_PRODUCT);
            out.show("tools/call delete_product {id: 1}", CatalogClient.text(deleted));
            out.expect(!Boolean.TRUE.equals(deleted.isError()) && CatalogClient.text(deleted).startsWith("Deleted #1"),
                    "alice deletes product #1");
            String catalog = client.readCatalog();
            out.show("resources/read " + CatalogFeatures.CATALOG_URI, catalog);
            out.expect(!catalog.contains("#1 Laptop"), "product #1 is gone");

            out.step("5. " + PAST_EXPIRY.toMinutes() + " minutes later (the MCP server's clock is moved): alice's token"
                    + " has expired");
            clock.advance(PAST_EXPIRY);
            out.expectRefused("tools/call list_products with alice's open client", () -> client.call("list_products",
                    Map.of()), "HTTP 401", "error=\"invalid_token\"", "The access token expired");
        } catch (RuntimeException e) {
            out.show("refused", CatalogClient.explain(e));
            out.expect(false, "alice's access token is accepted");
        }
    }

    private Granted login(ServerMetadata server, String clientId, URI endpoint, String user, String scope,
            Set<String> expected) {
        String request = "GET /oauth2/authorize (scope " + scope + "), " + user + "'s login form, POST /oauth2/token";
        try {
            Granted granted = AuthorizationCodeFlow.authorize(server, clientId, endpoint, scope, user,
                    authServer.password(user));
            out.show(request, "200: an access token for " + endpoint + " with the scope " + String.join(" ",
                    granted.scopes()));
            out.expect(granted.scopes().equals(expected), user + " is granted " + expected);
            return granted;
        } catch (RuntimeException e) {
            out.show(request, "refused: " + CatalogClient.explain(e));
            out.expect(false, user + " logs in");
            return null;
        }
    }

    private void listTools(CatalogClient client, List<String> expected, String note) {
        List<String> tools = client.toolNames();
        out.show("tools/list", String.join(", ", tools) + " (" + note + ")");
        out.expect(tools.equals(expected), "tools/list shows " + String.join(", ", expected));
    }
}
