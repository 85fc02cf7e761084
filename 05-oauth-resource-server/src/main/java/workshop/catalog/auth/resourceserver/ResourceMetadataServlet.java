package workshop.catalog.auth.resourceserver;

import io.modelcontextprotocol.json.McpJsonDefaults;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import workshop.catalog.http.HttpErrors;

/**
 * RFC 9728 Protected Resource Metadata: where a client that got a 401 learns which authorization server to ask
 * for a token, and for which resource. Served at {@code /.well-known/oauth-protected-resource/mcp} (the form RFC
 * 9728 §3.1 derives from the resource URL) and at {@code /.well-known/oauth-protected-resource} (where clients
 * look when they know only the host). GET only; it holds nothing secret, and it always names the configured
 * canonical URL, never one built from the request's {@code Host}.
 *
 * <p>Browser-based clients (the MCP Inspector's web UI) read it from a page of another origin: the {@code http}
 * package's {@code CorsFilter} answers their preflight and names a loopback page's origin on every
 * {@code /.well-known/*} answer, and {@code OriginFilter} refuses foreign ones before.
 */
public final class ResourceMetadataServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    /** The path spec to register this servlet at: it also matches the prefix itself. */
    public static final String PATH = ProtectedResource.METADATA_PREFIX + "/*";

    private final transient ProtectedResource resource;

    public ResourceMetadataServlet(ProtectedResource resource) {
        this.resource = resource;
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getPathInfo();
        if (path != null && !path.equals(resource.resource().getRawPath())) {
            HttpErrors.json(response, 404, "not_found", "No protected resource at this path");
        } else if (!"GET".equals(request.getMethod())) {
            response.setHeader("Allow", "GET");
            HttpErrors.json(response, 405, "method_not_allowed", "The metadata is read with GET");
        } else {
            Map<String, Object> metadata = new LinkedHashMap<>();
            metadata.put("resource", resource.resource().toString());
            metadata.put("authorization_servers", List.of(resource.issuer().toString()));
            metadata.put("scopes_supported", resource.scopes());
            metadata.put("bearer_methods_supported", List.of("header"));
            metadata.put("resource_name", "Catalog MCP server (workshop step 05)");
            byte[] body = McpJsonDefaults.getMapper().writeValueAsBytes(metadata);
            response.setStatus(200);
            response.setContentType("application/json");
            response.setCharacterEncoding(StandardCharsets.UTF_8.name());
            response.setContentLength(body.length);
            response.getOutputStream().write(body);
        }
    }
}
