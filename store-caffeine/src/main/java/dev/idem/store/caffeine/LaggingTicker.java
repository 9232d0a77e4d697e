package dev.idem.store.caffeine;

import com.github.benmanes.caffeine.cache.Ticker;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Caffeine's clock for the stores here: the latest {@link System#nanoTime()} that a write of the store read, so that
 * a read costs Caffeine a field load instead of a clock read (about 30 ns on a virtual machine's clock, as much as
 * the whole lookup). Never ahead of {@code nanoTime}, and never going back.
 *
 * <p>Why that is safe: Caffeine's expiry here only reclaims memory, and hides entries on reads; the stores judge
 * liveness themselves, by a fresh clock. Each entry's expiry is given to Caffeine as an absolute deadline (the
 * duration from the ticker's value to it), so a lagging ticker can only make Caffeine hide or reclaim an entry
 * <em>later</em> than its deadline, never earlier; an entry Caffeine still shows but that is past its deadline is
 * refused by the store's own check. With no writes the ticker stands still, and expired entries wait for the next
 * write to be reclaimed. Thread-safe.
 */
final class LaggingTicker implements Ticker {
    /** Before the first reading: the clock is read on first use, not when the store is built. */
    private static final long UNSET = Long.MIN_VALUE;

    private final AtomicLong last = new AtomicLong(UNSET);

    @Override
    public long read() {
        long seen = last.get();
        if (seen == UNSET) {
            last.compareAndSet(UNSET, System.nanoTime());
            seen = last.get();
        }
        return seen;
    }

    /**
     * Reads {@link System#nanoTime()}, moves the ticker up to it, and returns the later of the two: the time from
     * which a write counts its entry's deadline. Never below the ticker, so that a deadline counted from it is never
     * behind what Caffeine already takes for "now" (which would make the entry expire as it is written), even where
     * {@code nanoTime} reads slightly behind another thread's earlier reading.
     *
     * @return the fresh reading, or the ticker if that is later
     */
    long now() {
        long seen = read();
        long now = System.nanoTime();
        if (now - seen > 0) {
            last.compareAndSet(seen, now); // one attempt: if it fails, another write moved it forward already
            return now;
        }
        return seen;
    }
}
