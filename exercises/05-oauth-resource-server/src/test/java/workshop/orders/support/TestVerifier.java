package workshop.orders.support;

import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import workshop.orders.auth.resourceserver.AccessTokenVerifier.InvalidTokenException;
import workshop.orders.auth.resourceserver.AccessTokenVerifier.Verified;
import workshop.orders.auth.resourceserver.TokenVerifier;

/**
 * A verifier the tests control, so that the filter's challenges (05.2), its scope check (05.4) and the recent-login
 * rule (05.5) are graded whatever state the real verifier (05.3) is in: each token it hands out is an opaque string
 * standing for a subject, scopes and a login time; any other string is refused with {@link #REFUSAL}.
 */
public final class TestVerifier implements TokenVerifier {

    /** What it says about a token it did not hand out. */
    public static final String REFUSAL = "The access token is not a well-formed signed JWT";

    private final Map<String, Verified> tokens = new ConcurrentHashMap<>();

    /** A token for the subject with these scopes, whose user logged in at {@code authTime} (null: it does not say). */
    public String token(String subject, Instant authTime, String... scopes) {
        String token = "test-token-" + UUID.randomUUID();
        tokens.put(token, new Verified(subject, Set.of(scopes), authTime));
        return token;
    }

    @Override
    public Verified verify(String token) throws InvalidTokenException {
        Verified verified = tokens.get(token);
        if (verified == null) {
            throw new InvalidTokenException(REFUSAL);
        }
        return verified;
    }
}
