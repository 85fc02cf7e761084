package workshop.orders.http;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * CORS for MCP clients that run in a web page on this machine (the MCP Inspector in Direct mode, any client in a
 * browser tab): the browser lets such a page send its requests to {@code /mcp} only after a preflight, and read the
 * answers only if the server names the page's origin. The origins are exactly those {@link OriginFilter} lets
 * through (a page on the loopback interface, any port, or one listed in {@code MCP_ALLOWED_ORIGINS}); any other
 * gets no CORS header, and {@code OriginFilter}, which runs first, has already refused it with 403.
 * <ul>
 * <li>The preflight ({@code OPTIONS} with {@code Access-Control-Request-Method}) is answered here with 204: before
 * authentication, since a preflight carries no credential, and before {@link MethodFilter}, which answers any other
 * {@code OPTIONS} with 405.</li>
 * <li>Every other answer to such a page, refusals included, names its origin and exposes the headers a client must
 * read: the 401's {@code WWW-Authenticate} (where OAuth discovery starts), {@code Mcp-Session-Id} and
 * {@code MCP-Protocol-Version}.</li>
 * </ul>
 * No cookies: {@code Access-Control-Allow-Credentials} is never sent, the page sends its credential itself in
 * {@code Authorization}. Written here rather than taken from Jetty: its {@code CrossOriginHandler} wraps the whole
 * server, so it would answer a foreign page's preflight (with 200) before {@code OriginFilter} could refuse it.
 */
public final class CorsFilter extends HttpFilter {

    private static final long serialVersionUID = 1L;
    /** The methods of the Streamable HTTP transport. */
    static final String ALLOWED_METHODS = "GET, POST, DELETE";
    /** The request headers the Streamable HTTP transport sends, besides those a page may always send. */
    static final String ALLOWED_HEADERS =
            "Authorization, Content-Type, Accept, Mcp-Session-Id, MCP-Protocol-Version, Last-Event-ID";
    /** The response headers a client reads: the challenge, the session, the protocol version. */
    static final String EXPOSED_HEADERS = "WWW-Authenticate, Mcp-Session-Id, MCP-Protocol-Version";
    /** How long a browser may reuse a preflight's answer, in seconds. */
    static final String MAX_AGE_SECONDS = "600";

    private final transient OriginFilter origins;

    /** @param origins the filter whose allowed origins are the ones a page may read answers from */
    public CorsFilter(OriginFilter origins) {
        this.origins = origins;
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        String origin = request.getHeader("Origin");
        if (origin == null || !origins.isAllowed(origin)) {
            chain.doFilter(request, response);
            return;
        }
        response.setHeader("Access-Control-Allow-Origin", origin);
        response.addHeader("Vary", "Origin");
        if ("OPTIONS".equals(request.getMethod()) && request.getHeader("Access-Control-Request-Method") != null) {
            response.setHeader("Access-Control-Allow-Methods", ALLOWED_METHODS);
            response.setHeader("Access-Control-Allow-Headers", ALLOWED_HEADERS);
            response.setHeader("Access-Control-Max-Age", MAX_AGE_SECONDS);
            response.setStatus(HttpServletResponse.SC_NO_CONTENT);
        } else {
            response.setHeader("Access-Control-Expose-Headers", EXPOSED_HEADERS);
            chain.doFilter(request, response);
        }
    }
}
