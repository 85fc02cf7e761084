package workshop.catalog.auth.resourceserver;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.server.McpAsyncServerExchange;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import workshop.catalog.auth.permissions.Caller;
import workshop.catalog.auth.pertool.FeaturePermissions;

/**
 * The gate on its own, without {@link ResourceServerFilter} in front: it lists every tool of the table with its
 * scope, and still refuses a call whose caller lacks that scope (step 04's guard, the second line).
 */
@DisplayName("Step 05's tools/list gate: every tool with its scope, and each call still guarded")
class ToolsWithTheirScopesTest {

    private final ToolsWithTheirScopes gate = new ToolsWithTheirScopes(FeaturePermissions.catalog());
    private final AtomicInteger ran = new AtomicInteger();
    private final SyncToolSpecification delete = gate.tool(new SyncToolSpecification(
            Tool.builder("delete_product", Map.of("type", "object")).description("Deletes a product.").build(),
            (exchange, request) -> {
                ran.incrementAndGet();
                return CallToolResult.builder().addTextContent("deleted").build();
            }));

    @Test
    @DisplayName("carol and alice both see delete_product, named with catalog.delete; a context without a caller sees none")
    void listsEveryToolWithItsScope() {
        assertThat(gate.isVisible(context("carol", "catalog.read"), delete.tool())).isTrue();
        assertThat(gate.isVisible(context("alice", "catalog.read", "catalog.delete"), delete.tool())).isTrue();
        assertThat(gate.isVisible(McpTransportContext.EMPTY, delete.tool())).isFalse();
        assertThat(delete.tool().description()).isEqualTo("Deletes a product. Needs the OAuth scope catalog.delete.");
        assertThat(delete.tool().meta()).containsEntry("securitySchemes",
                List.of(Map.of("type", "oauth2", "scopes", List.of("catalog.delete"))));
    }

    @Test
    @DisplayName("listed is not allowed: carol's call of delete_product is refused and never runs; alice's runs")
    void callsAreStillGuarded() {
        CallToolResult carol = call(context("carol", "catalog.read"));
        assertThat(carol.isError()).isTrue();
        assertThat(((TextContent) carol.content().get(0)).text()).contains("catalog.delete");
        assertThat(ran).hasValue(0);

        CallToolResult alice = call(context("alice", "catalog.read", "catalog.delete"));
        assertThat(alice.isError()).isNotEqualTo(Boolean.TRUE);
        assertThat(((TextContent) alice.content().get(0)).text()).isEqualTo("deleted");
        assertThat(ran).hasValue(1);
    }

    private CallToolResult call(McpTransportContext context) {
        // The SDK's own exchange, holding only the transport context the guard reads.
        McpSyncServerExchange exchange = new McpSyncServerExchange(
                new McpAsyncServerExchange("session", null, null, null, context));
        return delete.callHandler().apply(exchange,
                CallToolRequest.builder("delete_product").arguments(Map.of("id", 1)).build());
    }

    private static McpTransportContext context(String user, String... scopes) {
        return McpTransportContext.create(Map.of(Caller.KEY, new Caller(user, user, Set.of(scopes))));
    }
}
