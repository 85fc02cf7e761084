package workshop.catalog.client;

import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.client.transport.McpHttpClientTransportAuthorizationException;
import io.modelcontextprotocol.client.transport.customizer.McpHttpClientTransportAuthorizationErrorHandler;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.Content;
import io.modelcontextprotocol.spec.McpSchema.GetPromptRequest;
import io.modelcontextprotocol.spec.McpSchema.Implementation;
import io.modelcontextprotocol.spec.McpSchema.PromptMessage;
import io.modelcontextprotocol.spec.McpSchema.ReadResourceRequest;
import io.modelcontextprotocol.spec.McpSchema.ResourceContents;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import io.modelcontextprotocol.spec.McpSchema.TextResourceContents;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.stream.Collectors;
import workshop.catalog.server.CatalogFeatures;

/**
 * The catalog's MCP client: the SDK's sync client over Streamable HTTP. {@link #connect(URI, UserAgent, BiConsumer)}
 * starts without a token and lets {@link McpAuthorization}, on the SDK's two hooks, discover the authorization
 * server from the 401, log the user in, and step up on a 403; {@link #connect(URI, String)} carries a token it is
 * given. Either way the token goes on every HTTP request (initialize, tool calls, the session's DELETE) and is never
 * printed.
 */
public final class CatalogClient implements AutoCloseable {

    static final Duration TIMEOUT = Duration.ofSeconds(10);
    /** The handshake may include discovery, registration and a login. */
    static final Duration LOGIN_TIMEOUT = Duration.ofSeconds(30);

    private final McpSyncClient mcp;
    private final McpAuthorization authorization;

    private CatalogClient(McpSyncClient mcp, McpAuthorization authorization) {
        this.mcp = mcp;
        this.authorization = authorization;
    }

    /**
     * Connects without a token and runs the MCP handshake; the 401 starts the discovery and the user's login.
     *
     * @param user  the user agent the user logs in with
     * @param shown receives each step of the flow as (request, what came back), for a transcript; never a token
     * @throws RuntimeException when the flow or the server refuses; {@link #explain} turns it into one line
     */
    public static CatalogClient connect(URI endpoint, UserAgent user, BiConsumer<String, String> shown) {
        return connect(endpoint, user, new Registrations(), shown);
    }

    /**
     * {@link #connect(URI, UserAgent, BiConsumer)} with what the client knows beforehand about its registrations:
     * clients registered at an authorization server, the URL of its Client ID Metadata Document.
     */
    public static CatalogClient connect(URI endpoint, UserAgent user, Registrations registrations,
            BiConsumer<String, String> shown) {
        McpAuthorization authorization = new McpAuthorization(endpoint, user, registrations, shown);
        HttpClientStreamableHttpTransport transport = transport(endpoint)
                .httpRequestCustomizer((request, method, uri, body, context) -> authorization.addToken(request))
                .authorizationErrorHandler(McpHttpClientTransportAuthorizationErrorHandler.fromSync(
                        (request, response, context) -> authorization.onRefused(request, response)))
                .build();
        return new CatalogClient(initialize(transport), authorization);
    }

    /**
     * Connects with a given token (or none) and runs the MCP handshake; a refusal is not answered.
     *
     * @param accessToken the token to send, or null to send no Authorization header (to see the refusal)
     * @throws RuntimeException when the server refuses or cannot be reached; {@link #explain} turns it into one line
     */
    public static CatalogClient connect(URI endpoint, String accessToken) {
        HttpClientStreamableHttpTransport transport = transport(endpoint)
                .httpRequestCustomizer((request, method, uri, body, context) -> {
                    if (accessToken != null) {
                        request.setHeader("Authorization", "Bearer " + accessToken);
                    }
                })
                .build();
        return new CatalogClient(initialize(transport), null);
    }

    private static HttpClientStreamableHttpTransport.Builder transport(URI endpoint) {
        return HttpClientStreamableHttpTransport.builder(endpoint.getScheme() + "://" + endpoint.getRawAuthority())
                .endpoint(endpoint.getRawPath())
                .connectTimeout(TIMEOUT);
    }

    private static McpSyncClient initialize(HttpClientStreamableHttpTransport transport) {
        McpSyncClient mcp = McpClient.sync(transport)
                .clientInfo(Implementation.builder("catalog-client", "1.0.0").build())
                .requestTimeout(LOGIN_TIMEOUT)
                .initializationTimeout(LOGIN_TIMEOUT)
                .build();
        try {
            mcp.initialize();
            return mcp;
        } catch (RuntimeException e) {
            mcp.close();
            throw e;
        }
    }

    /** The scopes the authorization server granted the current token (empty for a client given its token). */
    public Set<String> granted() {
        return authorization == null ? Set.of() : authorization.granted();
    }

    /** The SDK client, for anything this class has no shortcut for. */
    public McpSyncClient mcp() {
        return mcp;
    }

    public List<String> toolNames() {
        return mcp.listTools().tools().stream().map(Tool::name).toList();
    }

    public CallToolResult call(String tool, Map<String, Object> arguments) {
        return mcp.callTool(CallToolRequest.builder(tool).arguments(arguments).build());
    }

    public String readCatalog() {
        List<ResourceContents> contents =
                mcp.readResource(ReadResourceRequest.builder(CatalogFeatures.CATALOG_URI).build()).contents();
        return contents.stream()
                .map(content -> content instanceof TextResourceContents text ? text.text() : "(binary)")
                .collect(Collectors.joining("\n"));
    }

    public String prompt(String name, Map<String, Object> arguments) {
        return mcp.getPrompt(GetPromptRequest.builder(name).arguments(arguments).build()).messages().stream()
                .map(PromptMessage::content)
                .map(CatalogClient::text)
                .collect(Collectors.joining("\n"));
    }

    /** The text of a tool result or prompt message, joined into one string. */
    public static String text(CallToolResult result) {
        return result.content().stream().map(CatalogClient::text).collect(Collectors.joining("\n"));
    }

    private static String text(Content content) {
        return content instanceof TextContent text ? text.text() : "(" + content.type() + ")";
    }

    /**
     * One line that says why a call failed: the HTTP status and challenge for a refusal, the MCP
     * error message, or why the server could not be reached. Never a stack trace.
     */
    public static String explain(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof AuthorizationCodeFlow.FlowException refused) {
                return refused.getMessage();
            }
        }
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof McpHttpClientTransportAuthorizationException refused) {
                HttpResponse.ResponseInfo response = refused.getResponseInfo();
                String challenge = response.headers().firstValue("WWW-Authenticate").orElse("no WWW-Authenticate header");
                return "HTTP " + response.statusCode() + ", WWW-Authenticate: " + challenge;
            }
            if (cause instanceof McpError error) {
                return "MCP error: " + error.getMessage();
            }
            if (cause instanceof ConnectException) {
                return "cannot connect: is the server running?";
            }
        }
        String message = failure.getMessage();
        return message == null ? failure.getClass().getSimpleName() : message.lines().findFirst().orElse("");
    }

    @Override
    public void close() {
        mcp.closeGracefully();
    }
}
