package workshop.orders.auth.jwt;

import io.jsonwebtoken.Claims;
import io.jsonwebtoken.ExpiredJwtException;
import io.jsonwebtoken.IncorrectClaimException;
import io.jsonwebtoken.Jws;
import io.jsonwebtoken.JwsHeader;
import io.jsonwebtoken.JwtException;
import io.jsonwebtoken.JwtParser;
import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.MissingClaimException;
import io.jsonwebtoken.PrematureJwtException;
import io.jsonwebtoken.UnsupportedJwtException;
import io.jsonwebtoken.security.SignatureException;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.TypeRef;
import java.io.IOException;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Issues and verifies the access tokens of docs/design.md#tokens: JWTs signed with ES256 and nothing else,
 * typed {@code at+jwt} (RFC 9068), short-lived. The orders desk signs with the private key of an EC P-256 key
 * pair and verifies with its public key, which may be shown to anyone: knowing it lets nobody sign. Time comes
 * from the injected {@link Clock}, so expiry can be tested, and shown in the demo, without waiting.
 */
public final class TokenService {

    public static final String ISSUER = "orders-auth";
    /** The one resource server these tokens are for: a token minted for another audience is refused here. */
    public static final String AUDIENCE = "orders-mcp";
    public static final String TYPE = "at+jwt";
    /**
     * The claim with the user's permissions (step 03): OAuth's {@code scope}, one string of names separated by
     * single spaces (RFC 9068 §2.2.3, RFC 6749 §3.3), e.g. {@code "User.Read User.Write"}.
     */
    public static final String SCOPE = "scope";
    public static final Duration DEFAULT_LIFETIME = Duration.ofMinutes(15);
    /** Clocks of two machines never agree exactly; half a minute of tolerance for exp and nbf. */
    static final long CLOCK_SKEW_SECONDS = 30;
    static final String ALGORITHM = "ES256";
    private static final String NOT_A_JWT = "The token is not a well-formed JWT";

    /** An issued access token and when it expires. */
    public record AccessToken(String value, Instant expiresAt) {
        @Override
        public String toString() {
            return "AccessToken[expiresAt=" + expiresAt + "]";
        }
    }

    /** What a verified token says about its bearer. */
    public record Principal(String subject, String name, Set<String> permissions, Instant expiresAt) {
    }

    /**
     * A token that must be refused. The message is a fixed sentence of ours, never the library's text
     * (which may quote claim values), so it is safe to put into the {@code WWW-Authenticate} header.
     */
    public static final class InvalidTokenException extends Exception {
        private static final long serialVersionUID = 1L;

        InvalidTokenException(String description) {
            super(description, null, false, false);
        }
    }

    private final KeyPair keys;
    private final Clock clock;
    private final Duration lifetime;
    private final JwtParser parser;

    /**
     * @param keys     an EC P-256 key pair ({@link #newKeyPair()}): the private key signs, the public key verifies
     * @param lifetime how long an access token is valid
     */
    public TokenService(KeyPair keys, Clock clock, Duration lifetime) {
        if (!(keys.getPrivate() instanceof ECPrivateKey) || !(keys.getPublic() instanceof ECPublicKey publicKey)
                || publicKey.getParams().getCurve().getField().getFieldSize() != 256) {
            throw new IllegalArgumentException("The token keys must be an EC P-256 key pair, the keys of ES256");
        }
        if (lifetime.isNegative() || lifetime.isZero()) {
            throw new IllegalArgumentException("The access token lifetime must be positive");
        }
        this.keys = keys;
        this.clock = clock;
        this.lifetime = lifetime;
        this.parser = Jwts.parser()
                // Accept exactly one algorithm: a token whose header names another one (none, ES384, RS256,
                // or HS256 with our public key as its HMAC key: algorithm confusion, RFC 8725 §2.1) is
                // refused before any check runs. The key alone does not decide the algorithm.
                .sig().clear().add(Jwts.SIG.ES256).and()
                .verifyWith(keys.getPublic())
                .requireIssuer(ISSUER)
                .requireAudience(AUDIENCE)
                .clock(() -> Date.from(clock.instant()))
                .clockSkewSeconds(CLOCK_SKEW_SECONDS)
                .build();
    }

