package workshop.orders.http;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.io.PrintWriter;

/**
 * Sends the status line and headers of a GET event stream as soon as the stream opens. The SDK's servlet
 * opens the session's stream and then writes nothing until the server has an event, so a client (or curl)
 * saw no answer at all, not even the 200, until then. The SDK takes the response's writer once its headers
 * are set; that is the moment to commit them.
 */
public final class EventStreamHeadersFilter extends HttpFilter {

    private static final long serialVersionUID = 1L;
    private static final String EVENT_STREAM = "text/event-stream";

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (!"GET".equals(request.getMethod())) {
            chain.doFilter(request, response);
            return;
        }
        chain.doFilter(request, new HttpServletResponseWrapper(response) {
            @Override
            public PrintWriter getWriter() throws IOException {
                PrintWriter writer = super.getWriter();
                String type = getContentType();
                if (type != null && type.startsWith(EVENT_STREAM) && !isCommitted()) {
                    flushBuffer();
                }
                return writer;
            }
        });
    }
}
