package workshop.orders.auth.resourceserver;

import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.GetPromptRequest;
import io.modelcontextprotocol.spec.McpSchema.JSONRPCMessage;
import io.modelcontextprotocol.spec.McpSchema.JSONRPCNotification;
import io.modelcontextprotocol.spec.McpSchema.JSONRPCRequest;
import io.modelcontextprotocol.spec.McpSchema.ReadResourceRequest;
import java.util.Map;
import java.util.Optional;
import workshop.orders.auth.pertool.FeaturePermissions.Feature;
import workshop.orders.auth.pertool.FeaturePermissions.Kind;

/**
 * Which tool, resource or prompt a JSON-RPC message asks for, read the way the SDK's servlet reads it: the same
 * mapper, the same steps as {@code deserializeJsonRpcMessage} (on the JSON object the http package parsed once for
 * every filter), the same parameter types. So this check and the server cannot
 * disagree about what a message means (duplicate keys, escapes, numbers for names); a message the SDK cannot read
 * either names no feature here, and the SDK refuses it.
 */
final class FeatureOfMessage {

    private FeatureOfMessage() {
    }

    /** The feature a {@code tools/call}, {@code resources/read} or {@code prompts/get} names; empty for anything else. */
    static Optional<Feature> of(McpJsonMapper mapper, Map<String, Object> body) {
        JSONRPCMessage message;
        try {
            message = message(mapper, body);
        } catch (RuntimeException unreadable) {
            return Optional.empty();
        }
        String method;
        Object params;
        if (message instanceof JSONRPCRequest request) {
            method = request.method();
            params = request.params();
        } else if (message instanceof JSONRPCNotification notification) {
            method = notification.method();
            params = notification.params();
        } else {
            return Optional.empty();
        }
        try {
            return Optional.ofNullable(switch (method == null ? "" : method) {
                case McpSchema.METHOD_TOOLS_CALL -> feature(Kind.TOOL,
                        mapper.convertValue(params, CallToolRequest.class).name());
                case McpSchema.METHOD_RESOURCES_READ -> feature(Kind.RESOURCE,
                        mapper.convertValue(params, ReadResourceRequest.class).uri());
                case McpSchema.METHOD_PROMPT_GET -> feature(Kind.PROMPT,
                        mapper.convertValue(params, GetPromptRequest.class).name());
                default -> null;
            });
        } catch (RuntimeException doesNotBind) {
            return Optional.empty(); // the SDK cannot bind it either: the http package answers -32602
        }
    }

    /** {@code McpSchema.deserializeJsonRpcMessage} after its parse: a request, a notification, or nothing we check. */
    private static JSONRPCMessage message(McpJsonMapper mapper, Map<String, Object> body) {
        if (body == null || !body.containsKey("method")) {
            return null;
        }
        return body.containsKey("id") ? mapper.convertValue(body, JSONRPCRequest.class)
                : mapper.convertValue(body, JSONRPCNotification.class);
    }

    private static Feature feature(Kind kind, String name) {
        return name == null ? null : new Feature(kind, name);
    }
}
