package workshop.orders.auth.permissions;

import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import java.util.List;
import java.util.Map;

/**
 * The tool {@code whoami}, which this layer adds to the server: it shows the {@link Caller} that arrived with the
 * request, read from {@code exchange.transportContext()} where the transport put it. It proves that a tool learns
 * who is calling without a static or a ThreadLocal.
 */
public final class WhoAmI {

    private WhoAmI() {
    }

    public static SyncToolSpecification tool() {
        Tool tool = Tool.builder("whoami", Map.of("type", "object", "properties", Map.of(), "required", List.of(),
                        "additionalProperties", false))
                .description("Says who the server thinks is calling, and with which permissions.").build();
        return SyncToolSpecification.builder()
                .tool(tool)
                .callHandler((exchange, request) -> Caller.of(exchange.transportContext())
                        .map(caller -> CallToolResult.builder().addTextContent(introduce(caller)).build())
                        .orElseGet(() -> CallToolResult.builder().isError(true)
                                .addTextContent("whoami: this request carries no verified caller.").build()))
                .build();
    }

    private static String introduce(Caller caller) {
        String granted = caller.permissions().isEmpty() ? "no permissions"
                : "the permissions " + String.join(", ", caller.permissions());
        return "You are " + caller.name() + " (" + caller.subject() + "), with " + granted + ".";
    }
}
