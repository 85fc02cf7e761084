package workshop.catalog.demo;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A clock that stands still until it is moved forward: the demo and the tests use it to let an
 * access token expire without waiting 15 minutes. Safe to read and move from any thread.
 */
public final class DemoClock extends Clock {

    private final AtomicReference<Instant> now;
    private final ZoneId zone;

    public DemoClock(Instant start) {
        this(new AtomicReference<>(start), ZoneOffset.UTC);
    }

    private DemoClock(AtomicReference<Instant> now, ZoneId zone) {
        this.now = now;
        this.zone = zone;
    }

    /** Moves the time forward (or back, with a negative amount) for everyone holding this clock. */
    public void advance(Duration amount) {
        now.updateAndGet(instant -> instant.plus(amount));
    }

    @Override
    public Instant instant() {
        return now.get();
    }

    @Override
    public ZoneId getZone() {
        return zone;
    }

    @Override
    public Clock withZone(ZoneId other) {
        return new DemoClock(now, other);
    }
}
