package workshop.orders.auth;

import jakarta.servlet.http.HttpServletRequest;

/**
 * Reads the {@code Authorization} header the way RFC 6750 §2.1 describes it, before any check of the
 * token itself. Keeping the parsing apart from the check means every later step can reuse it.
 */
public record BearerToken(Kind kind, String token, String problem) {

    public enum Kind {
        /** No header, an empty one, or another scheme such as Basic: the client sent no Bearer credential. */
        ABSENT,
        /** A Bearer credential that is not well formed: answer 400 invalid_request. */
        MALFORMED,
        /** A token to check. */
        PRESENT
    }

    public static BearerToken from(HttpServletRequest request) {
        // TODO(01.1): what does the request carry? No Bearer credential (no header, an empty one, another
        //  scheme) is ABSENT, a Bearer token is PRESENT; the problem says why, in words a client can act on.
        // TODO(01.2): a Bearer credential that cannot be read as one token, however many headers carry it, is
        //  MALFORMED.
        throw new UnsupportedOperationException("TODO(01.1): read the Authorization header");
    }

    @Override
    public String toString() {
        // Never print the token itself: toString() ends up in logs and debugger views.
        return "BearerToken[" + kind + (problem == null ? "" : ", " + problem) + "]";
    }
}
