package workshop.orders.auth.jwt;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The refresh tokens handed out at login: opaque random strings, single use, rotated on every refresh
 * (docs/design.md#tokens). Only a SHA-256 hash of each token is kept, so a dump of this store lets nobody in.
 *
 * <p>Every token belongs to a <em>family</em>: the chain that started at one login. A refresh retires
 * the token it was given and issues the next one of the family. A retired token that comes back means
 * two parties hold the chain (one of them a thief, and we cannot tell which), so the whole family is
 * revoked (OAuth 2.0 Security BCP, RFC 9700 §4.14.2). The family ends 8 hours after its login; refreshing
 * does not extend that.
 *
 * <p>All methods are {@code synchronized}: "check unused, then retire" must be one step, or two
 * concurrent refreshes of one token could both win.
 */
public final class RefreshTokens {

    public static final Duration DEFAULT_LIFETIME = Duration.ofHours(8);
    /**
     * How many tokens one login may have: its first and 99 refreshes. A client that refreshes when its
     * 15-minute access token expires needs 32 in 8 hours; a used token stays in the store until its family
     * ends (reuse must be detected all that time), so without a cap a client could grow the store without end.
     */
    public static final int MAX_TOKENS_PER_LOGIN = 100;
    /** Expired families are looked for at most this often, not on every call. */
    static final Duration PRUNE_EVERY = Duration.ofMinutes(1);
    private static final Logger log = LoggerFactory.getLogger(RefreshTokens.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A refused refresh token; the message is a fixed sentence for {@code error_description}. */
    public static final class InvalidGrantException extends Exception {
        private static final long serialVersionUID = 1L;

        InvalidGrantException(String description) {
            super(description, null, false, false);
        }
    }

    /** The outcome of a successful refresh: whose token it was and the next token of the family. */
    public record Rotated(String username, String refreshToken) {
        @Override
        public String toString() {
            return "Rotated[username=" + username + "]";
        }
    }

    private enum State { LIVE, USED, REVOKED }

    private record Entry(String family, String username, Instant expiresAt, State state) {

        Entry with(State next) {
            return new Entry(family, username, expiresAt, next);
        }
    }

    private final Clock clock;
    private final Duration lifetime;
    /** SHA-256 of the token (base64url) → its entry. Used and revoked entries stay until they expire, to detect reuse. */
    private final Map<String, Entry> entries = new HashMap<>();
    /** Family → how many tokens it has had, counting used and revoked ones: the cap of a login. */
    private final Map<String, Integer> tokensPerFamily = new HashMap<>();
    private Instant nextPrune = Instant.MIN;

    public RefreshTokens(Clock clock, Duration lifetime) {
        this.clock = clock;
        this.lifetime = lifetime;
    }

    /** Starts a new family for the user (a login) and returns its first token. */
    public synchronized String issue(String username) {
        removeExpired();
        return store(UUID.randomUUID().toString(), username, clock.instant().plus(lifetime));
    }

    /**
     * Retires the token and returns the next one of its family.
     *
     * @throws InvalidGrantException when the token is unknown, expired, revoked or already used (the
     *                               last one also revokes the family)
     */
    public synchronized Rotated rotate(String token) throws InvalidGrantException {
        // TODO(02.5): a live token buys the user the next token of its login, once. The refusals, each an
        //  InvalidGrantException with its sentence:
        //  - unknown: "The refresh token is not valid"
        //  - its login is over: "The refresh token expired; log in again"
        //  - revoked: "The refresh token was revoked; log in again"
        //  - already used (reuse, the whole login ends with it): "The refresh token was already used; every token
        //    of this login is now revoked, log in again"
        //  - the login had MAX_TOKENS_PER_LOGIN tokens (next(...) says so, given).
        //  Two refreshes of one token at the same moment: exactly one wins.
        throw new UnsupportedOperationException("TODO(02.5): rotate a refresh token");
    }

    /**
     * Revokes the family of the given token, used or not. Unknown tokens are ignored: RFC 7009 §2.2
     * answers the same either way, so revocation cannot be used to test whether a token exists.
     */
    public synchronized void revoke(String token) {
        // TODO(02.5): after this, no token of the given token's login (used or not) buys anything; a token the
        //  store does not know changes nothing.
    }

    /** How many tokens (live or retired) the store holds. */
    synchronized int size() {
        return entries.size();
    }

    /**
     * True when the store holds this exact string as a key: it must never, only hashes are kept. For the tests
     * only: no other method may reveal what the store holds.
     */
    synchronized boolean storesVerbatim(String token) {
        return entries.containsKey(token);
    }

    /**
     * The next token of a family, or a refusal once the family has had {@link #MAX_TOKENS_PER_LOGIN} tokens:
     * then the whole family is revoked and its user must log in again.
     */
    private String next(String family, String username, Instant expiresAt) throws InvalidGrantException {
        removeExpired();
        if (tokensPerFamily.getOrDefault(family, 0) >= MAX_TOKENS_PER_LOGIN) {
            revokeFamily(family);
            log.info("A login of {} reached {} tokens: its family is revoked", username, MAX_TOKENS_PER_LOGIN);
            throw new InvalidGrantException("This login was refreshed " + (MAX_TOKENS_PER_LOGIN - 1)
                    + " times, the most one login may; log in again");
        }
        return store(family, username, expiresAt);
    }

    private String store(String family, String username, Instant expiresAt) {
        tokensPerFamily.merge(family, 1, Integer::sum);
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        entries.put(hash(token), new Entry(family, username, expiresAt, State.LIVE));
        return token;
    }

    private void revokeFamily(String family) {
        entries.replaceAll((key, entry) -> entry.family().equals(family) ? entry.with(State.REVOKED) : entry);
    }

    /** Drops the entries of ended families, whose reuse no longer matters: at most once per {@link #PRUNE_EVERY}. */
    private void removeExpired() {
        Instant now = clock.instant();
        if (now.isBefore(nextPrune)) {
            return;
        }
        nextPrune = now.plus(PRUNE_EVERY);
        entries.values().removeIf(entry -> !now.isBefore(entry.expiresAt()));
        Set<String> live = new HashSet<>();
        entries.values().forEach(entry -> live.add(entry.family()));
        tokensPerFamily.keySet().retainAll(live);
    }

    /**
     * The map key. A 256-bit random token needs no salt or slow hash, and looking the hash up in a map
     * compares no secret byte by byte.
     */
    private static String hash(String token) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java runtime has SHA-256", e);
        }
    }
}
