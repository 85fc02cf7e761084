package workshop.orders.auth;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Collections;
import java.util.List;

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
        List<String> headers = Collections.list(request.getHeaders("Authorization"));
        if (headers.isEmpty()) {
            return new BearerToken(Kind.ABSENT, null, "No Authorization header");
        }
        if (headers.size() > 1) {
            return new BearerToken(Kind.MALFORMED, null, "More than one Authorization header");
        }
        String value = headers.get(0).strip();
        if (value.isEmpty()) {
            return new BearerToken(Kind.ABSENT, null, "Empty Authorization header");
        }
        int space = value.indexOf(' ');
        String scheme = space < 0 ? value : value.substring(0, space);
        // The scheme name is case-insensitive (RFC 7235 §2.1); anything but Bearer is not our business.
        if (!scheme.equalsIgnoreCase("Bearer")) {
            return new BearerToken(Kind.ABSENT, null, "Authorization scheme is not Bearer");
        }
        String token = space < 0 ? "" : value.substring(space + 1).strip();
        if (token.isEmpty()) {
            return new BearerToken(Kind.MALFORMED, null, "Bearer scheme without a token");
        }
        return new BearerToken(Kind.PRESENT, token, null);
    }

    @Override
    public String toString() {
        // Never print the token itself: toString() ends up in logs and debugger views.
        return "BearerToken[" + kind + (problem == null ? "" : ", " + problem) + "]";
    }
}
