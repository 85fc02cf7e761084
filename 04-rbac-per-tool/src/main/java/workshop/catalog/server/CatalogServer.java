package workshop.catalog.server;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema.ServerCapabilities;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import workshop.catalog.http.CorsFilter;
import workshop.catalog.http.InvalidParamsFilter;
import workshop.catalog.http.JsonErrorHandler;
import workshop.catalog.http.MethodFilter;
import workshop.catalog.http.OriginFilter;
import workshop.catalog.http.ProtocolVersionFilter;
import workshop.catalog.http.SafeErrorJsonMapper;
import workshop.catalog.http.Sdk500To400Filter;

/**
 * The catalog MCP server on embedded Jetty: the SDK's Streamable HTTP servlet at {@value #MCP_PATH}, behind
 * the hardening of the {@code http} package and the {@link Layers} it is given. The layers are one parameter,
 * so every step starts the very same server, and a test or a benchmark can start it with or without a layer.
 */
public final class CatalogServer implements AutoCloseable {

    public static final String MCP_PATH = "/mcp";
    /** Where clients look for metadata about the server (RFC 8615): step 05 serves some, the others answer 404. */
    static final String WELL_KNOWN_PATH = "/.well-known/*";
    /** Room for long bearer tokens; a larger header block is answered 431 by Jetty. */
    static final int MAX_REQUEST_HEADER_BYTES = 16 * 1024;
    /** A JSON-RPC message of this workshop is a few hundred bytes; the SDK would read up to 16 MiB. */
    static final int MAX_REQUEST_BODY_BYTES = 1024 * 1024;

    private final Server jetty;
    private final McpSyncServer mcp;
    private final URI endpoint;

    private CatalogServer(Server jetty, McpSyncServer mcp, URI endpoint) {
        this.jetty = jetty;
        this.mcp = mcp;
        this.endpoint = endpoint;
    }

    /**
     * Starts the server.
     *
     * @param host           the address to bind; 127.0.0.1 keeps the server off the network
     * @param port           the port, or 0 for any free one
     * @param allowedOrigins browser origins allowed besides the loopback ones
     * @param layers         the security: filters, more endpoints, the caller's way to the handlers, the feature gate
     */
    public static CatalogServer start(String host, int port, Catalog catalog, Set<String> allowedOrigins,
            Layers layers) throws Exception {
        return start(host, port, catalog, allowedOrigins, endpoint -> layers);
    }

    /**
     * Starts the server with layers that need its URL (step 05 names it in its metadata and challenges): the port is
     * bound first, even when it is 0, and the layers are built for the URL that listens.
     *
     * @param layersFor the layers for the server's {@link #endpoint()}
     */
    public static CatalogServer start(String host, int port, Catalog catalog, Set<String> allowedOrigins,
            Function<URI, Layers> layersFor) throws Exception {
        QueuedThreadPool threads = new QueuedThreadPool();
        threads.setName("catalog-http");
        Server jetty = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setRequestHeaderSize(MAX_REQUEST_HEADER_BYTES);
        http.setSendServerVersion(false);
        // Jetty caches header fields per connection and, by default, matches them ignoring case: after
        // one good request, "Bearer S3CRET" would be read as the cached "Bearer s3cret". Secrets are
        // case-sensitive, so the cache must be too.
        http.setHeaderCacheCaseSensitive(true);
        ServerConnector connector = new ServerConnector(jetty, new HttpConnectionFactory(http));
        connector.setHost(host);
        connector.setPort(port);
        jetty.addConnector(connector);
        // Bound before the layers are built, so they get the real port even when port is 0.
        connector.open();
        String shownHost = host.contains(":") ? "[" + host + "]" : host;
        URI endpoint = URI.create("http://" + shownHost + ":" + connector.getLocalPort() + MCP_PATH);
        McpSyncServer mcp = null;
        try {
            Layers layers = layersFor.apply(endpoint);
            HttpServletStreamableServerTransportProvider transport = HttpServletStreamableServerTransportProvider
                    .builder()
                    .jsonMapper(new SafeErrorJsonMapper(McpJsonDefaults.getMapper()))
                    .mcpEndpoint(MCP_PATH)
                    .maxRequestSize(MAX_REQUEST_BODY_BYTES)
                    .contextExtractor(layers.context())
                    .build();
            CatalogFeatures features = new CatalogFeatures(catalog);
            // The catalog's tools and those a layer brings along, all through the same gate.
            List<SyncToolSpecification> tools = Stream.concat(features.tools().stream(), layers.tools().stream())
                    .toList();
            mcp = McpServer.sync(transport)
                    .serverInfo("catalog", "1.0.0")
                    .instructions("A small product catalog: list, create and delete products.")
                    .capabilities(ServerCapabilities.builder().tools(false).resources(false, false).prompts(false)
                            .build())
                    .tools(tools.stream().map(layers.features()::tool).toList())
                    .resources(features.resources().stream().map(layers.features()::resource).toList())
                    .prompts(features.prompts().stream().map(layers.features()::prompt).toList())
                    .addToolFilter(layers.features())
                    // Handlers and the tools/list filter run on the servlet's own thread, which may block. Left to
                    // the SDK, each filter check hops to another thread pool, and under load a list came back
                    // without its last tool.
                    .immediateExecution(true)
                    .build();
            ServletContextHandler context = context(transport, layers, allowedOrigins, host);
            jetty.setErrorHandler(context.getErrorHandler());
            jetty.setHandler(context);
            jetty.start();
        } catch (Exception e) {
            if (mcp != null) {
                mcp.close();
            }
            jetty.stop();
            connector.close();
            throw e;
        }
        return new CatalogServer(jetty, mcp, endpoint);
    }

