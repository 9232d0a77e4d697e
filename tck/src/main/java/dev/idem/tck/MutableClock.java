package dev.idem.tck;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A clock that stands still until a test moves it, for expiry tests without sleeping:
 * {@code IdempotencyConfig.builder().clock(clock)}, then {@link #advance(Duration)}. Thread-safe.
 */
public final class MutableClock extends Clock {
    private final AtomicLong millis;

    /**
     * A clock at the given instant.
     *
     * @param start the initial time
     */
    public MutableClock(Instant start) {
        this.millis = new AtomicLong(start.toEpochMilli());
    }

    /**
     * A clock at the given instant.
     *
     * @param start the initial time
     * @return the clock
     */
    public static MutableClock at(Instant start) {
        return new MutableClock(start);
    }

    /**
     * A clock at the current system time.
     *
     * @return the clock
     */
    public static MutableClock startingNow() {
        return new MutableClock(Instant.now());
    }

    /**
     * Moves the clock forward.
     *
     * @param duration how far
     */
    public void advance(Duration duration) {
        millis.addAndGet(duration.toMillis());
    }

    @Override
    public long millis() {
        return millis.get();
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(millis.get());
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("a MutableClock is always UTC");
    }
}
