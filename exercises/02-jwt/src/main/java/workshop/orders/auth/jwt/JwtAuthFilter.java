package workshop.orders.auth.jwt;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Step 02: lets a request through to the MCP servlet only when it carries
 * {@code Authorization: Bearer <access token>} with a token that {@link TokenService} verifies.
 * Every refusal returns at once; nothing after the refusal runs. An MCP session stays with the user
 * who opened it ({@link SessionOwners}).
 */
public final class JwtAuthFilter extends HttpFilter {

    private static final long serialVersionUID = 1L;
    private static final Logger log = LoggerFactory.getLogger(JwtAuthFilter.class);

    private final transient TokenService tokens;
    private final transient SessionOwners sessions = new SessionOwners();

    public JwtAuthFilter(TokenService tokens) {
        this.tokens = tokens;
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        // TODO(02.3): no Bearer credential answers 401 with the bare challenge; a malformed one 400
        //  "invalid_request"; a token the TokenService refuses 401 "invalid_token", with its refusal's sentence as
        //  the description (a client must learn that its token expired). Only a valid token reaches the MCP
        //  servlet, and an MCP session stays the session of the user who opened it (SessionOwners, given).
        // A refusal ends the request: nothing after it may run.
        chain.doFilter(request, response); // the starting point lets every request through
    }
}
