package dev.idem.store.caffeine;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Policy;
import com.github.benmanes.caffeine.cache.RemovalCause;
import dev.idem.core.IdempotencyConfig;
import dev.idem.core.spi.ClaimResult;
import dev.idem.core.spi.Fingerprint;
import dev.idem.core.spi.IdempotencyStore;
import dev.idem.core.spi.Outcome;
import dev.idem.core.spi.StoreKey;
import dev.idem.core.spi.StoredRecord;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The in-process store, on a Caffeine cache. Records live in this JVM only: use it for a single instance, for tests,
 * or as a named store beside a shared one.
 *
 * <h2>How the atomic claim works</h2>
 * Each key maps to an immutable {@code Entry}: the state, the owner token, the fingerprint, the outcome, the absolute
 * expiry and, for an in-flight record, the future its waiters block on. A replay is one lock-free {@code get} that
 * finds a live completed entry and hands out the entry's own completed stage, so it allocates nothing. Every change
 * (claim, complete, release, renew) is one {@code ConcurrentMap.compute} on the key, which runs atomically per key,
 * and checks the owner token inside it; the waiters' future is completed after the compute, outside the map's lock.
 * Nothing here blocks, so every stage this store returns is already complete.
 *
 * <p>The map is keyed by {@link StoreKey}, the key in its parts, so a call hashes only its caller's key; the string
 * operations reach the same records through {@link StoreKey#parse} ({@link IdempotencyStore.ByStoreKey}). Reads are
 * quiet ({@link Policy#getIfPresentQuietly}): a replay is not recorded as an access for Caffeine's eviction policy,
 * which would otherwise buffer every read and, on the calling thread, reorder its queues and timer wheel for it
 * (with a per-entry expiry, Caffeine has no read fast path). So when the store is full, which record is evicted does
 * not depend on how often it was replayed, only on Caffeine's view of the writes: an idempotency record's value is
 * not its popularity, and a full store is a sizing error either way (see Size).
 *
 * <h2>Time</h2>
 * This store lives in one process, so expiry is decided by the engine's clock (the "now" passed to every call): an
 * injected clock controls it. Caffeine's own per-entry expiry ({@link Expiry}) reclaims the memory of expired entries,
 * on a ticker that only the store's writes move ({@link LaggingTicker}): a replay reads no clock for Caffeine.
 *
 * <h2>Size</h2>
 * The cache is bounded by {@link Builder#maximumSize(long)} completed records. In-flight entries weigh nothing, so
 * they are never evicted by size. A completed record evicted by size before its ttl is forgotten: the next call with
 * its key runs again. Size the store for your ttl times your rate of distinct keys; such evictions are logged.
 *
 * <p>Thread-safe.
 */
public final class CaffeineIdempotencyStore implements IdempotencyStore.ByStoreKey {

    /** The default bound on completed records: {@value}. */
    public static final long DEFAULT_MAXIMUM_SIZE = 100_000;

    private static final System.Logger LOG = System.getLogger(CaffeineIdempotencyStore.class.getName());
    /** What {@link #whenSettled} answers when no record is in flight (package-private for the Lincheck test). */
    static final CompletableFuture<Void> SETTLED = CompletableFuture.completedFuture(null);
    private static final CompletableFuture<ClaimResult> CLAIMED = CompletableFuture.completedFuture(ClaimResult.CLAIMED);
    private static final CompletableFuture<Boolean> TRUE = CompletableFuture.completedFuture(true);
    private static final CompletableFuture<Boolean> FALSE = CompletableFuture.completedFuture(false);
    private static final long MAX_MILLIS = IdempotencyConfig.MAX_DURATION.toMillis();

    private final Cache<StoreKey, Entry> cache;
    private final ConcurrentMap<StoreKey, Entry> map;
    /** Caffeine's clock: a read costs no clock read (see {@link LaggingTicker}). */
    private final LaggingTicker ticker = new LaggingTicker();
    /** Reads without Caffeine's read bookkeeping (see the class comment). */
    private final Policy<StoreKey, Entry> policy;
    private final long maximumSize;
    private final AtomicBoolean sizeEvictionLogged = new AtomicBoolean();

    /** A record as this store keeps it. Immutable. */
    private static final class Entry {
        final String ownerToken;
        final Fingerprint fingerprint;
        /** The completed record, handed out as it is on every replay; null while in flight. */
        final CompletableFuture<ClaimResult> completed;
        /** The future waiters of an in-flight record block on; null once completed. */
        final CompletableFuture<Void> settled;
        /** When the lease (in flight) or the ttl (completed) ends, by the engine's clock. */
        final long expiresAtMillis;
        /**
         * Until when Caffeine keeps the entry, by {@link System#nanoTime()}: as long as it lives, counted from a clock
         * read when it was made (the {@link LaggingTicker}'s), so that Caffeine never reclaims it sooner.
         */
        final long keepUntilNanos;

        private Entry(String ownerToken, Fingerprint fingerprint, StoredRecord completed,
                CompletableFuture<Void> settled, long nowMillis, long keepMillis, long nowNanos) {
            this.ownerToken = ownerToken;
            this.fingerprint = fingerprint;
            this.completed = completed == null ? null : CompletableFuture.completedFuture(completed);
            this.settled = settled;
            this.expiresAtMillis = nowMillis + keepMillis;
            this.keepUntilNanos = nowNanos + TimeUnit.MILLISECONDS.toNanos(keepMillis);
        }

        static Entry inFlight(String token, Fingerprint fingerprint, CompletableFuture<Void> settled, long nowMillis,
                long leaseMillis, long nowNanos) {
            return new Entry(token, fingerprint, null, settled, nowMillis, leaseMillis, nowNanos);
        }

        static Entry completed(String token, Fingerprint fingerprint, Outcome outcome, long nowMillis,
                long ttlMillis, long nowNanos) {
            return new Entry(token, fingerprint, StoredRecord.completed(fingerprint, outcome), null, nowMillis,
                    ttlMillis, nowNanos);
        }

        boolean isInFlight() {
            return completed == null;
        }

        boolean isLiveAt(long nowMillis) {
            return expiresAtMillis > nowMillis;
        }

        /** Whether the token owns this live in-flight entry (a lapsed lease no longer owns the key). */
        boolean ownedBy(String token, long nowMillis) {
            return isInFlight() && token.equals(ownerToken) && isLiveAt(nowMillis);
        }
    }

    private CaffeineIdempotencyStore(Builder builder) {
        this.maximumSize = builder.maximumSize;
        this.cache = Caffeine.newBuilder()
                .ticker(ticker)
                .executor(builder.executor)
                .maximumWeight(builder.maximumSize)
                .weigher((StoreKey key, Entry entry) -> entry.isInFlight() ? 0 : 1)
                .expireAfter(new Expiry<StoreKey, Entry>() {
                    @Override
                    public long expireAfterCreate(StoreKey key, Entry entry, long currentTime) {
                        return Math.max(0, entry.keepUntilNanos - currentTime);
                    }

                    @Override
                    public long expireAfterUpdate(StoreKey key, Entry entry, long currentTime, long currentDuration) {
                        return Math.max(0, entry.keepUntilNanos - currentTime);
                    }

                    @Override
                    public long expireAfterRead(StoreKey key, Entry entry, long currentTime, long currentDuration) {
                        return currentDuration;
                    }
                })
                .removalListener((StoreKey key, Entry entry, RemovalCause cause) -> {
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
        this.policy = cache.policy();
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
    public CompletionStage<ClaimResult> claim(StoreKey key, String token, Fingerprint fingerprint, long nowMillis,
            long leaseMillis) {
        requireDuration("leaseMillis", leaseMillis);
        Entry existing = policy.getIfPresentQuietly(key);
        if (existing == null || !existing.isLiveAt(nowMillis)) {
            Entry[] replaced = new Entry[1];
            existing = map.compute(key, (k, current) -> {
                if (current != null && current.isLiveAt(nowMillis)) {
                    return current;
                }
                replaced[0] = current;
                return Entry.inFlight(token, fingerprint, new CompletableFuture<>(), nowMillis, leaseMillis, ticker.now());
            });
            settle(replaced[0]);
        }
        if (!existing.isInFlight()) {
            return existing.completed; // the replay path: one read, no lock, no allocation
        }
        if (token.equals(existing.ownerToken)) {
            return CLAIMED;
        }
        return CompletableFuture.completedFuture(StoredRecord.inFlight(existing.ownerToken, existing.fingerprint,
                Math.max(0, existing.expiresAtMillis - nowMillis)));
    }

    @Override
    public CompletionStage<Boolean> complete(StoreKey key, String token, Fingerprint fingerprint, Outcome outcome,
            long nowMillis, long ttlMillis) {
        requireDuration("ttlMillis", ttlMillis);
        Entry[] previous = new Entry[1];
        boolean[] recorded = new boolean[1];
        map.computeIfPresent(key, (k, current) -> {
            if (current.ownedBy(token, nowMillis)) {
                previous[0] = current;
                recorded[0] = true;
                return Entry.completed(token, fingerprint, outcome, nowMillis, ttlMillis, ticker.now());
            }
            // A retried complete of the same owner: already recorded.
            recorded[0] = !current.isInFlight() && token.equals(current.ownerToken) && current.isLiveAt(nowMillis);
            return current;
        });
        settle(previous[0]);
        return recorded[0] ? TRUE : FALSE;
    }

    @Override
    public CompletionStage<Boolean> release(StoreKey key, String token, long nowMillis) {
        Entry[] previous = new Entry[1];
        map.computeIfPresent(key, (k, current) -> {
            if (!current.ownedBy(token, nowMillis)) {
                return current;
            }
            previous[0] = current;
            return null;
        });
        return settle(previous[0]) ? TRUE : FALSE;
    }

    @Override
    public CompletionStage<Boolean> renew(StoreKey key, String token, long nowMillis, long leaseMillis) {
        requireDuration("leaseMillis", leaseMillis);
        boolean[] renewed = new boolean[1];
        map.computeIfPresent(key, (k, current) -> {
            if (!current.ownedBy(token, nowMillis)) {
                return current;
            }
            renewed[0] = true;
            return Entry.inFlight(token, current.fingerprint, current.settled, nowMillis, leaseMillis, ticker.now());
        });
        return renewed[0] ? TRUE : FALSE;
    }

    @Override
    public CompletionStage<?> whenSettled(StoreKey key) {
        Entry entry = policy.getIfPresentQuietly(key);
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

    /** Runs Caffeine's pending maintenance (eviction, reclaiming what expired by now) on this thread. For tests. */
    void cleanUp() {
        ticker.now();
        cache.cleanUp();
    }

    /** Removes every record. For tests. */
    public void clear() {
        map.keySet().forEach(key -> settle(map.remove(key)));
    }

    private static void requireDuration(String name, long millis) {
        if (millis < 1 || millis > MAX_MILLIS) {
            throw new IllegalArgumentException(name + " must be from 1 to " + MAX_MILLIS
                    + " (IdempotencyConfig.MAX_DURATION), got " + millis);
        }
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
        private Executor executor = Runnable::run;

        private Builder() {
        }

        /**
         * Where Caffeine does its maintenance: reclaiming expired records and evicting by size. Default:
         * {@code Runnable::run}, on the calling threads, amortized over calls (no thread hop, nothing runs on a
         * shared pool); {@code ForkJoinPool.commonPool()} (Caffeine's own default) takes it off the callers, which
         * helps a replay-heavy load on a machine with idle cores. Which records are live never depends on it: the
         * store judges expiry by the engine's clock on every call.
         *
         * @param executor the executor, not null
         * @return this builder
         */
        public Builder executor(Executor executor) {
            this.executor = Objects.requireNonNull(executor, "executor");
            return this;
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
