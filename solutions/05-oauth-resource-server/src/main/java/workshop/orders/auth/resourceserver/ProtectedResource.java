package workshop.orders.auth.resourceserver;

import java.net.URI;
import java.util.List;
import java.util.Objects;

/**
 * What this MCP server says about itself as an OAuth protected resource (RFC 9728): its canonical URL, the
 * authorization server it trusts, and the scopes it knows. The canonical URL is the one the server was configured
 * with ({@code http://<MCP_HOST>:<port>/mcp}, no trailing slash), exactly: a token whose {@code aud} names the same
 * server under another spelling ({@code localhost} for {@code 127.0.0.1}) is for another resource.
 */
public final class ProtectedResource {

    /** Where RFC 9728 §3.1 puts the metadata: the well-known prefix, then the resource's path. */
    public static final String METADATA_PREFIX = "/.well-known/oauth-protected-resource";

    private final URI resource;
    private final URI issuer;
    private final List<String> scopes;

    /**
     * @param endpoint the URL of {@code /mcp} the server listens on; a trailing slash is dropped
     * @param issuer   the authorization server's issuer, exactly as its tokens carry it in {@code iss}
     * @param scopes   every scope this server's features need, as listed in the metadata
     */
    public ProtectedResource(URI endpoint, URI issuer, List<String> scopes) {
        String text = endpoint.toString();
        this.resource = URI.create(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
        this.issuer = Objects.requireNonNull(issuer, "issuer");
        this.scopes = List.copyOf(scopes);
    }

    /** The canonical URL of {@code /mcp}. */
    public URI resource() {
        return resource;
    }

    public URI issuer() {
        return issuer;
    }

    public List<String> scopes() {
        return scopes;
    }

    /** The URL of the metadata document of a resource: {@code http://host:port/.well-known/oauth-protected-resource/mcp}. */
    public static URI metadataUrl(URI resource) {
        return resource.resolve(METADATA_PREFIX + resource.getRawPath());
    }
}
