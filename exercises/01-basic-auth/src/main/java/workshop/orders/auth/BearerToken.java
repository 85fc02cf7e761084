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
        // TODO(01.1): read the Authorization header (request.getHeaders). No header, an empty one, or a scheme
        //  other than Bearer ("Basic ...", a bare value) is no Bearer credential: Kind.ABSENT, with the reason
        //  as problem. The scheme name ignores case ("bearer" is Bearer). "Bearer <token>" is Kind.PRESENT.
        // TODO(01.2): a broken Bearer credential is Kind.MALFORMED: "Bearer" with no token, or more than one
        //  Authorization header (never pick one of them).
        throw new UnsupportedOperationException("TODO(01.1): read the Authorization header");
    }

    @Override
    public String toString() {
        // Never print the token itself: toString() ends up in logs and debugger views.
        return "BearerToken[" + kind + (problem == null ? "" : ", " + problem) + "]";
    }
}
