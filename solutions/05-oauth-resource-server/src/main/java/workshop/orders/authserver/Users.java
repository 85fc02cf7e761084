package workshop.orders.authserver;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The three workshop users and the orders desk scopes each may be granted. No password is written in the code: each
 * comes from the environment variable {@code AS_PASSWORD_<USER>} (e.g. {@code AS_PASSWORD_ALICE}) or, when that
 * is unset, is generated at start.
 */
final class Users {

    /** Every scope this server knows; a registered client may ask for any of them, the user's row decides. */
    static final List<String> ORDERS_SCOPES = List.of("orders.read", "orders.write", "orders.cancel");

    /** user -> the orders desk scopes that user may be granted (the only place these roles live). */
    static final Map<String, Set<String>> ALLOWED_SCOPES;

    static {
        Map<String, Set<String>> rows = new LinkedHashMap<>();
        rows.put("alice", Set.of("orders.read", "orders.write", "orders.cancel"));
        rows.put("bob", Set.of("orders.read", "orders.write"));
        rows.put("carol", Set.of("orders.read"));
        ALLOWED_SCOPES = Collections.unmodifiableMap(rows); // keeps the order alice, bob, carol
    }

    private final Map<String, String> passwords = new LinkedHashMap<>();
    private final Set<String> fromEnvironment = new LinkedHashSet<>();

    Users(Map<String, String> env) {
        SecureRandom random = new SecureRandom();
        for (String user : ALLOWED_SCOPES.keySet()) {
            String given = env.get("AS_PASSWORD_" + user.toUpperCase(Locale.ROOT));
            if (given != null && !given.isBlank()) {
                passwords.put(user, given);
                fromEnvironment.add(user);
            } else {
                byte[] bytes = new byte[12];
                random.nextBytes(bytes);
                passwords.put(user, Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
            }
        }
    }

    String password(String user) {
        String password = passwords.get(user);
        if (password == null) {
            throw new IllegalArgumentException("unknown user " + user);
        }
        return password;
    }

    boolean fromEnvironment(String user) {
        return fromEnvironment.contains(user);
    }

    Map<String, String> passwords() {
        return Collections.unmodifiableMap(passwords);
    }

    /**
     * Keeps the requested scopes the user may have and drops the orders desk scopes the user may not have (RFC 6749
     * §3.3 lets a server grant less; the token response says what was granted). Other scopes (openid, profile)
     * pass: the client's registration limits them.
     */
    static Set<String> grantable(String user, Set<String> requested) {
        Set<String> allowed = ALLOWED_SCOPES.getOrDefault(user, Set.of());
        Set<String> kept = new LinkedHashSet<>();
        for (String scope : requested) {
            if (!ORDERS_SCOPES.contains(scope) || allowed.contains(scope)) {
                kept.add(scope);
            }
        }
        return kept;
    }
}
