package workshop.catalog.auth.pertool;

import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.server.McpServerFeatures.SyncPromptSpecification;
import io.modelcontextprotocol.server.McpServerFeatures.SyncResourceSpecification;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import workshop.catalog.auth.permissions.Caller;
import workshop.catalog.auth.pertool.FeaturePermissions.Feature;
import workshop.catalog.auth.pertool.FeaturePermissions.Kind;
import workshop.catalog.server.FeatureGate;

/**
 * Step 04: the per-feature permission check, in one place. {@code CatalogServer} registers every tool,
 * resource and prompt through this guard, which wraps the feature's handler: the wrapper reads the
 * {@link Caller} from {@code exchange.transportContext()}, asks {@link FeaturePermissions}, and only then
 * runs the feature's own code. A refusal does not run it:
 * <ul>
 * <li>a tool call gets a tool result with {@code isError: true} whose text names the tool and the
 * permissions it needs;</li>
 * <li>a resource read or a prompt get gets an MCP error ({@value #PERMISSION_DENIED}) with the same kind of message.</li>
 * </ul>
 * The guard is also the {@code tools/list} filter, from the same table, so a caller sees only the tools
 * it may call. Hiding is a courtesy; the check at call time is the enforcement.
 */
public final class FeatureGuard implements FeatureGate {

    /**
     * The JSON-RPC error code of a refused resource read or prompt get. MCP defines no code for this;
     * JSON-RPC leaves -32000 to -32099 to the server, and MCP itself uses -32002 and -32042 there.
     */
    public static final int PERMISSION_DENIED = -32003;

    private static final Logger log = LoggerFactory.getLogger(FeatureGuard.class);

    private final FeaturePermissions permissions;

    public FeatureGuard(FeaturePermissions permissions) {
        this.permissions = Objects.requireNonNull(permissions, "permissions");
    }

    /** {@code tools/list}: a tool is shown when the table lets this message's caller call it. */
    @Override
    public boolean isVisible(McpTransportContext context, Tool tool) {
        return Caller.of(context)
                .map(caller -> permissions.allows(caller, new Feature(Kind.TOOL, tool.name())))
                .orElse(false);
    }

    /** The tool, with its handler run only for a caller the table allows; a refusal is a tool error. */
    @Override
    public SyncToolSpecification tool(SyncToolSpecification tool) {
        Feature feature = registered(new Feature(Kind.TOOL, tool.tool().name()));
        BiFunction<McpSyncServerExchange, CallToolRequest, CallToolResult> handler = tool.callHandler();
        return new SyncToolSpecification(tool.tool(), (exchange, request) -> refusal(feature, exchange)
                .map(message -> CallToolResult.builder().isError(true).addTextContent(message).build())
                .orElseGet(() -> handler.apply(exchange, request)));
    }

    @Override
    public SyncResourceSpecification resource(SyncResourceSpecification resource) {
        Feature feature = registered(new Feature(Kind.RESOURCE, resource.resource().uri()));
        return new SyncResourceSpecification(resource.resource(), orMcpError(feature, resource.readHandler()));
    }

    @Override
    public SyncPromptSpecification prompt(SyncPromptSpecification prompt) {
        Feature feature = registered(new Feature(Kind.PROMPT, prompt.prompt().name()));
        return new SyncPromptSpecification(prompt.prompt(), orMcpError(feature, prompt.promptHandler()));
    }

    /**
     * A resource or prompt handler that runs the given one only for a caller the table allows. Otherwise it
     * throws an {@link McpError}, which the SDK sends back as the JSON-RPC error of the request.
     */
    private <Q, R> BiFunction<McpSyncServerExchange, Q, R> orMcpError(Feature feature,
            BiFunction<McpSyncServerExchange, Q, R> handler) {
        return (exchange, request) -> {
            Optional<String> refused = refusal(feature, exchange);
            if (refused.isPresent()) {
                throw McpError.builder(PERMISSION_DENIED).message(refused.get()).build();
            }
            return handler.apply(exchange, request);
        };
    }

    /** A feature without a row still registers, closed to everyone; the warning makes the gap visible at start-up. */
    private Feature registered(Feature feature) {
        if (permissions.required(feature).isEmpty()) {
            log.warn("{} has no row in the permission table: nobody may use it", feature);
        }
        return feature;
    }

    /** Why the caller of this message may not use the feature, or empty when it may. */
    private Optional<String> refusal(Feature feature, McpSyncServerExchange exchange) {
        Optional<Caller> caller = Caller.of(exchange.transportContext());
        if (caller.isPresent() && permissions.allows(caller.get(), feature)) {
            return Optional.empty();
        }
        List<String> required = permissions.required(feature);
        String why;
        if (required.isEmpty()) {
            why = "is not in the permission table, so nobody may use it";
        } else if (caller.isEmpty()) {
            // Only a server wired without ResourceServerFilter gets here: refuse rather than guess.
            why = "needs " + String.join(" or ", required) + ", and this request carries no verified caller";
        } else {
            Caller known = caller.get();
            why = "needs " + String.join(" or ", required) + " (you have " + (known.permissions().isEmpty()
                    ? "no permissions" : String.join(", ", known.permissions())) + ")";
        }
        log.info("Refused {} to {}: it {}", feature, caller.map(Caller::subject).orElse("a request without a caller"),
                why);
        return Optional.of("Permission denied: " + feature + " " + why + ".");
    }
}
