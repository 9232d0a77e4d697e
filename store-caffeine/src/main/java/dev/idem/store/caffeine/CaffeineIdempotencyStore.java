package dev.idem.store.caffeine;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.RemovalCause;
import dev.idem.core.spi.ClaimResult;
import dev.idem.core.spi.Fingerprint;
import dev.idem.core.spi.IdempotencyStore;
import dev.idem.core.spi.Outcome;
import dev.idem.core.spi.StoredRecord;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The in-process store, on a Caffeine cache. Records live in this JVM only: use it for a single instance, for tests,
 * or as a named store beside a shared one.
 *
 * <h2>How the atomic claim works</h2>
 * Each key maps to an immutable {@code Entry}: the engine's {@link StoredRecord} plus, for an in-flight record, the
 * future its waiters block on. A replay is one lock-free {@code getIfPresent} that finds a live entry. Every change
 * (claim, complete, release, renew) is one {@code ConcurrentMap.compute} on the key, which runs atomically per key, and
 * checks the owner token inside it; the waiters' future is completed after the compute, outside the map's lock.
 * Expiry is decided by the engine's clock (the "now" passed to every call), so an injected clock controls it; Caffeine's
 * own per-entry expiry ({@link Expiry}) reclaims the memory of expired entries.
 *
 * <h2>Size</h2>
 * The cache is bounded by {@link Builder#maximumSize(long)} completed records. In-flight entries weigh nothing, so
 * they are never evicted by size. A completed record evicted by size before its ttl is forgotten: the next call with
 * its key runs again. Size the store for your ttl times your rate of distinct keys; such evictions are logged.
 *
 * <p>Thread-safe.
 */
public final class CaffeineIdempotencyStore implements IdempotencyStore {

    /** The default bound on completed records: {@value}. */
    public static final long DEFAULT_MAXIMUM_SIZE = 100_000;

    private static final System.Logger LOG = System.getLogger(CaffeineIdempotencyStore.class.getName());
    private static final CompletableFuture<Void> SETTLED = CompletableFuture.completedFuture(null);

    private final Cache<String, Entry> cache;
    private final ConcurrentMap<String, Entry> map;
    private final long maximumSize;
    private final AtomicBoolean sizeEvictionLogged = new AtomicBoolean();

    /** A record and, while it is in flight, the future its waiters block on. Immutable. */
    private static final class Entry {
        final StoredRecord record;
        final CompletableFuture<Void> settled;
        /** How long Caffeine keeps the entry, from when it was written. */
        final long keepNanos;

        Entry(StoredRecord record, CompletableFuture<Void> settled, long keepMillis) {
            this.record = record;
            this.settled = settled;
            this.keepNanos = TimeUnit.MILLISECONDS.toNanos(Math.max(1, keepMillis));
        }
    }

    private CaffeineIdempotencyStore(Builder builder) {
        this.maximumSize = builder.maximumSize;
        this.cache = Caffeine.newBuilder()
                .maximumWeight(builder.maximumSize)
                .weigher((String key, Entry entry) -> entry.record.isInFlight() ? 0 : 1)
                .expireAfter(new Expiry<String, Entry>() {
                    @Override
                    public long expireAfterCreate(String key, Entry entry, long currentTime) {
                        return entry.keepNanos;
                    }

                    @Override
                    public long expireAfterUpdate(String key, Entry entry, long currentTime, long currentDuration) {
                        return entry.keepNanos;
                    }

                    @Override
                    public long expireAfterRead(String key, Entry entry, long currentTime, long currentDuration) {
                        return currentDuration;
                    }
                })
                .executor(Runnable::run)
                .removalListener((String key, Entry entry, RemovalCause cause) -> {
                    if (entry == null) {
                        return;
                    }
                    // Replacements and explicit removals settle their waiters themselves; a renewal must not.
                    if (cause.wasEvicted() && entry.settled != null) {
                        entry.settled.complete(null); // wake waiters of an in-flight entry that went away
                    }
                    if (cause == RemovalCause.SIZE && sizeEvictionLogged.compareAndSet(false, true)) {
                        LOG.log(System.Logger.Level.WARNING, "the Caffeine idempotency store reached its maximum "
                                + "size of {0} records and evicted a record before its ttl: a repeat of that key "
                                + "will run again. Raise maximumSize (logged once).", maximumSize);
                    }
                })
                .build();
        this.map = cache.asMap();
    }

    /**
     * A store with the defaults: at most {@value #DEFAULT_MAXIMUM_SIZE} completed records.
     *
     * @return the store
     */
    public static CaffeineIdempotencyStore create() {
        return builder().build();
    }

    /**
     * A builder for a store.
     *
     * @return the builder
     */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public ClaimResult claim(String key, String token, Fingerprint fingerprint, long nowMillis, long leaseMillis) {
        Entry existing = map.get(key);
        if (existing != null && existing.record.isLiveAt(nowMillis)) {
            return existing.record; // the replay path: one read, no lock
        }
        Entry[] replaced = new Entry[1];
        Entry result = map.compute(key, (k, current) -> {
            if (current != null && current.record.isLiveAt(nowMillis)) {
                return current;
            }
            replaced[0] = current;
            return new Entry(StoredRecord.inFlight(token, fingerprint, nowMillis + leaseMillis),
                    new CompletableFuture<>(), leaseMillis);
        });
        settle(replaced[0]);
        StoredRecord record = result.record;
        return record.isInFlight() && token.equals(record.ownerToken()) ? ClaimResult.CLAIMED : record;
    }

    @Override
    public boolean complete(String key, String token, Fingerprint fingerprint, Outcome outcome, long nowMillis,
            long ttlMillis) {
        Entry[] previous = new Entry[1];
        map.computeIfPresent(key, (k, current) -> {
            if (!ownedBy(current, token, nowMillis)) {
                return current;
            }
            previous[0] = current;
            return new Entry(StoredRecord.completed(fingerprint, outcome, nowMillis + ttlMillis), null, ttlMillis);
        });
        return settle(previous[0]);
    }

    @Override
    public boolean release(String key, String token) {
        Entry[] previous = new Entry[1];
        map.computeIfPresent(key, (k, current) -> {
            if (!current.record.isInFlight() || !token.equals(current.record.ownerToken())) {
                return current;
            }
            previous[0] = current;
            return null;
        });
        return settle(previous[0]);
    }

    @Override
    public boolean renew(String key, String token, long nowMillis, long leaseMillis) {
        Entry[] renewed = new Entry[1];
        map.computeIfPresent(key, (k, current) -> {
            if (!ownedBy(current, token, nowMillis)) {
                return current;
            }
            renewed[0] = new Entry(StoredRecord.inFlight(token, current.record.fingerprint(), nowMillis + leaseMillis),
                    current.settled, leaseMillis);
            return renewed[0];
        });
        return renewed[0] != null;
    }

    @Override
    public CompletableFuture<?> whenSettled(String key) {
        Entry entry = map.get(key);
        return entry == null || entry.settled == null ? SETTLED : entry.settled;
    }

    @Override
    public boolean keepsObjects() {
        return true;
    }

    @Override
    public boolean isShared() {
        return false;
    }

    /**
     * The number of records held, including expired ones not yet reclaimed. For monitoring.
     *
     * @return the estimated size
     */
    public long estimatedSize() {
        return cache.estimatedSize();
    }

    /** Removes every record. For tests. */
    public void clear() {
        map.keySet().forEach(key -> settle(map.remove(key)));
    }

    private static boolean ownedBy(Entry entry, String token, long nowMillis) {
        // A lapsed lease no longer owns the key, even if nobody has claimed it since.
        return entry.record.isInFlight() && token.equals(entry.record.ownerToken())
                && entry.record.isLiveAt(nowMillis);
    }

    private static boolean settle(Entry previous) {
        if (previous == null) {
            return false;
        }
        if (previous.settled != null) {
            previous.settled.complete(null);
        }
        return true;
    }

    @Override
    public String toString() {
        return "CaffeineIdempotencyStore[maximumSize=" + maximumSize + "]";
    }

    /** Builds a {@link CaffeineIdempotencyStore}. Not thread-safe. */
    public static final class Builder {
        private long maximumSize = DEFAULT_MAXIMUM_SIZE;

        private Builder() {
        }

        /**
         * Bounds the number of completed records kept. In-flight records are not counted and never evicted.
         * Default: {@value CaffeineIdempotencyStore#DEFAULT_MAXIMUM_SIZE}.
         *
         * @param maximumSize at least 1
         * @return this builder
         */
        public Builder maximumSize(long maximumSize) {
            if (maximumSize < 1) {
                throw new IllegalArgumentException("maximumSize must be at least 1, got " + maximumSize);
            }
            this.maximumSize = maximumSize;
            return this;
        }

        /**
         * Builds the store.
         *
         * @return the store
         */
        public CaffeineIdempotencyStore build() {
            return new CaffeineIdempotencyStore(this);
        }
    }
}
