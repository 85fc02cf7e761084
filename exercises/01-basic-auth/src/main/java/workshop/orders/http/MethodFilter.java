package workshop.orders.http;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Set;

/**
 * Lets through to the MCP endpoint only the methods its transport uses (GET, POST and DELETE) and
 * answers any other with 405. Left to the servlet, TRACE would echo the request, its
 * {@code Authorization} header included, and a method such as PATCH would get a 501.
 * <p>
 * SDK behaviour (still in 2.2.0): its servlet is a plain {@code HttpServlet}, which echoes TRACE and answers PATCH 501.
 */
public final class MethodFilter extends HttpFilter {

    private static final long serialVersionUID = 1L;
    static final Set<String> ALLOWED = Set.of("GET", "POST", "DELETE");

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (ALLOWED.contains(request.getMethod())) {
            chain.doFilter(request, response);
        } else {
            response.setHeader("Allow", "GET, POST, DELETE");
            HttpErrors.json(response, 405, "method_not_allowed", "This server serves GET, POST and DELETE only");
        }
    }
}
