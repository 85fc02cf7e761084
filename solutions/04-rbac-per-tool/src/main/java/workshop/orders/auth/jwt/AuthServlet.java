package workshop.orders.auth.jwt;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.TypeRef;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import workshop.orders.http.HttpErrors;

/**
 * The login endpoints of docs/design.md#status-codes, JSON in and out with the OAuth field names:
 * <ul>
 * <li>{@code POST /auth/token} {@code {"username", "password"}} → a token pair</li>
 * <li>{@code POST /auth/refresh} {@code {"refresh_token"}} → the next pair (the old refresh token is retired)</li>
 * <li>{@code POST /auth/revoke} {@code {"token"}} → 200, the token's family revoked (RFC 7009)</li>
 * </ul>
 * A bad body is 400 {@code invalid_request} (413 when over {@value #MAX_BODY_BYTES} bytes, 415 when not
 * JSON); a wrong password or an unusable refresh token is 400 {@code invalid_grant} (RFC 6749 §5.2).
 */
public final class AuthServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final Logger log = LoggerFactory.getLogger(AuthServlet.class);

    public static final String PATH = "/auth/*";
    static final int MAX_BODY_BYTES = 8 * 1024;
    private static final Set<String> ENDPOINTS = Set.of("/token", "/refresh", "/revoke");

    private final transient UserDirectory users;
    private final transient TokenService tokens;
    private final transient RefreshTokens refreshTokens;
    private final transient LoginThrottle throttle;

    /** A request we answer with an error; the description is ours, never an exception's text. */
    private static final class Refusal extends Exception {
        private static final long serialVersionUID = 1L;
        private final int status;
        private final String error;
        /** Seconds for {@code Retry-After}, or 0 for none. */
        private final long retryAfter;

        Refusal(int status, String error, String description) {
            this(status, error, description, 0);
        }

        Refusal(int status, String error, String description, long retryAfter) {
            super(description, null, false, false);
            this.status = status;
            this.error = error;
            this.retryAfter = retryAfter;
        }
    }

    public AuthServlet(UserDirectory users, TokenService tokens, RefreshTokens refreshTokens, LoginThrottle throttle) {
        this.users = users;
        this.tokens = tokens;
        this.refreshTokens = refreshTokens;
        this.throttle = throttle;
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String endpoint = request.getPathInfo();
        if (endpoint == null || !ENDPOINTS.contains(endpoint)) {
            HttpErrors.json(response, 404, "not_found", "Not Found");
            return;
        }
        if (!"POST".equals(request.getMethod())) {
            response.setHeader("Allow", "POST");
            HttpErrors.json(response, 405, "method_not_allowed", "Only POST is allowed here");
            return;
        }
        try {
            Map<String, Object> body = readJson(request);
            switch (endpoint) {
                case "/token" -> token(body, request.getRemoteAddr(), response);
                case "/refresh" -> refresh(body, response);
                default -> revoke(body, response);
            }
        } catch (Refusal refusal) {
            log.info("Refused POST /auth{}: {}", endpoint, refusal.getMessage());
            if (refusal.retryAfter > 0) {
                response.setHeader("Retry-After", Long.toString(refusal.retryAfter));
            }
            HttpErrors.json(response, refusal.status, refusal.error, refusal.getMessage());
        }
    }

    private void token(Map<String, Object> body, String address, HttpServletResponse response)
            throws Refusal, IOException {
        String username = field(body, "username");
        String password = field(body, "password");
        // Too many failures already: answered at once, without hashing (docs/design.md#status-codes).
        Duration wait = throttle.waitFor(username, address);
        if (!wait.isZero()) {
            long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
            throw new Refusal(429, "too_many_attempts", "Too many failed logins; try again in " + seconds
                    + " seconds", seconds);
        }
        Optional<UserDirectory.User> found;
        try {
            found = throttle.hashing(() -> users.authenticate(username, password)).orElseThrow(() -> new Refusal(503,
                    "temporarily_unavailable", "Too many logins at once; try again in a second", 1));
        } catch (InterruptedException stopping) {
            Thread.currentThread().interrupt();
            throw new Refusal(503, "temporarily_unavailable", "The server is stopping", 1);
        }
        // One answer for an unknown user, a wrong password and a disabled account: which of the three
        // it was is nobody's business but the administrator's.
        if (found.isEmpty()) {
            throttle.failed(username, address);
            throw new Refusal(400, "invalid_grant", "The username or password is not valid");
        }
        UserDirectory.User user = found.get();
        throttle.succeeded(username, address);
        log.info("Login of {}", user.username());
        sendTokens(response, user, refreshTokens.issue(user.username()));
    }

    private void refresh(Map<String, Object> body, HttpServletResponse response) throws Refusal, IOException {
        RefreshTokens.Rotated rotated;
        try {
            rotated = refreshTokens.rotate(field(body, "refresh_token"));
        } catch (RefreshTokens.InvalidGrantException e) {
            throw new Refusal(400, "invalid_grant", e.getMessage());
        }
        // The account may have been disabled since the login: then the chain ends here.
        Optional<UserDirectory.User> user = users.enabledUser(rotated.username());
        if (user.isEmpty()) {
            refreshTokens.revoke(rotated.refreshToken());
            throw new Refusal(400, "invalid_grant", "The user no longer exists or is disabled");
        }
        sendTokens(response, user.get(), rotated.refreshToken());
    }

    private void revoke(Map<String, Object> body, HttpServletResponse response) throws Refusal, IOException {
        refreshTokens.revoke(field(body, "token"));
        // RFC 7009 §2.2: 200 whether or not the token was known, so this cannot probe for live tokens.
        send(response, Map.of());
    }

    private void sendTokens(HttpServletResponse response, UserDirectory.User user, String refreshToken)
            throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("access_token", tokens.issue(user).value());
        body.put("token_type", "Bearer");
        body.put("expires_in", tokens.lifetime().toSeconds());
        body.put("refresh_token", refreshToken);
        send(response, body);
    }

    private static void send(HttpServletResponse response, Map<String, Object> body) throws IOException {
        byte[] json = McpJsonDefaults.getMapper().writeValueAsBytes(body);
        // Tokens must not be kept by any cache between here and the client (RFC 6749 §5.1).
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("Pragma", "no-cache");
        response.setContentType("application/json;charset=utf-8");
        response.getOutputStream().write(json);
    }

    private static Map<String, Object> readJson(HttpServletRequest request) throws Refusal, IOException {
        String type = request.getContentType() == null ? "" : request.getContentType();
        if (!type.split(";", 2)[0].strip().equalsIgnoreCase("application/json")) {
            throw new Refusal(415, "invalid_request", "The body must be JSON, sent as Content-Type: application/json");
        }
        // Read one byte more than allowed: that is enough to know the body is too large, without
        // trusting Content-Length (a chunked body has none).
        byte[] bytes = request.getInputStream().readNBytes(MAX_BODY_BYTES + 1);
        if (bytes.length > MAX_BODY_BYTES) {
            throw new Refusal(413, "invalid_request", "The body is larger than " + MAX_BODY_BYTES + " bytes");
        }
        Map<String, Object> body;
        try {
            body = McpJsonDefaults.getMapper().readValue(bytes, new TypeRef<Map<String, Object>>() {
            });
        } catch (IOException | RuntimeException notJson) {
            body = null;
        }
        if (body == null) {
            throw new Refusal(400, "invalid_request", "The body is not a JSON object");
        }
        return body;
    }

    private static String field(Map<String, Object> body, String name) throws Refusal {
        Object value = body.get(name);
        if (!(value instanceof String text) || text.isEmpty()) {
            throw new Refusal(400, "invalid_request", value == null ? "The field '" + name + "' is missing"
                    : "The field '" + name + "' must be a non-empty string");
        }
        return text;
    }
}
