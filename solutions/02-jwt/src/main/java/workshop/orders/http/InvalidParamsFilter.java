package workshop.orders.http;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.McpSchema;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Answers a request whose {@code params} do not fit its method ({@code tools/call} with {@code "params": "x"}, a
 * {@code name} that is an object, {@code arguments} that are a string) with the JSON-RPC error -32602
 * {@code Invalid params} and the request's id (JSON-RPC 2.0 §5). The SDK converts the params in a way whose
 * failure escapes its error handling: it logs the error and ends the exchange with an empty 200, so the client
 * waits for an answer that never comes. This filter converts them first, with the SDK's own mapper and types.
 * Anything it cannot judge (not JSON, not a request, a method it does not know) goes on to the SDK unchanged.
 * <p>
 * Two bodies the SDK's servlet would answer with a 500 are refused here first: one declared in a charset other
 * than UTF-8 (415; JSON is UTF-8, RFC 8259 §8.1, and the servlet fails on a charset it does not know), and the
 * JSON literal {@code null} (400).
 * <p>
 * SDK behaviour (still in 2.2.0): params that do not bind end the exchange with an empty 200; those two bodies, a 500.
 */
public final class InvalidParamsFilter extends HttpFilter {

    private static final long serialVersionUID = 1L;
    /** The methods whose params the SDK converts to a type; anything else goes on unchecked. */
    private static final Map<String, TypeRef<?>> PARAMS = Map.of(
            McpSchema.METHOD_TOOLS_CALL, new TypeRef<McpSchema.CallToolRequest>() {
            },
            McpSchema.METHOD_PROMPT_GET, new TypeRef<McpSchema.GetPromptRequest>() {
            },
            McpSchema.METHOD_RESOURCES_READ, new TypeRef<McpSchema.ReadResourceRequest>() {
            },
            McpSchema.METHOD_RESOURCES_SUBSCRIBE, new TypeRef<McpSchema.SubscribeRequest>() {
            },
            McpSchema.METHOD_RESOURCES_UNSUBSCRIBE, new TypeRef<McpSchema.UnsubscribeRequest>() {
            },
            McpSchema.METHOD_LOGGING_SET_LEVEL, new TypeRef<McpSchema.SetLevelRequest>() {
            },
            McpSchema.METHOD_COMPLETION_COMPLETE, new TypeRef<McpSchema.CompleteRequest>() {
            });

    private final int maxBodyBytes;

    /** @param maxBodyBytes a larger body is not read here: the MCP servlet refuses it with 413 */
    public InvalidParamsFilter(int maxBodyBytes) {
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (!"POST".equals(request.getMethod())) {
            chain.doFilter(request, response);
            return;
        }
        String charset = request.getCharacterEncoding();
        if (charset != null && !charset.equalsIgnoreCase(StandardCharsets.UTF_8.name())) {
            HttpErrors.json(response, 415, "unsupported_media_type", "The body must be JSON in UTF-8");
            return;
        }
        ReplayedBody body = ReplayedBody.read(request, maxBodyBytes);
        byte[] head = body.head();
        if (head.length <= maxBodyBytes) {
            Map<String, Object> message = ReplayedBody.jsonObject(request, head);
            if (message == null) { // the JSON literal null
                HttpErrors.json(response, 400, "invalid_request", "The body is not a JSON-RPC message");
                return;
            }
            Object id = unboundRequestId(McpJsonDefaults.getMapper(), message);
            if (id != null) {
                Map<String, Object> error = new LinkedHashMap<>();
                error.put("code", McpSchema.ErrorCodes.INVALID_PARAMS);
                error.put("message", "Invalid params");
                Map<String, Object> answer = new LinkedHashMap<>();
                answer.put("jsonrpc", McpSchema.JSONRPC_VERSION);
                answer.put("id", id);
                answer.put("error", error);
                response.setStatus(HttpServletResponse.SC_OK);
                response.setContentType("application/json");
                response.setCharacterEncoding(StandardCharsets.UTF_8.name());
                response.getOutputStream().write(McpJsonDefaults.getMapper().writeValueAsBytes(answer));
                return;
            }
        }
        chain.doFilter(body, response);
    }

    /** The id of a JSON-RPC request whose params do not convert to its method's type; null for anything else. */
    private static Object unboundRequestId(McpJsonMapper mapper, Map<String, Object> message) {
        Object id = message.get("id");
        TypeRef<?> type = message.get("method") instanceof String method ? PARAMS.get(method) : null;
        if (type == null || !(id instanceof String || id instanceof Number)) {
            return null;
        }
        Object params = message.get("params");
        try {
            if (params instanceof Map<?, ?> && mapper.convertValue(params, type) != null) {
                return null;
            }
        } catch (RuntimeException doesNotBind) {
            // answered by the caller
        }
        return id;
    }
}
