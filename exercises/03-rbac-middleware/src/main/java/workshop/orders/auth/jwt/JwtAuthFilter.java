package workshop.orders.auth.jwt;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import workshop.orders.auth.BearerToken;
import workshop.orders.http.HttpErrors;

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
        BearerToken bearer = BearerToken.from(request);
        switch (bearer.kind()) {
            case ABSENT -> {
                log.info("Refused {} {}: {}", request.getMethod(), request.getRequestURI(), bearer.problem());
                HttpErrors.challenge(response, 401, null, "Log in at POST /auth/token and send Authorization: "
                        + "Bearer <access_token>");
            }
            case MALFORMED -> {
                log.info("Refused {} {}: {}", request.getMethod(), request.getRequestURI(), bearer.problem());
                HttpErrors.challenge(response, 400, "invalid_request", bearer.problem());
            }
            case PRESENT -> {
                TokenService.Principal principal;
                try {
                    principal = tokens.verify(bearer.token());
                } catch (TokenService.InvalidTokenException invalid) {
                    log.info("Refused {} {}: {}", request.getMethod(), request.getRequestURI(), invalid.getMessage());
                    HttpErrors.challenge(response, 401, "invalid_token", invalid.getMessage());
                    return;
                }
                log.debug("{} {} by {}", request.getMethod(), request.getRequestURI(), principal.subject());
                // TODO(03.2): the filters after this one and the tools must learn who the verified caller is (the
                //  principal's subject and name) and what the token grants, from this request alone: no static, no
                //  ThreadLocal.
                sessions.forward(request, response, chain, principal.subject());
            }
        }
    }
}
