package workshop.orders.http;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;

/**
 * The SDK's servlet answers a POSTed message it cannot handle with 500, though only the client can
 * cause that: a JSON-RPC response with an id the server never sent, for example. A client's mistake
 * is a 4xx (docs/design.md#status-codes), so a POST's 500 becomes 400; the JSON-RPC error body stays as the
 * SDK wrote it.
 * <p>
 * SDK behaviour (still in 2.2.0): the servlet answers a POSTed message its session fails to handle with 500.
 */
public final class Sdk500To400Filter extends HttpFilter {

    private static final long serialVersionUID = 1L;

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (!"POST".equals(request.getMethod())) {
            chain.doFilter(request, response);
            return;
        }
        chain.doFilter(request, new HttpServletResponseWrapper(response) {
            @Override
            public void setStatus(int status) {
                super.setStatus(clientError(status));
            }

            @Override
            public void sendError(int status) throws IOException {
                super.sendError(clientError(status));
            }

            @Override
            public void sendError(int status, String message) throws IOException {
                super.sendError(clientError(status), message);
            }
        });
    }

    /** The SDK sets its 500 with setStatus (a JSON-RPC body) or sendError (an error page): both are mapped. */
    private static int clientError(int status) {
        return status == HttpServletResponse.SC_INTERNAL_SERVER_ERROR ? HttpServletResponse.SC_BAD_REQUEST : status;
    }
}
