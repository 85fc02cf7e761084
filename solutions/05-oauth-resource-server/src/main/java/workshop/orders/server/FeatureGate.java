package workshop.orders.server;

import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.server.McpServerFeatures.SyncPromptSpecification;
import io.modelcontextprotocol.server.McpServerFeatures.SyncResourceSpecification;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.server.McpSyncListFilter;
import io.modelcontextprotocol.spec.McpSchema.Tool;

/**
 * What stands between a caller and each MCP feature: {@link OrdersServer} registers every tool, resource and
 * prompt through it, so a check can wrap the feature's handler, and uses it as the {@code tools/list} filter.
 * {@link #OPEN} registers everything as it is; a step that checks permissions per feature supplies its own.
 */
public interface FeatureGate extends McpSyncListFilter<Tool> {

    /** Every feature as it is, every tool listed. */
    FeatureGate OPEN = new FeatureGate() {
        @Override
        public SyncToolSpecification tool(SyncToolSpecification tool) {
            return tool;
        }

        @Override
        public SyncResourceSpecification resource(SyncResourceSpecification resource) {
            return resource;
        }

        @Override
        public SyncPromptSpecification prompt(SyncPromptSpecification prompt) {
            return prompt;
        }

        @Override
        public boolean isVisible(McpTransportContext context, Tool tool) {
            return true;
        }
    };

    SyncToolSpecification tool(SyncToolSpecification tool);

    SyncResourceSpecification resource(SyncResourceSpecification resource);

    SyncPromptSpecification prompt(SyncPromptSpecification prompt);
}
