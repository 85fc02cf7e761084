package workshop.orders;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Refuses browser requests sent from a web page of another site (DNS rebinding, MCP transport spec).
 * Requests with no {@code Origin} header come from programs, not pages, and pass; a page served from
 * this machine (localhost, 127.0.0.1, [::1], any port) passes; so do the origins listed in
 * {@code MCP_ALLOWED_ORIGINS}. Everything else gets 403 before authentication is even looked at.
 */
public final class OriginFilter extends HttpFilter {

    private static final long serialVersionUID = 1L;
    private static final Set<String> LOOPBACK_HOSTS = Set.of("localhost", "127.0.0.1", "[::1]");

    private final Set<String> extraOrigins;

    public OriginFilter(Set<String> extraOrigins) {
        this.extraOrigins = Set.copyOf(extraOrigins);
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        List<String> origins = Collections.list(request.getHeaders("Origin"));
        if (origins.isEmpty() || (origins.size() == 1 && isAllowed(origins.get(0)))) {
            chain.doFilter(request, response);
        } else {
            HttpErrors.json(response, 403, "forbidden_origin", "Requests from this Origin are not allowed");
        }
    }

    boolean isAllowed(String origin) {
        if (extraOrigins.contains(origin)) {
            return true;
        }
        try {
            URI uri = new URI(origin);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
            boolean bare = uri.getRawPath() == null || uri.getRawPath().isEmpty();
            return (scheme.equals("http") || scheme.equals("https")) && bare && uri.getUserInfo() == null
                    && LOOPBACK_HOSTS.contains(host);
        } catch (URISyntaxException notAnOrigin) {
            return false;
        }
    }
}
