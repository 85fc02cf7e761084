package workshop.orders.auth.permissions;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import workshop.orders.auth.jwt.UserDirectory;

/**
 * Step 03: authorization for the whole endpoint. Runs after {@code JwtAuthFilter}, on the {@link Caller}
 * it attached, and lets a request through only when
 * <ol>
 * <li>the caller's account still exists and is enabled, asked of the {@link UserDirectory} on every
 * request, since a token stays valid until it expires (401 {@code invalid_token} otherwise), and</li>
 * <li>the token grants the permission this filter was built with (403 {@code insufficient_scope} otherwise).</li>
 * </ol>
 * The permissions are the token's: the directory is asked only whether the account is still usable.
 */
public final class PermissionFilter extends HttpFilter {

    private static final long serialVersionUID = 1L;
    private static final Logger log = LoggerFactory.getLogger(PermissionFilter.class);
    /** What this step requires for {@code /mcp}: every tool at least reads the orders. */
    public static final String USER_READ = "User.Read";

    private final transient UserDirectory users;
    private final String required;

    /**
     * @param users    where accounts are looked up on every request
     * @param required the permission every request to the endpoint needs, e.g. {@code User.Read}
     */
    public PermissionFilter(UserDirectory users, String required) {
        // The name goes into the challenge as a quoted value: no space, quote, backslash or control character.
        if (required == null || required.isEmpty()
                || !required.chars().allMatch(c -> c > ' ' && c < 0x7F && c != '"' && c != '\\')) {
            throw new IllegalArgumentException("A permission is a name of printable ASCII characters without spaces "
                    + "or quotes");
        }
        this.users = users;
        this.required = required;
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        // TODO(03.3): a token stays valid until it expires, but its account may be gone or disabled since: such a
        //  caller answers 401 "invalid_token", "The user no longer exists or is disabled". A request with no
        //  verified caller at all (a server wired without JwtAuthFilter in front) answers 401 with the bare
        //  challenge, rather than guess.
        // TODO(03.4): a caller whose token does not grant the required permission answers 403
        //  "insufficient_scope", naming the permission that would have been enough.
        // A refusal ends the request: nothing after it may run.
        chain.doFilter(request, response); // the starting point lets every request through
    }

    /**
     * Refuses a known caller who lacks a permission: 403 and a challenge naming the scope that would
     * have been enough (RFC 6750 §3.1). The description goes into the body only.
     */
    private static void insufficientScope(HttpServletResponse response, String scope, String description)
            throws IOException {
        // TODO(03.4): 403 with the challenge Bearer realm="mcp", error="insufficient_scope", scope="<scope>"
        //  (exactly that, in that order) and the JSON error body "insufficient_scope" with the description.
        throw new UnsupportedOperationException("TODO(03.4): refuse with 403 insufficient_scope");
    }
}
