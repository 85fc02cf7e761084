package workshop.orders.client;

import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.client.transport.McpHttpClientTransportAuthorizationException;
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
import java.util.stream.Collectors;
import workshop.orders.server.OrdersFeatures;

/**
 * The orders desk's MCP client: the SDK's sync client over Streamable HTTP, with the credential added to
 * every HTTP request it sends (initialize, tool calls, the session's DELETE, all of them).
 */
public final class OrdersClient implements AutoCloseable {

    static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final McpSyncClient mcp;

    private OrdersClient(McpSyncClient mcp) {
        this.mcp = mcp;
    }

    /**
     * Connects and runs the MCP handshake.
     *
     * @param secret the shared secret, or null to send no Authorization header (to see the refusal)
     * @throws RuntimeException when the server refuses or cannot be reached; {@link #explain} turns it into one line
     */
    public static OrdersClient connect(URI endpoint, String secret) {
        HttpClientStreamableHttpTransport transport = HttpClientStreamableHttpTransport
                .builder(endpoint.getScheme() + "://" + endpoint.getRawAuthority())
                .endpoint(endpoint.getRawPath())
                .connectTimeout(TIMEOUT)
                .addHttpRequestCustomizer((request, method, uri, body, context) -> {
                    // TODO(01.5): a client given a secret proves it on every HTTP request of its session (this
                    //  customizer sees each one); a client given none sends no credential at all.
                })
                .build();
        McpSyncClient mcp = McpClient.sync(transport)
                .clientInfo(Implementation.builder("orders-client", "1.0.0").build())
                .requestTimeout(TIMEOUT)
                .initializationTimeout(TIMEOUT)
                .build();
        try {
            mcp.initialize();
            return new OrdersClient(mcp);
        } catch (RuntimeException e) {
            mcp.close();
            throw e;
        }
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

    public String readOpenOrders() {
        List<ResourceContents> contents =
                mcp.readResource(ReadResourceRequest.builder(OrdersFeatures.OPEN_ORDERS_URI).build()).contents();
        return contents.stream()
                .map(content -> content instanceof TextResourceContents text ? text.text() : "(binary)")
                .collect(Collectors.joining("\n"));
    }

    public String prompt(String name, Map<String, Object> arguments) {
        return mcp.getPrompt(GetPromptRequest.builder(name).arguments(arguments).build()).messages().stream()
                .map(PromptMessage::content)
                .map(OrdersClient::text)
                .collect(Collectors.joining("\n"));
    }

    /** The text of a tool result or prompt message, joined into one string. */
    public static String text(CallToolResult result) {
        return result.content().stream().map(OrdersClient::text).collect(Collectors.joining("\n"));
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
