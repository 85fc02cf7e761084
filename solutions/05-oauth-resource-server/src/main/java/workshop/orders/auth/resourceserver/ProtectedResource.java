package workshop.orders.auth.resourceserver;

import java.net.URI;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What this MCP server says about itself as an OAuth protected resource (RFC 9728): its canonical URL, the
 * authorization server it trusts, and the scopes it knows. The canonical URL is the one the server was configured
 * with ({@code http://<MCP_HOST>:<port>/mcp}, no trailing slash), exactly: a token whose {@code aud} names the same
 * server under another spelling ({@code localhost} for {@code 127.0.0.1}) is for another resource.
 */
public final class ProtectedResource {

    /** Where RFC 9728 §3.1 puts the metadata: the well-known prefix, then the resource's path. */
    public static final String METADATA_PREFIX = "/.well-known/oauth-protected-resource";

    private final URI issuer;
    private final List<String> scopes;
    // Late-bound, set once: with port 0 the URL exists only after the server has bound, and until then every
    // request that needs it is answered 503 (Wiring's layers are built before the server starts).
    private final AtomicReference<URI> resource = new AtomicReference<>();

    /**
     * @param issuer the authorization server's issuer, exactly as its tokens carry it in {@code iss}
     * @param scopes every scope this server's features need, as listed in the metadata
     */
    public ProtectedResource(URI issuer, List<String> scopes) {
        this.issuer = Objects.requireNonNull(issuer, "issuer");
        this.scopes = List.copyOf(scopes);
    }

    /** Sets the canonical URL of {@code /mcp} once the server listens; a second, different URL is refused. */
    public void bind(URI endpoint) {
        String text = endpoint.toString();
        URI canonical = URI.create(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
        if (!resource.compareAndSet(null, canonical) && !resource.get().equals(canonical)) {
            throw new IllegalStateException("the resource URL is already " + resource.get());
        }
    }

    /** The canonical URL of {@code /mcp}, or empty before {@link #bind(URI)}. */
    public Optional<URI> resource() {
        return Optional.ofNullable(resource.get());
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
