package workshop.catalog.client;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a client looks for metadata, in the order the MCP authorization spec (2025-11-25) gives: plain lists of
 * URLs, no HTTP here ({@link AuthorizationCodeFlow} fetches them, first answer wins).
 */
public final class Discovery {

    private static final String RESOURCE = "/.well-known/oauth-protected-resource";
    private static final String OAUTH = "/.well-known/oauth-authorization-server";
    private static final String OPENID = "/.well-known/openid-configuration";

    /**
     * A place where Protected Resource Metadata may be, and the {@code resource} the document found there must
     * name (RFC 9728 §3.3): the endpoint itself, or the origin for the root document.
     */
    public record Candidate(URI metadataUrl, String resource) {
    }

    private Discovery() {
    }

    /**
     * Protected Resource Metadata (RFC 9728 §3.1, §5.1): the 401's {@code resource_metadata} if it has one
     * (the document must then be about the endpoint the client called); else the path form
     * ({@code /.well-known/oauth-protected-resource/mcp}), then the root form ({@code /.well-known/...} alone,
     * about the origin).
     */
    public static List<Candidate> resourceMetadata(URI endpoint, String fromChallenge) {
        if (fromChallenge != null && !fromChallenge.isBlank()) {
            return List.of(new Candidate(URI.create(fromChallenge), endpoint.toString()));
        }
        List<Candidate> candidates = new ArrayList<>();
        String path = path(endpoint);
        if (!path.isEmpty()) {
            candidates.add(new Candidate(URI.create(origin(endpoint) + RESOURCE + path), endpoint.toString()));
        }
        candidates.add(new Candidate(URI.create(origin(endpoint) + RESOURCE), origin(endpoint)));
        return candidates;
    }

    /**
     * Authorization server metadata for an issuer. With a path ({@code https://as.example/tenant1}): RFC 8414
     * inserts the well-known part between the host and the path, OpenID Connect Discovery 1.0 first inserts it
     * too, then appends it (its original rule):
     * <ol>
     *   <li>{@code https://as.example/.well-known/oauth-authorization-server/tenant1}</li>
     *   <li>{@code https://as.example/.well-known/openid-configuration/tenant1}</li>
     *   <li>{@code https://as.example/tenant1/.well-known/openid-configuration}</li>
     * </ol>
     * Without a path: {@code /.well-known/oauth-authorization-server}, then {@code /.well-known/openid-configuration}.
     */
    public static List<URI> authorizationServerMetadata(URI issuer) {
        String origin = origin(issuer);
        String path = path(issuer);
        if (path.isEmpty()) {
            return List.of(URI.create(origin + OAUTH), URI.create(origin + OPENID));
        }
        return List.of(URI.create(origin + OAUTH + path), URI.create(origin + OPENID + path),
                URI.create(origin + path + OPENID));
    }

    /**
     * MCP 2025-03-26, for a server without Protected Resource Metadata: the authorization server is the MCP
     * server's origin, its RFC 8414 metadata at the root.
     */
    public static URI legacyAuthorizationServerMetadata(URI endpoint) {
        return URI.create(origin(endpoint) + OAUTH);
    }

    /**
     * MCP 2025-03-26, for a server without any metadata: the default endpoints at the MCP server's origin.
     */
    public static URI legacyEndpoint(URI endpoint, String path) {
        return URI.create(origin(endpoint) + path);
    }

    /** {@code scheme://host:port}: the MCP server's origin, the issuer of the 2025-03-26 fallbacks. */
    public static String origin(URI uri) {
        return uri.getScheme() + "://" + uri.getRawAuthority();
    }

    /** The path without a trailing slash; empty for none or {@code /}. */
    private static String path(URI uri) {
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        return path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }
}
