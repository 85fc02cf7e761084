package workshop.orders.authserver;

import java.time.Duration;
import java.util.List;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.UrlBasedCorsConfigurationSource;
import org.springframework.web.filter.CorsFilter;

/**
 * CORS for MCP clients that run in a browser page (the MCP Inspector's web UI on http://localhost:6274): their
 * OAuth calls are {@code fetch}es from that page, which the browser lets read an answer only if the server says so.
 * Narrow on purpose: only the endpoints a client calls with {@code fetch} (metadata, registration, token, keys; not
 * the authorization and login pages, which the browser navigates to), only pages on the loopback interface, no
 * cookies ({@code allowCredentials} stays off, so a page cannot ride on a user's login session).
 */
final class BrowserClients {

    static final List<String> PATHS = List.of("/.well-known/oauth-authorization-server",
            "/.well-known/openid-configuration", "/oauth2/register", "/oauth2/token", "/oauth2/jwks");

    private BrowserClients() {
    }

    /** A servlet filter that answers the preflight and adds {@code Access-Control-Allow-Origin} on these paths. */
    static CorsFilter corsFilter() {
        CorsConfiguration cors = new CorsConfiguration();
        cors.setAllowedOriginPatterns(List.of("http://localhost:[*]", "http://127.0.0.1:[*]", "http://[::1]:[*]"));
        cors.setAllowedMethods(List.of("GET", "POST"));
        cors.setAllowedHeaders(List.of("Content-Type", "Accept", "MCP-Protocol-Version"));
        cors.setAllowCredentials(false);
        cors.setMaxAge(Duration.ofMinutes(10));
        UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
        PATHS.forEach(path -> source.registerCorsConfiguration(path, cors));
        return new CorsFilter(source);
    }
}
