package workshop.catalog.authserver;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Objects;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;

/**
 * The {@code redirect_uri} of an authorization request ({@code /oauth2/authorize}) must be one the client
 * registered, character for character (OAuth 2.1 §4.1.1, RFC 9700 §4.1.3), with one exception: on a loopback IP
 * literal ({@code 127.0.0.1}, {@code [::1]}) the port may differ, because a native client listens on whatever port
 * it gets (OAuth 2.1 §8.4.2; {@code localhost} is a name, not such a literal). A fragment or a user-info part
 * ({@code http://evil@localhost/cb}) never matches. A mismatch is a 400 error page: the browser is never sent
 * to a URI the client did not register. Requests without a {@code redirect_uri}, or for an unknown client, go on
 * to Spring, which handles them.
 */
final class RedirectUris implements Filter {

    private final RegisteredClientRepository clients;

    RedirectUris(RegisteredClientRepository clients) {
        this.clients = clients;
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) req;
        String requested = request.getParameter("redirect_uri");
        String clientId = request.getParameter("client_id");
        RegisteredClient client = requested == null || clientId == null ? null : clients.findByClientId(clientId);
        if (client != null && client.getRedirectUris().stream().noneMatch(registered -> matches(registered, requested))) {
            ((HttpServletResponse) res).sendError(400, "[invalid_request] redirect_uri is not one this client registered");
            return;
        }
        chain.doFilter(req, res);
    }

    static boolean matches(String registered, String requested) {
        URI want;
        URI got;
        try {
            want = new URI(registered);
            got = new URI(requested);
        } catch (URISyntaxException e) {
            return false;
        }
        if (got.getRawFragment() != null || got.getRawUserInfo() != null || got.getHost() == null) {
            return false;
        }
        if (registered.equals(requested)) {
            return true;
        }
        return isLoopbackLiteral(got.getHost()) && "http".equals(got.getScheme())
                && Objects.equals(want.getScheme(), got.getScheme()) && Objects.equals(want.getHost(), got.getHost())
                && want.getRawUserInfo() == null && want.getRawFragment() == null
                && Objects.equals(want.getRawPath(), got.getRawPath())
                && Objects.equals(want.getRawQuery(), got.getRawQuery());
    }

    private static boolean isLoopbackLiteral(String host) {
        return host.equals("[::1]") || host.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
    }
}
