package workshop.orders.auth.resourceserver;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Binds each MCP session to the user who opened it. A session id travels in a plain header and shows up in
 * proxies and browser tools; a valid token of another user must not be enough to use it.
 * <ul>
 * <li>Every session id the MCP servlet hands out is recorded with the user of that request, whatever the request
 * carried: an {@code initialize} that already names a session id (made up, empty, or an old one) still opens a new
 * session, and it gets its owner like any other.</li>
 * <li>A request naming a session of another user goes on with that id replaced by one the servlet never issued.
 * So the servlet itself answers, exactly as it answers every unknown id, byte for byte, and everything the layers
 * after this one check (the account, the permission) is checked as usual: the id never changes the answer.</li>
 * </ul>
 */
public final class SessionOwners {

    static final String SESSION_HEADER = "Mcp-Session-Id";
    private static final Logger log = LoggerFactory.getLogger(SessionOwners.class);

    private final ConcurrentMap<String, String> owners = new ConcurrentHashMap<>();

    /** Passes the request of {@code user} on to the chain; a session of another user is passed on as unknown. */
    void forward(HttpServletRequest request, HttpServletResponse response, FilterChain chain, String user)
            throws IOException, ServletException {
        String session = request.getHeader(SESSION_HEADER);
        String owner = session == null ? null : owners.get(session);
        if (owner != null && !owner.equals(user)) {
            // Never log the id itself: with a token, it is all it takes to use the session.
            log.info("{} {} by {} names a session of another user: passed on as an unknown session",
                    request.getMethod(), request.getRequestURI(), user);
            chain.doFilter(new UnknownSession(request), new RecordingOwner(response, user));
            return;
        }
        chain.doFilter(request, new RecordingOwner(response, user));
        if (session != null && "DELETE".equals(request.getMethod()) && response.getStatus() < 300) {
            owners.remove(session, user);
        }
    }

    /** The request with its session id replaced by a fresh one, which no session has. */
    private static final class UnknownSession extends HttpServletRequestWrapper {
        private final String unknown = UUID.randomUUID().toString();

        UnknownSession(HttpServletRequest request) {
            super(request);
        }

        @Override
        public String getHeader(String name) {
            return SESSION_HEADER.equalsIgnoreCase(name) ? unknown : super.getHeader(name);
        }

        @Override
        public Enumeration<String> getHeaders(String name) {
            return SESSION_HEADER.equalsIgnoreCase(name) ? Collections.enumeration(List.of(unknown))
                    : super.getHeaders(name);
        }
    }

    /** Records the owner of every session id the servlet hands out, before the id reaches the client. */
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
