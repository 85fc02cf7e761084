package workshop.orders.auth.resourceserver;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * RFC 9728 Protected Resource Metadata: where a client that got a 401 learns which authorization server to ask
 * for a token, and for which resource. Served at {@code /.well-known/oauth-protected-resource/mcp} (the form RFC
 * 9728 §3.1 derives from the resource URL) and at {@code /.well-known/oauth-protected-resource} (where clients
 * look when they know only the host). GET only; it holds nothing secret, and it always names the configured
 * canonical URL, never one built from the request's {@code Host}.
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
        // TODO(05.1): GET /.well-known/oauth-protected-resource/mcp and GET /.well-known/oauth-protected-resource
        //  answer 200, Content-Type application/json, with resource (the canonical URL resource.resource(), never
        //  one built from the request), authorization_servers ([the issuer]), scopes_supported and
        //  bearer_methods_supported (["header"]). Another method: 405 method_not_allowed with Allow: GET. Another
        //  resource's path under the prefix: 404 not_found. Errors are JSON, as everywhere.
        throw new UnsupportedOperationException("TODO(05.1): serve the protected resource metadata");
    }
}
