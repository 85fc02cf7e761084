import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.net.URI;
import java.util.List;
import java.util.Map;
import workshop.catalog.client.CatalogClient;
import workshop.catalog.client.HeadlessLogin;
import workshop.catalog.client.Registrations;

/**
 * What client.sh runs for each scenario of the MCP conformance suite: step 05's client, as a user would run it,
 * against the suite's mock MCP server and authorization server. It connects (the 401 starts discovery and the
 * login), lists the tools and calls the first one. The suite gives:
 * <ul>
 *   <li>the MCP server's URL, as the last argument;</li>
 *   <li>{@code MCP_CONFORMANCE_CONTEXT}, JSON, for some scenarios: a client registered beforehand
 *       ({@code client_id}, {@code client_secret}, and the {@code issuer} it belongs to in newer versions).</li>
 * </ul>
 * The client's Client ID Metadata Document is the URL the suite expects ({@code MCP_CLIENT_METADATA_URL} to
 * change it). The mock authorization server answers the authorization request at once, so
 * {@link HeadlessLogin} meets no login form there.
 */
public final class ConformanceClient {

    static final String SUITE_CLIENT_METADATA = "https://conformance-test.local/client-metadata.json";

    public static void main(String[] args) throws Exception {
        URI server = URI.create(args[args.length - 1]);
        Registrations registrations = new Registrations().clientMetadataDocument(URI.create(
                System.getenv().getOrDefault("MCP_CLIENT_METADATA_URL", SUITE_CLIENT_METADATA)));
        String context = System.getenv("MCP_CONFORMANCE_CONTEXT");
        if (context != null && !context.isBlank()) {
            Map<String, Object> json = McpJsonDefaults.getMapper().readValue(context, new TypeRef<>() {
            });
            if (json.get("client_id") instanceof String clientId) {
                registrations.preRegistered(json.get("issuer") instanceof String issuer ? URI.create(issuer) : null,
                        clientId, json.get("client_secret") instanceof String secret ? secret : null);
            }
        }
        System.out.println("scenario " + System.getenv("MCP_CONFORMANCE_SCENARIO") + ", server " + server);
        HeadlessLogin user = new HeadlessLogin("conformance", "");
        try (CatalogClient client = CatalogClient.connect(server, user, registrations, (request, result) ->
                System.out.println("-> " + request + "\n   " + result))) {
            List<String> tools = client.toolNames();
            System.out.println("tools: " + String.join(", ", tools));
            if (!tools.isEmpty()) {
                CallToolResult result = client.call(tools.get(0), Map.of());
                System.out.println(tools.get(0) + ": " + CatalogClient.text(result));
            }
        } catch (RuntimeException e) {
            System.out.println("refused: " + CatalogClient.explain(e));
            System.exit(1);
        }
        System.exit(0); // done: no transport thread keeps the suite waiting
    }
}
