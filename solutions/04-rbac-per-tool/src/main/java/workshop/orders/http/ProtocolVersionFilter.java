package workshop.orders.http;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Refuses a request whose {@code MCP-Protocol-Version} header names a version this server does not speak, with
 * 400, as the Streamable HTTP transport asks (MCP 2025-06-18 and later). No header at all is fine: the transport
 * says to read it as 2025-03-26, which the SDK speaks.
 * <p>
 * SDK behaviour (still in 2.2.0): the servlet never reads {@code MCP-Protocol-Version}, so any value is served.
 */
public final class ProtocolVersionFilter extends HttpFilter {

    private static final long serialVersionUID = 1L;
    static final String HEADER = "MCP-Protocol-Version";

    private final Set<String> supported;

    /** @param supported the versions the server speaks, e.g. the transport's {@code protocolVersions()} */
    public ProtocolVersionFilter(Collection<String> supported) {
        this.supported = Collections.unmodifiableSet(new TreeSet<>(supported));
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        List<String> versions = Collections.list(request.getHeaders(HEADER));
        if (versions.isEmpty() || (versions.size() == 1 && supported.contains(versions.get(0).strip()))) {
            chain.doFilter(request, response);
        } else {
            HttpErrors.json(response, 400, "unsupported_protocol_version",
                    HEADER + " must be one of " + String.join(", ", supported));
        }
    }
}
