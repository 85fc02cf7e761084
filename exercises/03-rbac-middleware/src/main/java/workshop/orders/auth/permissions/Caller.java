package workshop.orders.auth.permissions;

import io.modelcontextprotocol.common.McpTransportContext;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Collections;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Who is calling, as the layers after token verification see it: the token's subject, display name and
 * permissions (the scopes of its OAuth {@code scope} claim). {@code JwtAuthFilter} attaches it to the request
 * under {@link #KEY}, {@link PermissionFilter} checks it, and the MCP transport copies it into the
 * {@link McpTransportContext} of every message, where a tool reads it with {@link #of(McpTransportContext)}. It
 * travels with the request, never through a static or a ThreadLocal: the SDK runs handlers on threads of its own.
 *
 * @param subject     the user name ({@code sub})
 * @param name        the display name ({@code name}); the subject when the token has none
 * @param permissions the token's {@code scope} claim, split at spaces, sorted and unmodifiable
 */
public record Caller(String subject, String name, Set<String> permissions) {

    /** The name of the request attribute and of the transport context entry that hold the caller. */
    public static final String KEY = Caller.class.getName();

    public Caller {
        Objects.requireNonNull(subject, "subject");
        name = name == null ? subject : name;
        // A private sorted copy: the caller cannot change after the token was checked, and prints in a stable order.
        permissions = Collections.unmodifiableSortedSet(new TreeSet<>(permissions));
    }

    /** True when the token grants this permission (names are case-sensitive). */
    public boolean has(String permission) {
        return permissions.contains(permission);
    }

    /** For the transport's {@code contextExtractor}: the caller a filter attached to the request, if any. */
    public static McpTransportContext transportContext(HttpServletRequest request) {
        // TODO(03.2): the context every tool handler reads: the request's Caller under KEY when the request carries
        //  one, an empty context when it does not.
        throw new UnsupportedOperationException("TODO(03.2): hand the request's Caller to the MCP layer");
    }

    /** The caller of an MCP message, from {@code exchange.transportContext()}; empty on a server without auth. */
    public static Optional<Caller> of(McpTransportContext context) {
        return context != null && context.get(KEY) instanceof Caller caller ? Optional.of(caller) : Optional.empty();
    }
}
