package workshop.orders.support;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.TypeRef;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import workshop.orders.Config;
import workshop.orders.client.OrdersClient;
import workshop.orders.http.HttpErrors;

/**
 * A stand-in for the step's auth layer, so that the client (task 02.6) is graded whatever state the
 * server's tasks are in. Its filter lets in the access tokens it handed out and refuses expired ones
 * with 401 invalid_token, as the real filter does; its /auth/token and /auth/refresh hand out numbered
 * pairs, and take each refresh token once.
 */
public final class StandInAuth {

    public static final String PASSWORD = "stand-in-password";

    private final Set<String> live = ConcurrentHashMap.newKeySet();
    private final Set<String> expired = ConcurrentHashMap.newKeySet();
    private final Set<String> refreshTokens = ConcurrentHashMap.newKeySet();
    private final AtomicInteger issued = new AtomicInteger();
    /** How many refreshes were answered with a new pair. */
    public final AtomicInteger refreshes = new AtomicInteger();
    /** Method and Authorization header of every /mcp request, in order. */
    public final List<String> seen = new CopyOnWriteArrayList<>();
    /** When true, a good access token gets 403 insufficient_scope instead of passing. */
    public volatile boolean forbidden;

    /** A new pair, as a login would hand out. */
    public OrdersClient.Tokens pair() {
        int n = issued.incrementAndGet();
        String suffix = Config.randomSecret().substring(0, 8);
        OrdersClient.Tokens tokens = new OrdersClient.Tokens("access-" + n + "-" + suffix,
                "refresh-" + n + "-" + suffix);
        live.add(tokens.accessToken());
        refreshTokens.add(tokens.refreshToken());
        return tokens;
    }

    /** Every access token handed out so far is refused from now on, as expired. */
    public void expireAccessTokens() {
        expired.addAll(live);
        live.removeAll(expired);
    }

    /** The refresh token can no longer be used. */
    public void revoke(String refreshToken) {
        refreshTokens.remove(refreshToken);
    }

    public HttpFilter filter() {
        return new HttpFilter() {
            private static final long serialVersionUID = 1L;

            @Override
            protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                    throws IOException, ServletException {
                String header = request.getHeader("Authorization");
                seen.add(request.getMethod() + " " + Objects.requireNonNullElse(header, "-"));
                String token = header != null && header.startsWith("Bearer ") ? header.substring(7) : null;
                if (token == null) {
                    HttpErrors.challenge(response, 401, null, "Log in first");
                } else if (expired.contains(token)) {
                    HttpErrors.challenge(response, 401, "invalid_token", "The access token expired");
                } else if (!live.contains(token)) {
                    HttpErrors.challenge(response, 401, "invalid_token", "The token signature is not valid");
                } else if (forbidden) {
                    HttpErrors.challenge(response, 403, "insufficient_scope", "Not for you");
                } else {
                    chain.doFilter(request, response);
                }
            }
        };
    }

    public HttpServlet servlet() {
        return new HttpServlet() {
            private static final long serialVersionUID = 1L;

            @Override
            protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
                Map<String, Object> body = McpJsonDefaults.getMapper().readValue(request.getInputStream().readAllBytes(),
                        new TypeRef<Map<String, Object>>() {
                        });
                if ("/token".equals(request.getPathInfo())) {
                    if ("bob".equals(body.get("username")) && PASSWORD.equals(body.get("password"))) {
                        send(response, pair());
                    } else {
                        HttpErrors.json(response, 400, "invalid_grant", "The username or password is not valid");
                    }
                } else if (refreshTokens.remove(String.valueOf(body.get("refresh_token")))) {
                    refreshes.incrementAndGet();
                    send(response, pair());
                } else {
                    HttpErrors.json(response, 400, "invalid_grant", "The refresh token was revoked; log in again");
                }
            }
        };
    }

    private static void send(HttpServletResponse response, OrdersClient.Tokens tokens) throws IOException {
        response.setContentType("application/json");
        response.getOutputStream().write(McpJsonDefaults.getMapper().writeValueAsBytes(Map.of(
                "access_token", tokens.accessToken(), "token_type", "Bearer", "expires_in", 900,
                "refresh_token", tokens.refreshToken())));
    }
}