    /** A fresh EC P-256 key pair for ES256. */
    public static KeyPair newKeyPair() {
        return Jwts.SIG.ES256.keyPair().build();
    }

    public Duration lifetime() {
        return lifetime;
    }

    /** The key that verifies this server's tokens: public, so anyone may see it (the demo shows it). */
    public PublicKey publicKey() {
        return keys.getPublic();
    }

    /** A new access token for the user, valid from now for {@link #lifetime()}. */
    public AccessToken issue(UserDirectory.User user) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        Instant expiresAt = now.plus(lifetime);
        String token = Jwts.builder()
                .header().type(TYPE).and()
                .issuer(ISSUER)
                .audience().add(AUDIENCE).and()
                .subject(user.username())
                .claim("name", user.name())
                // TODO(03.1): the token carries what the user may do, as the claim SCOPE in the form RFC 6749 §3.3
                //  gives a scope (README, task 03.1).
                .issuedAt(Date.from(now))
                .expiration(Date.from(expiresAt))
                .id(UUID.randomUUID().toString())
                .signWith(keys.getPrivate(), Jwts.SIG.ES256)
                .compact();
        return new AccessToken(token, expiresAt);
    }

    /** Checks signature, algorithm, type, time, issuer, audience and claim types; any failure is a refusal. */
    public Principal verify(String token) throws InvalidTokenException {
        try {
            Jws<Claims> jws = parser.parseSignedClaims(token);
            checkHeader(jws.getHeader());
            checkNoCritHeader(token);
            checkTimeClaimTypes(token);
            return principal(jws.getPayload());
        } catch (ExpiredJwtException e) {
            throw new InvalidTokenException("The access token expired");
        } catch (PrematureJwtException e) {
            throw new InvalidTokenException("The access token is not valid yet");
        } catch (MissingClaimException | IncorrectClaimException e) {
            throw new InvalidTokenException(Claims.ISSUER.equals(e.getClaimName())
                    ? "The token was not issued by this server" : "The token is meant for another audience");
        } catch (SignatureException e) {
            // JJWT reports an algorithm left out of sig() as a SignatureException caused by an
            // UnsupportedJwtException; say which of the two it was.
            throw new InvalidTokenException(e.getCause() instanceof UnsupportedJwtException
                    ? "The token must be a JWT signed with " + ALGORITHM : "The token signature is not valid");
        } catch (UnsupportedJwtException e) {
            // Unsigned (alg none), another algorithm, or not a signed claims token at all.
            throw new InvalidTokenException("The token must be a JWT signed with " + ALGORITHM);
        } catch (JwtException | IllegalArgumentException e) {
            // Not three base64url parts, not JSON, a claim of the wrong type: the library's message may
            // quote the token, so only this fixed sentence goes back.
            throw new InvalidTokenException(NOT_A_JWT);
        }
    }

    /**
     * JJWT is lenient with the time claims: it also reads a date written as text, and takes an empty
     * object for "absent". RFC 7519 says they are numbers, so the raw payload is checked as well. This
     * runs after the signature check: only tokens signed with our key get here.
     */
    private static void checkTimeClaimTypes(String token) throws InvalidTokenException {
        Map<String, Object> raw = rawPart(token, 1);
        for (String claim : List.of(Claims.EXPIRATION, Claims.NOT_BEFORE, Claims.ISSUED_AT)) {
            if (raw.containsKey(claim) && !(raw.get(claim) instanceof Number)) {
                throw new InvalidTokenException("The token's " + claim + " claim is not a number");
            }
        }
    }

    /**
     * RFC 7515 §4.1.11: {@code crit} names extensions the recipient must understand, and may not be empty. This
     * server understands none, so any {@code crit} is refused. JJWT lets an empty one through, so the raw header
     * is read.
     */
    private static void checkNoCritHeader(String token) throws InvalidTokenException {
        if (rawPart(token, 0).containsKey("crit")) {
            throw new InvalidTokenException("The token has a crit header, and this server understands no extension");
        }
    }

    /** The header (0) or payload (1) of a token as JSON, read without the library's leniency. */
    private static Map<String, Object> rawPart(String token, int index) throws InvalidTokenException {
        try {
            return McpJsonDefaults.getMapper().readValue(Base64.getUrlDecoder().decode(token.split("\\.")[index]),
                    new TypeRef<Map<String, Object>>() {
                    });
        } catch (IOException | RuntimeException notJson) {
            throw new InvalidTokenException(NOT_A_JWT);
        }
    }

    private static void checkHeader(JwsHeader header) throws InvalidTokenException {
        if (!ALGORITHM.equals(header.getAlgorithm())) {
            throw new InvalidTokenException("The token must be a JWT signed with " + ALGORITHM);
        }
        // RFC 9068 §4: an access token says so in its type, so another JWT signed with the same key
        // (an ID token, say) cannot be passed off as one.
        String type = header.getType();
        if (type == null || !(type.equalsIgnoreCase(TYPE) || type.equalsIgnoreCase("application/" + TYPE))) {
            throw new InvalidTokenException("The token is not an access token (typ must be " + TYPE + ")");
        }
    }

    private Principal principal(Claims claims) throws InvalidTokenException {
        // The parser checks exp only when it is there; a token without one would never expire.
        Date expiresAt = claims.getExpiration();
        if (expiresAt == null) {
            throw new InvalidTokenException("The token has no expiry time");
        }
        // A good signature does not say the token was made here: one issued in the future, or living longer than
        // this server's tokens do, was made some other way (a leaked key, a test tool) and would last as it says.
        Date issuedAt = claims.getIssuedAt();
        if (issuedAt == null) {
            throw new InvalidTokenException("The token has no issue time");
        }
        if (issuedAt.toInstant().isAfter(clock.instant().plusSeconds(CLOCK_SKEW_SECONDS))) {
            throw new InvalidTokenException("The token was issued in the future");
        }
        Duration lives = Duration.between(issuedAt.toInstant(), expiresAt.toInstant());
        if (lives.compareTo(lifetime.plusSeconds(CLOCK_SKEW_SECONDS)) > 0) {
            throw new InvalidTokenException("The token lives longer than this server's access tokens");
        }
        String subject = claims.getSubject();
        if (subject == null || subject.isBlank()) {
            throw new InvalidTokenException("The token has no subject");
        }
        Object name = claims.get("name");
        if (name != null && !(name instanceof String)) {
            throw new InvalidTokenException("The token's name claim is not a string");
        }
        return new Principal(subject, (String) name, scope(claims.get(SCOPE)), expiresAt.toInstant());
    }

    /**
     * The scope claim is a string of names separated by single spaces; no claim, or "", grants nothing. Any other
     * form is refused, not repaired: this server writes exactly that form, and a reader that forgave extra spaces
     * or other separators would grant what another reader of the same token does not.
     */
    private static Set<String> scope(Object claim) throws InvalidTokenException {
        // TODO(03.5): a scope this server would not have written is refused, never repaired (README, task 03.5):
        //  any JSON type but a string answers "The token's scope claim is not a string"; a string RFC 6749 §3.3
        //  would not write answers "The token's scope claim is not names separated by single spaces". What a
        //  well-formed scope grants, and what no scope grants, is in the README. Where the check lives is yours.
        // The starting point is lenient, so the other tasks can be graded without this one: it splits a string on
        // spaces and ignores anything else.
        String scope = claim instanceof String text ? text : "";
        return Arrays.stream(scope.split(" ")).filter(name -> !name.isEmpty()).collect(Collectors.toUnmodifiableSet());
    }
}
