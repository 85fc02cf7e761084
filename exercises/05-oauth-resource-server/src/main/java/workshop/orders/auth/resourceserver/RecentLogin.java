package workshop.orders.auth.resourceserver;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import workshop.orders.auth.pertool.FeaturePermissions.Feature;
import workshop.orders.auth.pertool.OrderOwnership;

/**
 * The orders desk's rule of its own (RFC 9470, step-up authentication): cancelling an order is the one call that
 * needs a <em>recent</em> login. A token that is still valid may come from a login made long ago on a laptop left
 * open; for {@code cancel_order} the server also asks that the user logged in (the token's {@code auth_time}) at
 * most {@link #MAX_AGE} ago, on its own clock. A token that does not say when its user logged in proves nothing and
 * is treated as too old. {@link ResourceServerFilter} answers such a call with 401
 * {@code insufficient_user_authentication} and {@code max_age}, and the client sends the user to log in again.
 */
public final class RecentLogin {

    /** How long ago the login may be, at most: the {@code max_age} of the challenge. */
    public static final Duration MAX_AGE = Duration.ofMinutes(5);
    /** A login time ahead of the server's clock by more than this is not believed (the verifier's skew for exp/nbf). */
    static final Duration SKEW = Duration.ofSeconds(AccessTokenVerifier.SKEW_SECONDS);

    private final Clock clock;
    private final Duration maxAge;

    /** The rule on this clock, with the window {@link #MAX_AGE}. */
    public RecentLogin(Clock clock) {
        this(clock, MAX_AGE);
    }

    public RecentLogin(Clock clock, Duration maxAge) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.maxAge = Objects.requireNonNull(maxAge, "maxAge");
    }

    /** True for the call this rule guards: {@code cancel_order}. */
    public boolean covers(Feature feature) {
        return OrderOwnership.CANCEL.equals(feature);
    }

    /**
     * True when the user logged in at most {@link #maxAge()} before now, on this rule's clock: not when the token
     * does not say ({@code authTime} null), and not when it names a time ahead of the clock beyond the skew.
     */
    public boolean isRecent(Instant authTime) {
        // TODO(05.5): true when authTime is at most maxAge before clock.instant() (exactly maxAge is still recent),
        //  false when it is null, and false when it is more than SKEW ahead of the clock.
        throw new UnsupportedOperationException("TODO(05.5): is this login recent?");
    }

    public Duration maxAge() {
        return maxAge;
    }

    /** The refusal's description, the same in the header and the body: which call, and how recent a login. */
    public String needs(Feature feature) {
        return feature.name() + " needs a login within the last " + maxAge.toSeconds() + " seconds";
    }
}
