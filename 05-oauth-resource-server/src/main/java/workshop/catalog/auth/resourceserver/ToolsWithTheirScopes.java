package workshop.catalog.auth.resourceserver;

import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.server.McpServerFeatures.SyncPromptSpecification;
import io.modelcontextprotocol.server.McpServerFeatures.SyncResourceSpecification;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import workshop.catalog.auth.permissions.Caller;
import workshop.catalog.auth.pertool.FeatureGuard;
import workshop.catalog.auth.pertool.FeaturePermissions;
import workshop.catalog.auth.pertool.FeaturePermissions.Feature;
import workshop.catalog.auth.pertool.FeaturePermissions.Kind;
import workshop.catalog.server.FeatureGate;

/**
 * Step 05's {@code tools/list}: every tool of the table, to every verified caller, each naming the scopes it needs,
 * in its description and in {@code _meta.securitySchemes} (one {@code oauth2} entry per scope that allows it, the
 * shape some clients read). Step 04 hid the tools a token cannot call; here the token holds only the scopes the user
 * asked for so far, and a client can ask for more: a hidden tool could never be called, so its 403
 * {@code insufficient_scope} could never start the step-up. The calls are checked as in step 04, by
 * {@link ResourceServerFilter} (the 403) and by {@link FeatureGuard} (the second line), which this gate wraps.
 */
public final class ToolsWithTheirScopes implements FeatureGate {

    private final FeaturePermissions permissions;
    private final FeatureGuard guard;

    public ToolsWithTheirScopes(FeaturePermissions permissions) {
        this.permissions = Objects.requireNonNull(permissions, "permissions");
        this.guard = new FeatureGuard(permissions);
    }

    /** A tool is listed to every verified caller when the table has a row for it; a tool without one is closed. */
    @Override
    public boolean isVisible(McpTransportContext context, Tool tool) {
        return Caller.of(context).isPresent() && !scopes(tool).isEmpty();
    }

    /** Step 04's guarded tool, listed with the scopes it needs. */
    @Override
    public SyncToolSpecification tool(SyncToolSpecification tool) {
        return new SyncToolSpecification(withScopes(tool.tool()), guard.tool(tool).callHandler());
    }

    @Override
    public SyncResourceSpecification resource(SyncResourceSpecification resource) {
        return guard.resource(resource);
    }

    @Override
    public SyncPromptSpecification prompt(SyncPromptSpecification prompt) {
        return guard.prompt(prompt);
    }

    private List<String> scopes(Tool tool) {
        return permissions.required(new Feature(Kind.TOOL, tool.name()));
    }

    private Tool withScopes(Tool tool) {
        List<String> scopes = scopes(tool);
        if (scopes.isEmpty()) {
            return tool;
        }
        String needs = (scopes.size() == 1 ? "Needs the OAuth scope " : "Needs one of the OAuth scopes ")
                + String.join(", ", scopes) + ".";
        Map<String, Object> meta = new LinkedHashMap<>(tool.meta() == null ? Map.of() : tool.meta());
        meta.put("securitySchemes", scopes.stream().map(scope -> Map.of("type", "oauth2", "scopes", List.of(scope)))
                .toList());
        return Tool.builder().name(tool.name()).title(tool.title())
                .description(tool.description() == null ? needs : tool.description() + " " + needs)
                .inputSchema(tool.inputSchema()).outputSchema(tool.outputSchema()).annotations(tool.annotations())
                .icons(tool.icons()).meta(meta).build();
    }
}
