package workshop.catalog.auth.jwt;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The access tokens {@link TokenService} has verified, so that a client sending the same token with every
 * request pays for the signature and claim checks once (docs/benchmarks.md has the figures). It only ever
 * shortens the way to "yes":
 * <ul>
 * <li>only a token that passed the whole check gets in, keyed by its SHA-256, never by the token itself;</li>
 * <li>every hit is checked against the clock again: past its expiry (with the same skew as the whole check),
 * or with the clock set back before it was verified, the entry goes and the token takes the whole check,
 * which gives the refusal its usual reason;</li>
 * <li>at {@value #MAX_ENTRIES} entries the expired ones go, and if that frees nothing, all of them.</li>
 * </ul>
 * It keeps what the token says, not whether the account is still usable: a layer that must know that asks
 * the {@link UserDirectory} on every request.
 */
public final class VerifiedTokens {

    static final int MAX_ENTRIES = 4096;

    private record Entry(TokenService.Principal principal, Instant verifiedAt) {
    }

    private final ConcurrentMap<ByteBuffer, Entry> entries = new ConcurrentHashMap<>();
    private final Clock clock;
    private final long skewSeconds;

    VerifiedTokens(Clock clock, long skewSeconds) {
        this.clock = clock;
        this.skewSeconds = skewSeconds;
    }

    /** What the token said when it was verified, or null when it must take the whole check. */
    TokenService.Principal find(String token) {
        ByteBuffer key = key(token);
        Entry entry = entries.get(key);
        if (entry == null) {
            return null;
        }
        if (usable(entry, clock.instant())) {
            return entry.principal();
        }
        entries.remove(key, entry);
        return null;
    }

    /** Remembers a token that has just passed the whole check. */
    void remember(String token, TokenService.Principal principal) {
        Instant now = clock.instant();
        if (entries.size() >= MAX_ENTRIES) {
            entries.values().removeIf(entry -> !usable(entry, now));
            if (entries.size() >= MAX_ENTRIES) {
                entries.clear();
            }
        }
        entries.put(key(token), new Entry(principal, now));
    }

    int size() {
        return entries.size();
    }

    /** The whole check's time rule (exp plus the skew), and a clock that has not gone back since. */
    private boolean usable(Entry entry, Instant now) {
        return !now.isBefore(entry.verifiedAt())
                && !now.minusSeconds(skewSeconds).isAfter(entry.principal().expiresAt());
    }

    private static ByteBuffer key(String token) {
        try {
            return ByteBuffer.wrap(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java runtime has SHA-256", e);
        }
    }
}
