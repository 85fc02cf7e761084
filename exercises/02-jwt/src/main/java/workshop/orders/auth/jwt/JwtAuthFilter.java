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
        // TODO(02.3): as the secret filter of exercise 01 did, ask BearerToken.from(request) what the request
        //  carries. No Bearer credential (ABSENT): 401 with the bare challenge. A MALFORMED one: 400 with the
        //  error code "invalid_request". A PRESENT token goes on to the MCP servlet only when tokens.verify(...)
        //  accepts it; when verify throws InvalidTokenException: 401 with the error code "invalid_token" and the
        //  exception's message as the description (it is a fixed sentence, safe to send).
        //  Pass an accepted request on with sessions.forward(request, response, chain, principal.subject()):
        //  SessionOwners (given) keeps each MCP session to the user who opened it.
        // A refusal ends the request: write the error and return, without calling the chain.
        chain.doFilter(request, response); // the starting point lets every request through
    }
}
