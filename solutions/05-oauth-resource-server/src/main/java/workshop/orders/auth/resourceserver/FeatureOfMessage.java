package workshop.orders.auth.resourceserver;

import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.GetPromptRequest;
import io.modelcontextprotocol.spec.McpSchema.ReadResourceRequest;
import java.util.Map;
import java.util.Optional;
import workshop.orders.auth.pertool.FeaturePermissions.Feature;
import workshop.orders.auth.pertool.FeaturePermissions.Kind;

/**
 * Which tool, resource or prompt a JSON-RPC message asks for, read the way the SDK's servlet reads it, on the JSON
 * object the http package parsed once for every filter: the SDK's conversion to a request or a notification keeps
 * the method and the params as parsed, and its parameter types bind the params with the same mapper. So this check
 * and the server cannot disagree about what a message means (duplicate keys, escapes, numbers for names); params the
 * SDK cannot bind name no feature here, and the SDK refuses them. A message is checked even where the SDK would
 * refuse the rest of it (a {@code jsonrpc} that is an object): a refusal earlier, never a pass.
 */
final class FeatureOfMessage {

    private FeatureOfMessage() {
    }

    /** The feature a {@code tools/call}, {@code resources/read} or {@code prompts/get} names; empty for anything else. */
    static Optional<Feature> of(McpJsonMapper mapper, Map<String, Object> body) {
        // A method that is not a string never becomes one of these three: the mapper turns 7 into "7" and refuses an
        // array or an object.
        if (body == null || !(body.get("method") instanceof String method)) {
            return Optional.empty();
        }
        Kind kind = switch (method) {
            case McpSchema.METHOD_TOOLS_CALL -> Kind.TOOL;
            case McpSchema.METHOD_RESOURCES_READ -> Kind.RESOURCE;
            case McpSchema.METHOD_PROMPT_GET -> Kind.PROMPT;
            default -> null;
        };
        if (kind == null) {
            return Optional.empty();
        }
        Object params = body.get("params");
        // A name (or URI) that is a string is what the type keeps of it: read as parsed, without binding the params
        // (binding them was the largest part of this check's time in the benchmark's profile).
        String field = kind == Kind.RESOURCE ? "uri" : "name";
        if (params instanceof Map<?, ?> fields && fields.get(field) instanceof String name) {
            return Optional.of(new Feature(kind, name));
        }
        try {
            return Optional.ofNullable(switch (kind) {
                case TOOL -> mapper.convertValue(params, CallToolRequest.class).name();
                case RESOURCE -> mapper.convertValue(params, ReadResourceRequest.class).uri();
                case PROMPT -> mapper.convertValue(params, GetPromptRequest.class).name();
            }).map(name -> new Feature(kind, name));
        } catch (RuntimeException doesNotBind) {
            return Optional.empty(); // the SDK cannot bind it either: the http package answers -32602
        }
    }
}
