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
 * disagree about what a message means (duplicate keys, escapes, numbers for names); a message whose params the SDK
 * cannot bind names no feature here, and the SDK refuses it. A message with a method that is a string is checked even
 * where the SDK would refuse the rest of it (a {@code jsonrpc} that is an object): a refusal earlier, never a pass.
 */
final class FeatureOfMessage {

    private FeatureOfMessage() {
    }

    /** The feature a {@code tools/call}, {@code resources/read} or {@code prompts/get} names; empty for anything else. */
    static Optional<Feature> of(McpJsonMapper mapper, Map<String, Object> body) {
        if (body != null && body.get("method") instanceof String method) {
            // What the SDK's conversion to a request or a notification keeps of a message whose method is a string:
            // the method, and the params as parsed. Read straight from the object: that conversion of the whole
            // message was the largest part of this check's time in the benchmark's profile.
            return feature(mapper, method, body.get("params"));
        }
        return ofConverted(mapper, body);
    }

    /** Anything else with a method (a number, an array...): converted exactly as the SDK converts it. */
    private static Optional<Feature> ofConverted(McpJsonMapper mapper, Map<String, Object> body) {
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
        return feature(mapper, method, params);
    }

    /** The feature a method names in its params, as the SDK's parameter type binds them. */
    private static Optional<Feature> feature(McpJsonMapper mapper, String method, Object params) {
        Kind kind = switch (method == null ? "" : method) {
            case McpSchema.METHOD_TOOLS_CALL -> Kind.TOOL;
            case McpSchema.METHOD_RESOURCES_READ -> Kind.RESOURCE;
            case McpSchema.METHOD_PROMPT_GET -> Kind.PROMPT;
            default -> null;
        };
        if (kind == null) {
            return Optional.empty();
        }
        // A name (or URI) that is a string is what the type keeps of it: read as parsed, without binding the params.
        String field = kind == Kind.RESOURCE ? "uri" : "name";
        if (params instanceof Map<?, ?> fields && fields.get(field) instanceof String name) {
            return Optional.of(new Feature(kind, name));
        }
        try {
            return Optional.ofNullable(feature(kind, switch (kind) {
                case TOOL -> mapper.convertValue(params, CallToolRequest.class).name();
                case RESOURCE -> mapper.convertValue(params, ReadResourceRequest.class).uri();
                case PROMPT -> mapper.convertValue(params, GetPromptRequest.class).name();
            }));
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