    /** The MCP servlet behind the hardening and the layers' filters, the layers' endpoints, a JSON 404 elsewhere. */
    private static ServletContextHandler context(HttpServletStreamableServerTransportProvider transport,
            Layers layers, Set<String> allowedOrigins, String host) {
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        JsonErrorHandler errors = new JsonErrorHandler();
        context.setErrorHandler(errors);
        // The MCP servlet calls startAsync(), so it and every filter in front of it must be async-supported.
        OriginFilter origins = new OriginFilter(allowedOrigins, host);
        addFilter(context, origins, "/*");
        // Pages on this machine may call /mcp, and read /.well-known/* (the OAuth metadata, or its 404) to find out
        // how to log in; the same filter answers the preflight, before the method and auth filters.
        FilterHolder cors = addFilter(context, new CorsFilter(origins), MCP_PATH);
        context.addFilter(cors, WELL_KNOWN_PATH, EnumSet.of(DispatcherType.REQUEST));
        addFilter(context, new MethodFilter(), MCP_PATH);
        addFilter(context, new ProtocolVersionFilter(transport.protocolVersions()), MCP_PATH);
        addFilter(context, new Sdk500To400Filter(), MCP_PATH);
        for (Filter filter : layers.mcpFilters()) {
            addFilter(context, filter, MCP_PATH);
        }
        // Last: only a request every layer let through has its params read.
        addFilter(context, new InvalidParamsFilter(MAX_REQUEST_BODY_BYTES), MCP_PATH);
        ServletHolder servlet = new ServletHolder("mcp", transport);
        servlet.setAsyncSupported(true);
        context.addServlet(servlet, MCP_PATH);
        // Any other path: the JSON 404 whatever the method (Jetty's fallback servlet answers PATCH with 501).
        context.addServlet(new ServletHolder("not-found", new HttpServlet() {
            @Override
            protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
                response.sendError(HttpServletResponse.SC_NOT_FOUND);
            }
        }), "/");
        layers.endpoints().forEach((path, endpoint) -> {
            ServletHolder holder = new ServletHolder(endpoint);
            holder.setAsyncSupported(true);
            context.addServlet(holder, path);
        });
        return context;
    }

    private static FilterHolder addFilter(ServletContextHandler context, Filter filter, String path) {
        FilterHolder holder = new FilterHolder(filter);
        holder.setAsyncSupported(true);
        context.addFilter(holder, path, EnumSet.of(DispatcherType.REQUEST));
        return holder;
    }

    /** The URL clients connect to, e.g. {@code http://127.0.0.1:8080/mcp}. */
    public URI endpoint() {
        return endpoint;
    }

    public int port() {
        return endpoint.getPort();
    }

    /** Blocks until the server is stopped (by {@link #close()} from a shutdown hook, for example). */
    public void join() throws InterruptedException {
        jetty.join();
    }

    @Override
    public void close() throws Exception {
        try {
            mcp.closeGracefully();
        } finally {
            jetty.stop();
        }
    }
}
