package workshop.orders.auth.permissions;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import workshop.orders.auth.jwt.UserDirectory;
import workshop.orders.http.BearerChallenge;
import workshop.orders.http.HttpErrors;

/**
 * Step 03: authorization for the whole endpoint. Runs after {@code JwtAuthFilter}, on the {@link Caller}
 * it attached, and lets a request through only when
 * <ol>
 * <li>the caller's account still exists and is enabled, asked of the {@link UserDirectory} on every
 * request, since a token stays valid until it expires (401 {@code invalid_token} otherwise), and</li>
 * <li>the token grants the permission this filter was built with (403 {@code insufficient_scope} otherwise).</li>
 * </ol>
 * The permissions are the token's: the directory is asked only whether the account is still usable.
 * Exercise 04 builds it without a permission: it checks only the account, and {@code FeatureGuard} checks
 * each tool, resource and prompt.
 */
public final class PermissionFilter extends HttpFilter {

    private static final long serialVersionUID = 1L;
    private static final Logger log = LoggerFactory.getLogger(PermissionFilter.class);
    /** RFC 6749 §3.3 scope-token: printable ASCII without space, '"' and '\', so it fits a quoted header value. */
    private static final Pattern SCOPE_TOKEN = Pattern.compile("[\\x21\\x23-\\x5B\\x5D-\\x7E]+");

    private final transient UserDirectory users;
    /** Null when the filter requires no permission. */
    private final String required;

    /** A filter that lets every valid token of an existing, enabled user through, whatever its permissions. */
    public PermissionFilter(UserDirectory users) {
        this.users = users;
        this.required = null;
    }

    /**
     * @param users    where accounts are looked up on every request
     * @param required the permission every request to the endpoint needs, e.g. {@code User.Read}
     */
    public PermissionFilter(UserDirectory users, String required) {
        if (required == null || !SCOPE_TOKEN.matcher(required).matches()) {
            throw new IllegalArgumentException("A permission is a name of printable ASCII characters without spaces "
                    + "or quotes");
        }
        this.users = users;
        this.required = required;
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (!(request.getAttribute(Caller.KEY) instanceof Caller caller)) {
            // Only a server wired without JwtAuthFilter in front gets here: refuse rather than guess.
            log.warn("Refused {} {}: no verified caller (is JwtAuthFilter in front of PermissionFilter?)",
                    request.getMethod(), request.getRequestURI());
            HttpErrors.challenge(response, 401, null, "Log in at POST /auth/token and send Authorization: "
                    + "Bearer <access_token>");
            return;
        }
        if (users.enabledUser(caller.subject()).isEmpty()) {
            log.info("Refused {} {}: the account of {} no longer exists or is disabled", request.getMethod(),
                    request.getRequestURI(), caller.subject());
            HttpErrors.challenge(response, 401, "invalid_token", "The user no longer exists or is disabled");
            return;
        }
        if (required != null && !caller.has(required)) {
            log.info("Refused {} {}: {} lacks {}", request.getMethod(), request.getRequestURI(), caller.subject(),
                    required);
            insufficientScope(response, required, "This endpoint needs the permission " + required
                    + ", which the access token does not grant");
            return;
        }
        chain.doFilter(request, response);
    }

    /**
     * Refuses a known caller who lacks a permission: 403 and a challenge naming the scope that would
     * have been enough (RFC 6750 §3.1). The description goes into the body only.
     */
    private static void insufficientScope(HttpServletResponse response, String scope, String description)
            throws IOException {
        HttpErrors.challenge(response, 403, BearerChallenge.bearer().with("error", "insufficient_scope")
                .with("scope", scope), "insufficient_scope", description);
    }
}
