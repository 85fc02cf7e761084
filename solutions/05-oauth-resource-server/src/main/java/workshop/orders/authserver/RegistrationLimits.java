package workshop.orders.authserver;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import workshop.orders.http.ReplayedBody;

/**
 * Bounds on open registration ({@code POST /oauth2/register}), checked before Spring reads the request: anyone
 * on the machine may register, so neither one request nor many may cost the server memory without end.
 * <ul>
 *   <li>at most {@value #PER_ADDRESS_PER_MINUTE} registrations a minute from one client address; the next ones
 *       get 429 with {@code Retry-After} (seconds until that address's minute is over);</li>
 *   <li>a body of at most {@value #MAX_BODY_BYTES} bytes (every field of a registration together); a longer one
 *       gets 413 {@code invalid_client_metadata} without being read to its end.</li>
 * </ul>
 * {@link ClientRegistrationPolicy} bounds the fields ({@code client_name}, redirect URIs) and
 * {@link RegisteredClients} how many clients are kept.
 */
final class RegistrationLimits implements Filter {

    static final int MAX_BODY_BYTES = 16 * 1024;
    static final int PER_ADDRESS_PER_MINUTE = 30;
    static final Duration WINDOW = Duration.ofMinutes(1);
    /** Beyond this many addresses the finished windows are dropped; the map cannot grow without end. */
    static final int MAX_ADDRESSES = 10_000;

    private record Window(Instant start, int count) {
    }

    private final Clock clock;
    private final Map<String, Window> windows = new HashMap<>();

    RegistrationLimits(Clock clock) {
        this.clock = clock;
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) req;
        HttpServletResponse response = (HttpServletResponse) res;
        if (!"POST".equals(request.getMethod())) {
            chain.doFilter(request, response);
            return;
        }
        // The body first, bounded: a refusal sent before it is read leaves it on the connection, which Jetty must
        // then close while the client may already be sending its next request there.
        byte[] body = request.getContentLengthLong() > MAX_BODY_BYTES ? null
                : request.getInputStream().readNBytes(MAX_BODY_BYTES + 1);
        if (body == null || body.length > MAX_BODY_BYTES) {
            refuse(response, 413, "invalid_client_metadata", "a registration is at most " + MAX_BODY_BYTES + " bytes");
            return;
        }
        Duration wait = admit(request.getRemoteAddr());
        if (!wait.isZero()) {
            response.setHeader("Retry-After", Long.toString(Math.max(1, (wait.toMillis() + 999) / 1000))); // rounded up
            refuse(response, 429, "too_many_requests", "at most " + PER_ADDRESS_PER_MINUTE
                    + " registrations a minute from one address");
            return;
        }
        chain.doFilter(new ReplayedBody(request, body, InputStream.nullInputStream()), response);
    }

    /** Counts one registration from this address; how long it must wait instead, zero when it may go on. */
    synchronized Duration admit(String address) {
        Instant now = clock.instant();
        if (windows.size() >= MAX_ADDRESSES) {
            windows.values().removeIf(window -> !now.isBefore(window.start().plus(WINDOW)));
        }
        Window window = windows.get(address);
        if (window == null || !now.isBefore(window.start().plus(WINDOW)) || now.isBefore(window.start())) {
            window = new Window(now, 0);
        }
        if (window.count() >= PER_ADDRESS_PER_MINUTE) {
            return Duration.between(now, window.start().plus(WINDOW));
        }
        windows.put(address, new Window(window.start(), window.count() + 1));
        return Duration.ZERO;
    }

    private static void refuse(HttpServletResponse response, int status, String error, String description)
            throws IOException {
        response.setStatus(status);
        response.setContentType("application/json");
        response.setHeader("Cache-Control", "no-store");
        // Fixed texts only: nothing of the request is echoed.
        response.getOutputStream().write(("{\"error\":\"" + error + "\",\"error_description\":\"" + description
                + "\"}").getBytes(StandardCharsets.UTF_8));
    }
}
