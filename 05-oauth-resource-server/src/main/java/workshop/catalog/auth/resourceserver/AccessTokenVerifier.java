package workshop.catalog.auth.resourceserver;

import io.jsonwebtoken.Claims;
import io.jsonwebtoken.ExpiredJwtException;
import io.jsonwebtoken.IncorrectClaimException;
import io.jsonwebtoken.Jws;
import io.jsonwebtoken.JwsHeader;
import io.jsonwebtoken.JwtException;
import io.jsonwebtoken.JwtParser;
import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.Locator;
import io.jsonwebtoken.MissingClaimException;
import io.jsonwebtoken.PrematureJwtException;
import io.jsonwebtoken.UnsupportedJwtException;
import io.jsonwebtoken.io.Deserializer;
import io.jsonwebtoken.security.SignatureException;
import java.io.Reader;
import java.security.Key;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Verifies the authorization server's access tokens with JJWT, and says why a token is refused in a fixed sentence
 * of its own (never the library's text, which may quote the token's contents):
 * <ul>
 * <li>a JWS signed with RS256 and nothing else ({@code none}, HS256, HS256 keyed with the public key, ES256, an
 * encrypted or compressed token are all refused), with a {@code kid} the authorization server publishes, typed
 * {@code at+jwt} (RFC 9068 §4: an ID token or any other JWT of the same keys is no access token), no {@code crit}
 * (no extension is understood here, RFC 7515 §4.1.11; JJWT itself ignores {@code crit: []});</li>
 * <li>the compact form exactly as RFC 7515 writes it: three base64url parts without padding or stray bits (JJWT's
 * decoder is lenient: a token with {@code ==} appended would pass); {@code exp}, {@code nbf}, {@code iat} JSON
 * numbers (JJWT would read a string as a date);</li>
 * <li>{@code iss} is the configured issuer; {@code aud} contains this server's canonical URL (RFC 8707);</li>
 * <li>{@code exp} present and not past, {@code nbf} not ahead, with at most {@value #SKEW_SECONDS} s of skew;</li>
 * <li>{@code sub} present; {@code scope}, when present, one string of scope names separated by single spaces
 * (RFC 9068 §2.2.3), read as the caller's scopes.</li>
 * </ul>
 * A token that passed is remembered ({@link VerifiedTokens}): the same token again is answered from there while
 * its {@code exp} and {@code nbf} still hold and its signing key is still the one the authorization server
 * publishes under its {@code kid}.
 */
public final class AccessTokenVerifier {

    public static final long SKEW_SECONDS = 30;
    /** RFC 6749 §3.3 scope-token: printable ASCII without space, '"' and '\'. */
    private static final Pattern SCOPE_TOKEN = Pattern.compile("[\\x21\\x23-\\x5B\\x5D-\\x7E]+");
    private static final String RS256 = "RS256";
    /** Three base64url parts (the signature of an unsigned token is empty: refused for its alg, not here). */
    private static final Pattern COMPACT = Pattern.compile("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]*");
    private static final List<String> NUMERIC_DATES = List.of("exp", "nbf", "iat");

    /** What a verified token says about its caller. */
    public record Verified(String subject, Set<String> scopes) {
        @Override
        public String toString() {
            return "Verified[" + subject + ", " + scopes + "]";
        }
    }

    /** The token is refused; the message is a fixed sentence, safe for the client and for the log. */
    public static final class InvalidTokenException extends Exception {
        private static final long serialVersionUID = 1L;

        InvalidTokenException(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * The key the locator handed JJWT during this thread's current check: the one that verified the signature, which
     * the cache keeps (asking IssuerKeys again after the check could get another key, should a refetch come between).
     */
    private static final ThreadLocal<RSAPublicKey> KEY_USED = new ThreadLocal<>();

    private final ProtectedResource resource;
    private final IssuerKeys keys;
    private final JwtParser parser;
    private final VerifiedTokens verified;

    public AccessTokenVerifier(ProtectedResource resource, IssuerKeys keys, Clock clock) {
        this.resource = resource;
        this.keys = keys;
        this.parser = Jwts.parser()
                // The key locator pins RS256: it refuses any other alg before a key is used (JJWT also refuses a
                // key that does not fit the alg, e.g. HS256 with an RSA public key).
                .key().clear().and()                       // no encrypted tokens
                .zip().clear().and()                       // no compressed payloads
                .json(strictJson())                        // crit refused, dates only as numbers
                .keyLocator(new Locator<Key>() {
                    @Override
                    public Key locate(io.jsonwebtoken.Header header) {
                        return publishedKey(header);
                    }
                })
                .requireIssuer(resource.issuer().toString())
                .clock(() -> Date.from(clock.instant()))
                .clockSkewSeconds(SKEW_SECONDS)
                .build();
        this.verified = new VerifiedTokens(keys, clock, SKEW_SECONDS);
    }

    /**
     * The caller the token names, or the reason it is refused. A token that passed before is answered from the cache
     * while it is still in time and its key still published; anything else takes the whole check.
     */
    public Verified verify(String token) throws InvalidTokenException, IssuerKeys.UnavailableException {
        Verified known = token == null ? null : verified.find(token);
        if (known != null) {
            return known;
        }
        VerifiedTokens.Entry entry = check(token);
        verified.remember(token, entry);
        return entry.verified();
    }

    /** The whole check every time, never the cache: what {@link #verify} does for a token it has not seen. */
    public Verified verifyWithoutCache(String token) throws InvalidTokenException, IssuerKeys.UnavailableException {
        return check(token).verified();
    }

    /** The cache {@link #verify} answers from (the tests look into it). */
    VerifiedTokens cache() {
        return verified;
    }

    private VerifiedTokens.Entry check(String token) throws InvalidTokenException, IssuerKeys.UnavailableException {
        if (!canonical(token)) {
            throw new InvalidTokenException("The access token is not a well-formed signed JWT");
        }
        Jws<Claims> jws;
        RSAPublicKey keyUsed;
        try {
            jws = parser.parseSignedClaims(token);
            keyUsed = KEY_USED.get();
        } catch (KeyLookupFailed failed) {
            if (failed.unavailable != null) {
                throw failed.unavailable;
            }
            throw new InvalidTokenException(failed.getMessage());
        } catch (ExpiredJwtException e) {
            throw new InvalidTokenException("The access token expired");
        } catch (PrematureJwtException e) {
            throw new InvalidTokenException("The access token is not valid yet");
        } catch (IncorrectClaimException | MissingClaimException e) {
            throw new InvalidTokenException("The access token was issued by another authorization server");
        } catch (SignatureException e) {
            throw new InvalidTokenException("The access token's signature does not verify");
        } catch (UnsupportedJwtException e) {
            throw new InvalidTokenException("The access token is not a JWT signed with RS256");
        } catch (JwtException | IllegalArgumentException | ClassCastException e) {
            for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
                if (cause instanceof KeyLookupFailed refused) { // from strictJson(), wrapped by JJWT
                    throw new InvalidTokenException(refused.getMessage());
                }
            }
            throw new InvalidTokenException("The access token is not a well-formed signed JWT");
        } finally {
            KEY_USED.remove();
        }
        Claims claims = jws.getPayload();
        if (claims.getExpiration() == null) {
            throw new InvalidTokenException("The access token has no expiry");
        }
        Set<String> audiences = claims.getAudience();
        if (audiences == null || !audiences.contains(resource.resource().toString())) {
            throw new InvalidTokenException("The access token is for another resource");
        }
        String subject = claims.getSubject();
        if (subject == null || subject.isBlank()) {
            throw new InvalidTokenException("The access token names no subject");
        }
        Date notBefore = claims.getNotBefore();
        return new VerifiedTokens.Entry(new Verified(subject, scopes(claims.get("scope"))), jws.getHeader().getKeyId(),
                keyUsed, notBefore == null ? null : notBefore.toInstant(), claims.getExpiration().toInstant());
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
        // Unmodifiable: the cache hands the same Verified to every request with this token.
        return Collections.unmodifiableSet(new LinkedHashSet<>(Arrays.asList(names)));
    }

    private Key publishedKey(io.jsonwebtoken.Header header) {
        if (!(header instanceof JwsHeader jws) || !RS256.equals(jws.getAlgorithm())) {
            throw new KeyLookupFailed("The access token is not a JWT signed with RS256", null);
        }
        String type = jws.getType();
        if (type == null || !(type.equalsIgnoreCase("at+jwt") || type.equalsIgnoreCase("application/at+jwt"))) {
            throw new KeyLookupFailed("The access token's typ is not at+jwt", null);
        }
        String kid = jws.getKeyId();
        if (kid == null || kid.isEmpty()) {
            throw new KeyLookupFailed("The access token names no signing key (kid)", null);
        }
        try {
            RSAPublicKey key = keys.find(kid);
            if (key == null) {
                throw new KeyLookupFailed("The access token is signed with a key the authorization server does not "
                        + "publish", null);
            }
            KEY_USED.set(key);
            return key;
        } catch (IssuerKeys.UnavailableException unavailable) {
            throw new KeyLookupFailed(unavailable.getMessage(), unavailable);
        }
    }

    /** Each part as base64url writes it, no padding, no stray bits: what was decoded encodes back to the same text. */
    private static boolean canonical(String token) {
        if (token == null || !COMPACT.matcher(token).matches()) {
            return false;
        }
        Base64.Decoder decoder = Base64.getUrlDecoder();
        Base64.Encoder encoder = Base64.getUrlEncoder().withoutPadding();
        try {
            for (String part : token.split("\\.", -1)) {
                if (!encoder.encodeToString(decoder.decode(part)).equals(part)) {
                    return false;
                }
            }
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * JJWT's JSON reader (found as JJWT finds it), stricter: a header with {@code crit} (even {@code []}) is refused;
     * an {@code exp}, {@code nbf} or {@code iat} that is not a JSON number becomes a value no date can be made of, so
     * JJWT refuses the claims as malformed (a payload this reader refused would be taken for non-JSON content).
     */
    @SuppressWarnings({"unchecked", "deprecation"})
    private static Deserializer<Map<String, ?>> strictJson() {
        Deserializer<Map<String, ?>> json = ServiceLoader.load(Deserializer.class).findFirst()
                .orElseThrow(() -> new IllegalStateException("no JJWT JSON module on the class path"));
        return new Deserializer<>() {
            @Override
            public Map<String, ?> deserialize(byte[] bytes) {
                return check(json.deserialize(bytes));
            }

            @Override
            public Map<String, ?> deserialize(Reader reader) {
                return check(json.deserialize(reader));
            }

            private Map<String, ?> check(Map<String, ?> map) {
                if (map != null && map.containsKey("alg") && map.containsKey("crit")) {
                    throw new KeyLookupFailed("The access token is not a JWT signed with RS256", null);
                }
                if (map == null || map.containsKey("alg") || NUMERIC_DATES.stream()
                        .allMatch(date -> map.get(date) == null || map.get(date) instanceof Number)) {
                    return map;
                }
                Map<String, Object> claims = new LinkedHashMap<>(map);
                NUMERIC_DATES.stream().filter(date -> claims.get(date) != null && !(claims.get(date) instanceof Number))
                        .forEach(date -> claims.put(date, Boolean.FALSE));
                return claims;
            }
        };
    }

    /** Carries a refusal out of JJWT's key locator and JSON reader, which may throw only unchecked exceptions. */
    private static final class KeyLookupFailed extends JwtException {
        private static final long serialVersionUID = 1L;
        private final transient IssuerKeys.UnavailableException unavailable;

        KeyLookupFailed(String message, IssuerKeys.UnavailableException unavailable) {
            super(message);
            this.unavailable = unavailable;
        }
    }
}
