package workshop.orders.server;

import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.server.McpTransportContextExtractor;
import jakarta.servlet.Filter;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServletRequest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The security a {@link OrdersServer} gets, as one value. Each step's wiring class at the top of the module
 * builds it from {@link #NONE}, one layer after another, and the server stays the same from step to step.
 *
 * @param mcpFilters the filters every {@value OrdersServer#MCP_PATH} request passes, in this order, after the
 *                   hardening of the {@code http} package
 * @param endpoints  more servlets by path spec, e.g. the login endpoints
 * @param context    what the MCP handlers learn about the HTTP request: the transport copies it into
 *                   {@code exchange.transportContext()}
 * @param tools      tools a layer brings along besides the desk's own, e.g. one that shows the caller
 * @param features   the gate every tool, resource and prompt is registered through, which also filters
 *                   {@code tools/list}
 */
public record Layers(List<Filter> mcpFilters, Map<String, Servlet> endpoints,
        McpTransportContextExtractor<HttpServletRequest> context, List<SyncToolSpecification> tools,
        FeatureGate features) {

    /** No security at all: the bare server, which the benchmark measures each layer against. */
    public static final Layers NONE = new Layers(List.of(), Map.of(), request -> McpTransportContext.EMPTY, List.of(),
            FeatureGate.OPEN);

    public Layers {
        mcpFilters = List.copyOf(mcpFilters);
        // Not Map.copyOf: the endpoints keep the order they were added in.
        endpoints = Collections.unmodifiableMap(new LinkedHashMap<>(endpoints));
        Objects.requireNonNull(context, "context");
        tools = List.copyOf(tools);
        Objects.requireNonNull(features, "features");
    }

    /** These layers, then {@code filter} on every {@value OrdersServer#MCP_PATH} request. */
    public Layers filter(Filter filter) {
        List<Filter> filters = new ArrayList<>(mcpFilters);
        filters.add(Objects.requireNonNull(filter, "filter"));
        return new Layers(filters, endpoints, context, tools, features);
    }

    /** These layers, plus a servlet at {@code pathSpec}, e.g. {@code /auth/*}. */
    public Layers endpoint(String pathSpec, Servlet servlet) {
        Map<String, Servlet> more = new LinkedHashMap<>(endpoints);
        more.put(pathSpec, Objects.requireNonNull(servlet, "servlet"));
        return new Layers(mcpFilters, more, context, tools, features);
    }

    /** These layers, with {@code extractor} deciding what reaches {@code exchange.transportContext()}. */
    public Layers context(McpTransportContextExtractor<HttpServletRequest> extractor) {
        return new Layers(mcpFilters, endpoints, extractor, tools, features);
    }

    /** These layers, plus {@code tool} on the server, registered through the gate like the desk's own. */
    public Layers tool(SyncToolSpecification tool) {
        List<SyncToolSpecification> more = new ArrayList<>(tools);
        more.add(Objects.requireNonNull(tool, "tool"));
        return new Layers(mcpFilters, endpoints, context, more, features);
    }

    /** These layers, with every tool, resource and prompt registered through {@code gate}. */
    public Layers features(FeatureGate gate) {
        return new Layers(mcpFilters, endpoints, context, tools, gate);
    }
}
