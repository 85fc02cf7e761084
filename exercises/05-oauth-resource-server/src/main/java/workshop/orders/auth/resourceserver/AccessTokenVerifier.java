package workshop.orders.auth.resourceserver;

import io.jsonwebtoken.JwtException;
import java.security.Key;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Verifies the authorization server's access tokens with JJWT, and says why a token is refused in a fixed sentence
 * of its own (never the library's text, which may quote the token's contents):
 * <ul>
 * <li>a JWS signed with RS256 and nothing else ({@code none}, HS256, HS256 keyed with the public key, ES256, an
 * encrypted or compressed token are all refused), with a {@code kid} the authorization server publishes, typed
 * {@code at+jwt} (RFC 9068: an ID token of the same keys is no access token), no {@code crit};</li>
 * <li>the compact form exactly as RFC 7515 writes it, and {@code exp}, {@code nbf}, {@code iat} JSON numbers;</li>
 * <li>{@code iss} is the configured issuer; {@code aud} contains this server's canonical URL (RFC 8707);</li>
 * <li>{@code exp} present and not past, {@code nbf} not ahead, with at most {@value #SKEW_SECONDS} s of skew;</li>
 * <li>{@code sub} present; {@code scope}, when present, one string of scope names separated by single spaces
 * (RFC 9068 §2.2.3), read as the caller's scopes;</li>
 * <li>{@code auth_time}, when present, a whole number of seconds since the epoch: when the user logged in, which
 * {@link RecentLogin} reads (RFC 9470).</li>
 * </ul>
 */
public final class AccessTokenVerifier implements TokenVerifier {

    public static final long SKEW_SECONDS = 30;
    /** RFC 6749 §3.3 scope-token: printable ASCII without space, '"' and '\'. */
    private static final Pattern SCOPE_TOKEN = Pattern.compile("[\\x21\\x23-\\x5B\\x5D-\\x7E]+");
    private static final String RS256 = "RS256";

    /**
     * What a verified token says about its caller.
     *
     * @param authTime when the user logged in ({@code auth_time}), or null when the token does not say
     */
    public record Verified(String subject, Set<String> scopes, Instant authTime) {
        @Override
        public String toString() {
            return "Verified[" + subject + ", " + scopes + ", logged in " + authTime + "]";
        }
    }

    /** The token is refused; the message is a fixed sentence, safe for the client and for the log. */
    public static final class InvalidTokenException extends Exception {
        private static final long serialVersionUID = 1L;

        public InvalidTokenException(String message) {
            super(message, null, false, false);
        }
    }

    private final ProtectedResource resource;
    private final IssuerKeys keys;
    private final Clock clock;

    public AccessTokenVerifier(ProtectedResource resource, IssuerKeys keys, Clock clock) {
        this.resource = resource;
        this.keys = keys;
        this.clock = clock;
        // TODO(05.3): whatever verify needs that does not change from one token to the next is made here, once.
    }

    /** The caller the token names, or the reason it is refused. */
    @Override
    public Verified verify(String token) throws InvalidTokenException, IssuerKeys.UnavailableException {
        // TODO(05.3): a token signed RS256 with a key the authorization server publishes, typed at+jwt, issued by
        //  it, for this resource (aud contains resource.resource() exactly), with exp not past and nbf not ahead
        //  (SKEW_SECONDS of skew, on this clock) and a subject: its Verified (subject, scopes, auth_time; the
        //  readers below). Anything else: InvalidTokenException with the fixed sentence of its reason (the README's
        //  table), never the parser's own message; keys that cannot be fetched now: the UnavailableException, as it
        //  is. JJWT alone lets some malformed tokens through: padding or stray bits in a base64url part, a crit
        //  header of [], an exp, nbf or iat that is a string, not a JSON number. Refuse them too.
        throw new UnsupportedOperationException("TODO(05.3): verify an access token");
    }

    /** No {@code auth_time} says nothing about the login; anything but a whole number of seconds is invalid. */
    private static Instant authTime(Object claim) throws InvalidTokenException {
        if (claim == null) {
            return null;
        }
        if (!(claim instanceof Integer || claim instanceof Long)) {
            throw new InvalidTokenException("The access token's auth_time is not a number of seconds");
        }
        try {
            return Instant.ofEpochSecond(((Number) claim).longValue());
        } catch (DateTimeException beyondAnyDate) {
            // 10^18 s and the like are numbers, but no instant: refused like any other bad auth_time, never a 500.
            throw new InvalidTokenException("The access token's auth_time is not a number of seconds");
        }
    }

    /** No {@code scope} grants nothing; anything but one string of scope names separated by single spaces is invalid. */
    private static Set<String> scopes(Object claim) throws InvalidTokenException {
        if (claim == null) {
            return Set.of();
        }
        if (!(claim instanceof String text)) {
            throw new InvalidTokenException("The access token's scope is not a string");
        }
        if (text.isEmpty()) {
            return Set.of();
        }
        String[] names = text.split(" ", -1);
        if (!Arrays.stream(names).allMatch(name -> SCOPE_TOKEN.matcher(name).matches())) {
            throw new InvalidTokenException("The access token's scope is not a list of scope names");
        }
        return new LinkedHashSet<>(Arrays.asList(names));
    }

    private Key publishedKey(io.jsonwebtoken.Header header) {
        // TODO(05.3): the key that verifies this header's token, or a KeyLookupFailed with the sentence of the
        //  reason: anything but a JWS signed RS256 (none, HS256, ES256, a crit header), a typ other than at+jwt
        //  (RFC 9068; its sentence: "The access token's typ is not at+jwt"), no kid, a kid the authorization server
        //  does not publish. Decided before any key is used.
        throw new UnsupportedOperationException("TODO(05.3): find the published key of a token's header");
    }

    /** Carries a refusal out of JJWT's key locator, which may throw only unchecked exceptions. */
    private static final class KeyLookupFailed extends JwtException {
        private static final long serialVersionUID = 1L;
        private final transient IssuerKeys.UnavailableException unavailable;

        KeyLookupFailed(String message, IssuerKeys.UnavailableException unavailable) {
            super(message);
            this.unavailable = unavailable;
        }
    }
}
