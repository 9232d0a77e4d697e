package dev.idem.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A clock that stands still until a test moves it, for expiry tests without sleeping: hand it to idem with
 * {@code IdempotencyConfig.builder().clock(clock)}, then {@link #advance(Duration)} it past a ttl or a lease.
 * Only stores that judge expiry by the engine's clock follow it (the in-process stores); a shared store judges
 * expiry by its own clock. Thread-safe.
 */
public final class MutableClock extends Clock {
    private final AtomicLong millis;
    private final ZoneId zone;

    private MutableClock(AtomicLong millis, ZoneId zone) {
        this.millis = millis;
        this.zone = zone;
    }

    /**
     * A clock standing at the given instant, in UTC.
     *
     * @param start the instant it shows until advanced
     * @return the clock
     */
    public static MutableClock at(Instant start) {
        return new MutableClock(new AtomicLong(start.toEpochMilli()), ZoneOffset.UTC);
    }

    /**
     * A clock standing at the current system time, in UTC.
     *
     * @return the clock
     */
    public static MutableClock startingNow() {
        return at(Instant.now());
    }

    /**
     * Moves the clock forward.
     *
     * @param amount how far, not negative
     * @throws IllegalArgumentException if the amount is negative
     */
    public void advance(Duration amount) {
        if (amount.isNegative()) {
            throw new IllegalArgumentException("a clock only moves forward, got " + amount);
        }
        millis.addAndGet(amount.toMillis());
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
        return zone;
    }

    /** The same clock seen in another zone: it shares the time, so both views move together. */
    @Override
    public Clock withZone(ZoneId newZone) {
        return new MutableClock(millis, newZone);
    }
}
