package workshop.catalog.auth.jwt;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Binds each MCP session to the user who opened it. A session id travels in a plain header and shows
 * up in proxies and browser tools; a valid token of another user must not be enough to use it. The
 * owner is recorded when the MCP servlet hands out the id (on {@code initialize}); a request naming a
 * session of another user gets the very answer the MCP servlet gives for an unknown session (404), so
 * nobody learns that the id exists. Ids this class has never seen go to the servlet, which refuses them.
 */
public final class SessionOwners {

    static final String SESSION_HEADER = "Mcp-Session-Id";
    private static final String UNKNOWN_SESSION =
            "{\"jsonrpc\":\"2.0\",\"error\":{\"code\":-32603,\"message\":\"Session not found\"}}";
    private static final Logger log = LoggerFactory.getLogger(SessionOwners.class);

    private final ConcurrentMap<String, String> owners = new ConcurrentHashMap<>();

    /** Passes the request of {@code user} on to the chain, or refuses it when it names another's session. */
    void forward(HttpServletRequest request, HttpServletResponse response, FilterChain chain, String user)
            throws IOException, ServletException {
        String session = request.getHeader(SESSION_HEADER);
        if (session == null) {
            chain.doFilter(request, new RecordingOwner(response, user));
            return;
        }
        String owner = owners.get(session);
        if (owner != null && !owner.equals(user)) {
            // Never log the id itself: with a token, it is all it takes to use the session.
            log.info("Refused {} {} by {}: the session belongs to another user", request.getMethod(),
                    request.getRequestURI(), user);
            answerAsUnknown(request, response);
            return;
        }
        chain.doFilter(request, response);
        if ("DELETE".equals(request.getMethod()) && response.getStatus() < 300) {
            owners.remove(session, user);
        }
    }

    /** What the SDK's servlet answers for a session id it does not know (its POST body; sendError otherwise). */
    private static void answerAsUnknown(HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        if (!"POST".equals(request.getMethod())) {
            response.sendError(HttpServletResponse.SC_NOT_FOUND);
            return;
        }
        response.setStatus(HttpServletResponse.SC_NOT_FOUND);
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.getWriter().write(UNKNOWN_SESSION);
    }

    /** Records the owner before the id reaches the client, so its next request already finds it. */
    private final class RecordingOwner extends HttpServletResponseWrapper {
        private final String user;

        RecordingOwner(HttpServletResponse response, String user) {
            super(response);
            this.user = user;
        }

        @Override
        public void setHeader(String name, String value) {
            record(name, value);
            super.setHeader(name, value);
        }

        @Override
        public void addHeader(String name, String value) {
            record(name, value);
            super.addHeader(name, value);
        }

        private void record(String name, String value) {
            if (SESSION_HEADER.equalsIgnoreCase(name) && value != null) {
                owners.putIfAbsent(value, user);
            }
        }
    }
}
