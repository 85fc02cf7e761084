package workshop.catalog.auth.resourceserver;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The access tokens {@link AccessTokenVerifier} has verified, so that a client sending the same token with every
 * request pays for the RS256 signature and the claim checks once (docs/benchmarks.md has the figures). Step 02's
 * cache, plus the signing key. It only ever shortens the way to "yes":
 * <ul>
 * <li>only a token that passed the whole check gets in, keyed by its SHA-256, never by the token itself; a refusal
 * is never remembered;</li>
 * <li>every hit is checked against the clock again, as the whole check does it: {@code exp} not past and
 * {@code nbf} not ahead, each with the same skew; otherwise the entry goes and the token takes the whole check,
 * which gives the refusal its usual reason;</li>
 * <li>every hit asks {@link IssuerKeys} for the token's {@code kid} again (a map lookup, or the refetch the whole
 * check would make): a key the authorization server no longer publishes, or another key under the same
 * {@code kid}, ends the entry;</li>
 * <li>at {@value #MAX_ENTRIES} entries the expired ones go, and if that frees nothing, all of them.</li>
 * </ul>
 */
final class VerifiedTokens {

    static final int MAX_ENTRIES = 4096;

    /** What the whole check found: the caller, the key that verified the signature, the time claims. */
    record Entry(AccessTokenVerifier.Verified verified, String kid, RSAPublicKey key, Instant notBefore,
            Instant expiresAt) {
    }

    private final ConcurrentMap<ByteBuffer, Entry> entries = new ConcurrentHashMap<>();
    private final IssuerKeys keys;
    private final Clock clock;
    private final long skewSeconds;

    VerifiedTokens(IssuerKeys keys, Clock clock, long skewSeconds) {
        this.keys = keys;
        this.clock = clock;
        this.skewSeconds = skewSeconds;
    }

    /** What the token said when it was verified, or null when it must take the whole check. */
    AccessTokenVerifier.Verified find(String token) throws IssuerKeys.UnavailableException {
        ByteBuffer key = key(token);
        Entry entry = entries.get(key);
        if (entry == null) {
            return null;
        }
        if (inTime(entry, now()) && stillPublished(entry)) {
            return entry.verified();
        }
        entries.remove(key, entry);
        return null;
    }

    /** Remembers a token that has just passed the whole check. */
    void remember(String token, Entry entry) {
        if (entries.size() >= MAX_ENTRIES) {
            Instant now = now();
            entries.values().removeIf(old -> !inTime(old, now));
            if (entries.size() >= MAX_ENTRIES) {
                entries.clear();
            }
        }
        entries.put(key(token), entry);
    }

    int size() {
        return entries.size();
    }

    /** What the entries are keyed by (the tests check it is never the token's text). */
    Set<ByteBuffer> keys() {
        return Set.copyOf(entries.keySet());
    }

    /** JJWT's own rule, to the millisecond as it reads the clock: exp + skew not passed, nbf - skew reached. */
    private boolean inTime(Entry entry, Instant now) {
        return !now.minusSeconds(skewSeconds).isAfter(entry.expiresAt())
                && (entry.notBefore() == null || !now.plusSeconds(skewSeconds).isBefore(entry.notBefore()));
    }

    /** The key IssuerKeys now holds for the kid is the one that verified the token (another object after a refetch). */
    private boolean stillPublished(Entry entry) throws IssuerKeys.UnavailableException {
        RSAPublicKey current = keys.find(entry.kid());
        return current != null && (current == entry.key() || current.equals(entry.key()));
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    static ByteBuffer key(String token) {
        try {
            return ByteBuffer.wrap(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java runtime has SHA-256", e);
        }
    }
}
