import io.modelcontextprotocol.client.transport.HttpRequestSnapshot;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import workshop.catalog.client.AuthorizationCodeFlow.FlowException;
import workshop.catalog.client.CatalogClient;
import workshop.catalog.client.HeadlessLogin;
import workshop.catalog.client.McpAuthorization;
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
 *
 * <p>Scenarios of MCP 2026-07-28 ({@code MCP_CONFORMANCE_PROTOCOL_VERSION}) run the stateless lifecycle: no
 * {@code initialize}, each request names the protocol version in a header and in its {@code _meta}. The SDK's
 * client (2.1.0) does not speak it yet, so for those this harness sends {@code tools/list} and
 * {@code tools/call} itself, over java.net.http, with the same {@link McpAuthorization} on the same two hooks.
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
        BiConsumer<String, String> shown = (request, result) -> System.out.println("-> " + request + "\n   " + result);
        String version = System.getenv("MCP_CONFORMANCE_PROTOCOL_VERSION");
        if (STATELESS.equals(version)) {
            try {
                new Stateless(server, new McpAuthorization(server, user, registrations, shown)).listAndCallFirst();
            } catch (FlowException | IllegalStateException e) {
                System.out.println("refused: " + e.getMessage());
                System.exit(1);
            }
            System.exit(0);
        }
        try (CatalogClient client = CatalogClient.connect(server, user, registrations, shown)) {
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

    static final String STATELESS = "2026-07-28";

    /** The 2026-07-28 stateless exchange: each JSON-RPC request alone, the authorization on its two hooks. */
    record Stateless(URI server, McpAuthorization authorization) {
        private static final HttpClient HTTP = HttpClient.newHttpClient();

        void listAndCallFirst() throws Exception {
            Map<String, Object> listed = request(1, "tools/list", Map.of());
            List<?> tools = listed.get("tools") instanceof List<?> list ? list : List.of();
            System.out.println("tools: " + tools.stream().map(tool -> String.valueOf(((Map<?, ?>) tool).get("name")))
                    .toList());
            if (!tools.isEmpty()) {
                Object name = ((Map<?, ?>) tools.get(0)).get("name");
                System.out.println(name + ": " + request(2, "tools/call", Map.of("name", name, "arguments", Map.of())));
            }
        }

        /** One request; a 401 or 403 goes to the authorization hook, and the request is sent again once if it says so. */
        private Map<String, Object> request(int id, String method, Map<String, Object> params) throws Exception {
            Map<String, Object> withMeta = new LinkedHashMap<>(params);
            withMeta.put("_meta", Map.of("io.modelcontextprotocol/protocolVersion", STATELESS,
                    "io.modelcontextprotocol/clientCapabilities", Map.of()));
            String body = McpJsonDefaults.getMapper().writeValueAsString(Map.of("jsonrpc", "2.0", "id", id,
                    "method", method, "params", withMeta));
            for (int attempt = 0; ; attempt++) {
                HttpRequest.Builder builder = HttpRequest.newBuilder(server)
                        .header("Content-Type", "application/json")
                        .header("Accept", "application/json, text/event-stream")
                        .header("MCP-Protocol-Version", STATELESS)
                        .POST(HttpRequest.BodyPublishers.ofString(body));
                authorization.addToken(builder);
                HttpRequest sent = builder.build();
                HttpResponse<String> response = HTTP.send(sent, HttpResponse.BodyHandlers.ofString());
                int status = response.statusCode();
                if ((status == 401 || status == 403) && attempt == 0 && authorization.onRefused(
                        new HttpRequestSnapshot(sent.uri(), sent.method(), sent.headers()), info(response))) {
                    continue;
                }
                Map<String, Object> json = json(response.body());
                if (status != 200 || !(json.get("result") instanceof Map<?, ?> result)) {
                    throw new IllegalStateException(method + " answered HTTP " + status + " " + json.get("error"));
                }
                @SuppressWarnings("unchecked")
                Map<String, Object> typed = (Map<String, Object>) result;
                return typed;
            }
        }

        private static HttpResponse.ResponseInfo info(HttpResponse<String> response) {
            return new HttpResponse.ResponseInfo() {
                @Override
                public int statusCode() {
                    return response.statusCode();
                }

                @Override
                public HttpHeaders headers() {
                    return response.headers();
                }

                @Override
                public HttpClient.Version version() {
                    return response.version();
                }
            };
        }

        private static Map<String, Object> json(String body) {
            try {
                return McpJsonDefaults.getMapper().readValue(body, new TypeRef<>() {
                });
            } catch (IOException | RuntimeException notJson) {
                return Map.of();
            }
        }
    }
}
