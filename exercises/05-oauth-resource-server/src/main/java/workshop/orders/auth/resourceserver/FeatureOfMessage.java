package workshop.orders.auth.resourceserver;

import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.GetPromptRequest;
import io.modelcontextprotocol.spec.McpSchema.JSONRPCMessage;
import io.modelcontextprotocol.spec.McpSchema.JSONRPCNotification;
import io.modelcontextprotocol.spec.McpSchema.JSONRPCRequest;
import io.modelcontextprotocol.spec.McpSchema.ReadResourceRequest;
import java.util.Optional;
import workshop.orders.auth.pertool.FeaturePermissions.Feature;
import workshop.orders.auth.pertool.FeaturePermissions.Kind;

/**
 * Which tool, resource or prompt a JSON-RPC message asks for, read the way the SDK's servlet reads it: the same
 * mapper, the same {@code deserializeJsonRpcMessage}, the same parameter types. So this check and the server cannot
 * disagree about what a message means (duplicate keys, escapes, numbers for names); a message the SDK cannot read
 * either names no feature here, and the SDK refuses it.
 */
final class FeatureOfMessage {

    private FeatureOfMessage() {
    }

    /** The feature a {@code tools/call}, {@code resources/read} or {@code prompts/get} names; empty for anything else. */
    static Optional<Feature> of(McpJsonMapper mapper, String body) {
        JSONRPCMessage message;
        try {
            message = McpSchema.deserializeJsonRpcMessage(mapper, body);
        } catch (Exception unreadable) {
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

    private static Feature feature(Kind kind, String name) {
        return name == null ? null : new Feature(kind, name);
    }
}
