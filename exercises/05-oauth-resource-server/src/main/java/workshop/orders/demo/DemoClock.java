package workshop.orders.demo;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A clock that the demo and the tests move forward instead of waiting for a token to expire. Safe to read and move
 * from any thread. From step 05 the tokens come from an authorization server that runs on real time, so the clock
 * can also follow the system clock ({@link #followingSystem()}), moved by the offset {@link #advance} adds.
 */
public final class DemoClock extends Clock {

    private final Clock base;
    private final AtomicReference<Duration> offset;
    private final ZoneId zone;

    /** A clock that stands still at {@code start} until it is moved. */
    public DemoClock(Instant start) {
        this(Clock.fixed(start, ZoneOffset.UTC), new AtomicReference<>(Duration.ZERO), ZoneOffset.UTC);
    }

    private DemoClock(Clock base, AtomicReference<Duration> offset, ZoneId zone) {
        this.base = base;
        this.offset = offset;
        this.zone = zone;
    }

    /** The system clock, plus whatever {@link #advance} adds. */
    public static DemoClock followingSystem() {
        return new DemoClock(Clock.systemUTC(), new AtomicReference<>(Duration.ZERO), ZoneOffset.UTC);
    }

    /** Moves the time forward (or back, with a negative amount) for everyone holding this clock. */
    public void advance(Duration amount) {
        offset.updateAndGet(current -> current.plus(amount));
    }

    @Override
    public Instant instant() {
        return base.instant().plus(offset.get());
    }

    @Override
    public ZoneId getZone() {
        return zone;
    }

    @Override
    public Clock withZone(ZoneId other) {
        return new DemoClock(base, offset, other);
    }
}
