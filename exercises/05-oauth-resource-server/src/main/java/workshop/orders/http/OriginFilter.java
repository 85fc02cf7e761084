package workshop.orders.http;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Refuses requests that a web page of another site makes the browser send (DNS rebinding, MCP
 * transport spec), with 403 before authentication is even looked at. Two checks:
 * <ul>
 * <li>{@code Host}: a rebound name still carries the attacker's host name, so the host must be this
 * machine (localhost, 127.0.0.1, [::1]) or the address the server was bound to, any port;</li>
 * <li>{@code Origin}: absent (programs, not pages, send no Origin), a page served from this machine
 * (loopback host, any port), or one of the origins listed in {@code MCP_ALLOWED_ORIGINS}.</li>
 * </ul>
 */
public final class OriginFilter extends HttpFilter {

    private static final long serialVersionUID = 1L;
    private static final Set<String> LOOPBACK_HOSTS = Set.of("localhost", "127.0.0.1", "[::1]");

    private final Set<String> extraOrigins;
    private final Set<String> allowedHosts;

    /**
     * @param extraOrigins origins allowed besides the loopback ones
     * @param boundHost    the address the server listens on; clients may name it in {@code Host}
     */
    public OriginFilter(Set<String> extraOrigins, String boundHost) {
        this.extraOrigins = Set.copyOf(extraOrigins);
        Set<String> hosts = new HashSet<>(LOOPBACK_HOSTS);
        String bound = boundHost.toLowerCase(Locale.ROOT);
        hosts.add(bound.contains(":") && !bound.startsWith("[") ? "[" + bound + "]" : bound);
        this.allowedHosts = Set.copyOf(hosts);
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        List<String> origins = Collections.list(request.getHeaders("Origin"));
        if (!isAllowedHost(request.getServerName())) {
            HttpErrors.json(response, 403, "forbidden_host", "Requests for this Host are not allowed");
        } else if (origins.isEmpty() || (origins.size() == 1 && isAllowed(origins.get(0)))) {
            chain.doFilter(request, response);
        } else {
            HttpErrors.json(response, 403, "forbidden_origin", "Requests from this Origin are not allowed");
        }
    }

    /** The host part of the {@code Host} header (Jetty has already parsed it and refused a malformed one). */
    boolean isAllowedHost(String serverName) {
        String host = serverName == null ? "" : serverName.toLowerCase(Locale.ROOT);
        return allowedHosts.contains(host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host);
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
