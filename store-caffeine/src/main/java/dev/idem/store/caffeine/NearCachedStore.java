package dev.idem.store.caffeine;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Policy;
import dev.idem.core.IdempotencyConfig;
import dev.idem.core.spi.ClaimResult;
import dev.idem.core.spi.Fingerprint;
import dev.idem.core.spi.IdempotencyStore;
import dev.idem.core.spi.Outcome;
import dev.idem.core.spi.StoreKey;
import dev.idem.core.spi.StoredRecord;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A near-cache in front of a shared store (Redis, a database): a bounded, in-process Caffeine cache of
 * <em>completed</em> records, so that a hot retry of a completed call costs a local lookup instead of a round trip.
 * Opt-in, per store:
 *
 * <pre>{@code
 * IdempotencyStore store = NearCachedStore.wrap(RedissonIdempotencyStore.create(redissonClient));
 * // or
 * IdempotencyStore store = NearCachedStore.builder(RedissonIdempotencyStore.create(redissonClient))
 *         .maximumSize(50_000)
 *         .maximumLocalTtl(Duration.ofMinutes(5))
 *         .build();
 * }</pre>
 *
 * <h2>What is kept, and for how long</h2>
 * Only completed records, and only once the shared store has said so: the record a {@link #claim} read back (when the
 * store reported its remaining ttl, {@link StoredRecord#ttlRemainingMillis()}), or the record a {@link #complete}
 * wrote (once the store answered {@code true}). Never an in-flight record, never a record whose write failed or was
 * refused (a lost lease), never a record whose remaining ttl the store did not report.
 *
 * <p>A {@code complete} answers {@code true} also when it is repeated by the owner, and the store then keeps the
 * <em>first</em> outcome; a complete whose first attempt failed may have been applied all the same. So a complete's
 * outcome is kept only when it is this store's first complete of the owner's claim: a claim that answers
 * {@code CLAIMED} leaves a marker (the owner's token, which no claim ever answers from), the owner's first
 * {@code complete} that the store confirms turns that marker into the completed copy, and a refused or failed one
 * removes it. Any other complete keeps nothing; the next claim reads the record from the store and keeps that. A
 * renewal moves the marker's deadline with the lease. Each local copy has a deadline
 * on this JVM's monotonic clock ({@link System#nanoTime()}): the time the request was <em>sent</em>, plus the
 * remaining ttl (or the ttl written), capped by {@link Builder#maximumLocalTtl}. The shared store started counting
 * that ttl no earlier than the request was sent, so the local copy never outlives the record itself. Callers' wall
 * clocks ({@code nowMillis}) play no part: a clock that jumps cannot extend a local copy.
 *
 * <h2>How a claim works</h2>
 * A claim first looks the key up locally (one lock-free Caffeine read, no allocation): a copy whose deadline has not
 * passed is answered at once, without asking the shared store. The engine checks the fingerprint of whatever record a
 * claim answers, so a different payload under a cached key still fails with {@code IdempotencyKeyReuseException}.
 * Otherwise the claim goes to the shared store, unchanged; a completed record it answers is kept, any other answer
 * (claimed, in flight) drops the local copy. A local hit answers its record with the remaining ttl unknown (-1): the
 * reading the copy was made from is stale, and a second near-cache stacked on this one must not trust it.
 *
 * <h2>What it changes</h2>
 * Records are immutable once completed, and live until their ttl passes, so a live local copy is the same answer the
 * shared store would give, with one exception: a record removed from the shared store by other means (deleted by hand,
 * {@code FLUSHALL}, evicted by Redis's {@code maxmemory} policy, lost in a failover) is still replayed from this JVM's
 * copy until its local deadline. {@link Builder#maximumLocalTtl} bounds that window. The cache is per JVM and bounded
 * by {@link Builder#maximumSize} records (a copy evicted by size only costs a round trip; a hit is a quiet read, which
 * Caffeine's eviction policy does not count, so that it costs no bookkeeping). Operations that change a
 * key through this store ({@link #release}, a refused {@link #complete}) drop its local copy; a change made through
 * another store object on the same keys does not.
 *
 * <h2>Everything else</h2>
 * {@link #renew}, {@link #whenSettled}, {@link #keepsObjects()} and {@link #isShared()} are the shared store's; every
 * failure and every answer of the shared store comes back unchanged (the same exception, synchronous or in the stage).
 *
 * <p>Thread-safe.
 */
public final class NearCachedStore implements IdempotencyStore.ByStoreKey, AutoCloseable {

    /** The default of {@link Builder#maximumSize(long)}: {@value} completed records. */
    public static final long DEFAULT_MAXIMUM_SIZE = 10_000;

    /**
     * The default of {@link Builder#maximumLocalTtl(Duration)}: {@code IdempotencyConfig.MAX_DURATION}, so a local copy
     * lives as long as its record does.
     */
    public static final Duration DEFAULT_MAXIMUM_LOCAL_TTL = IdempotencyConfig.MAX_DURATION;

    private static final long MAX_MILLIS = IdempotencyConfig.MAX_DURATION.toMillis();

    private final IdempotencyStore delegate;
    private final Cache<StoreKey, Local> cache;
    private final ConcurrentMap<StoreKey, Local> map;
    private final Policy<StoreKey, Local> policy;
    /** Caffeine's clock (see {@link LaggingTicker}); the copies' own deadlines are checked by a fresh clock. */
    private final LaggingTicker ticker = new LaggingTicker();
    private final long maximumSize;
    private final long maximumLocalTtlMillis;

    /**
     * What is kept for a key, until when by {@link System#nanoTime()}: a completed record, or the marker of a claim
     * this store saw answered {@code CLAIMED} (see the class comment), which no claim answers from. Immutable.
     */
    private static final class Local {
        /** The completed record, handed out as it is on every hit, so a hit allocates nothing; null for a marker. */
        final CompletableFuture<ClaimResult> record;
        /** The owner's token of a marker; null for a completed record. */
        final String claimToken;
        final long deadlineNanos;

        private Local(CompletableFuture<ClaimResult> record, String claimToken, long deadlineNanos) {
            this.record = record;
            this.claimToken = claimToken;
            this.deadlineNanos = deadlineNanos;
        }

        static Local completed(StoredRecord record, long deadlineNanos) {
            return new Local(CompletableFuture.completedFuture(record), null, deadlineNanos);
        }

        static Local claimedBy(String token, long deadlineNanos) {
            return new Local(null, token, deadlineNanos);
        }

        boolean isCompleted() {
            return record != null;
        }

        boolean isClaimBy(String token) {
            return token.equals(claimToken);
        }

        /** Compared as a difference, so it stays right when {@code nanoTime} wraps around. */
        boolean isLiveAt(long nanoNow) {
            return deadlineNanos - nanoNow > 0;
        }
    }

    private NearCachedStore(Builder builder) {
        this.delegate = builder.delegate;
        this.maximumSize = builder.maximumSize;
        this.maximumLocalTtlMillis = builder.maximumLocalTtlMillis;
        this.cache = Caffeine.newBuilder()
                .maximumSize(builder.maximumSize)
                // Caffeine's ticker follows System.nanoTime, like the deadlines, but only this store's writes move
                // it (LaggingTicker): it reclaims the memory of dead copies, and a hit reads no clock for Caffeine.
                .ticker(ticker)
                .expireAfter(new Expiry<StoreKey, Local>() {
                    @Override
                    public long expireAfterCreate(StoreKey key, Local local, long currentTime) {
                        return Math.max(0, local.deadlineNanos - currentTime);
                    }

                    @Override
                    public long expireAfterUpdate(StoreKey key, Local local, long currentTime, long currentDuration) {
                        return Math.max(0, local.deadlineNanos - currentTime);
                    }

                    @Override
                    public long expireAfterRead(StoreKey key, Local local, long currentTime, long currentDuration) {
                        return currentDuration;
                    }
                })
                .executor(Runnable::run)
                .build();
        this.map = cache.asMap();
        this.policy = cache.policy();
    }

    /**
     * A near-cache with the defaults ({@value #DEFAULT_MAXIMUM_SIZE} records, each kept up to its record's own
     * expiry) in front of a shared store.
     *
     * @param store the shared store
     * @return the near-cached store
     * @throws NullPointerException if {@code store} is null
     * @throws IllegalArgumentException if {@code store} is not shared (see {@link #builder})
     */
    public static NearCachedStore wrap(IdempotencyStore store) {
        return builder(store).build();
    }

    /**
     * A builder for a near-cache in front of a shared store. An in-process store ({@link IdempotencyStore#isShared()}
     * false) is refused: it has no round trip to save, and it judges expiry by the engine's clock, which a near-cache
     * on this JVM's monotonic clock would not follow.
     *
     * @param store the shared store
     * @return the builder
     * @throws NullPointerException if {@code store} is null
     * @throws IllegalArgumentException if {@code store} is not shared
     */
    public static Builder builder(IdempotencyStore store) {
        Objects.requireNonNull(store, "store");
        if (!store.isShared()) {
            throw new IllegalArgumentException("a near-cache goes in front of a shared store (isShared() true), got "
                    + store + ", which already lives in this process");
        }
        return new Builder(store);
    }

    /**
     * The store behind this near-cache.
     *
     * @return the shared store
     */
    public IdempotencyStore delegate() {
        return delegate;
    }

    /**
     * Answers a live local copy of the key's completed record without asking the shared store; otherwise claims
     * through the shared store and keeps the completed record it answers, if it reported the record's remaining ttl.
     * A lease out of range is always handed to the shared store, which refuses it as it would without a near-cache.
     */
    @Override
    public CompletionStage<ClaimResult> claim(StoreKey key, String token, Fingerprint fingerprint, long nowMillis,
            long leaseMillis) {
        if (leaseMillis >= 1 && leaseMillis <= MAX_MILLIS) {
            Local local = policy.getIfPresentQuietly(key); // no read bookkeeping, as the Caffeine store
            if (local != null && local.isCompleted()) {
                if (local.isLiveAt(System.nanoTime())) {
                    return local.record;
                }
                map.remove(key, local);
            }
        }
        long sentNanos = ticker.now();
        CompletionStage<ClaimResult> reply = delegate.claim(key, token, fingerprint, nowMillis, leaseMillis);
        return relay(reply, result -> {
            if (result == ClaimResult.CLAIMED) {
                keep(key, Local.claimedBy(token, leaseDeadline(sentNanos, leaseMillis)));
            } else if (result instanceof StoredRecord record && record.isInFlight()) {
                // A completed copy disagrees with the store: drop it. A marker stays for its owner's complete.
                map.computeIfPresent(key, (k, local) -> local.isCompleted() ? null : local);
            } else if (result instanceof StoredRecord record && record.ttlRemainingMillis() >= 0) {
                keep(key, Local.completed(StoredRecord.completed(record.fingerprint(), record.outcome()),
                        deadline(sentNanos, record.ttlRemainingMillis())));
            } else {
                map.remove(key); // completed, but for how long the store did not say
            }
        });
    }

    /**
     * Completes through the shared store; once it answers {@code true} to the owner's first complete of a claim this
     * store saw, keeps the completed record, up to the ttl written (counted from when the request was sent) or
     * {@link Builder#maximumLocalTtl}, whichever ends first. A repeated complete keeps nothing new (the store kept
     * the first outcome); a refused or failed one keeps nothing (see the class comment).
     */
    @Override
    public CompletionStage<Boolean> complete(StoreKey key, String token, Fingerprint fingerprint, Outcome outcome,
            long nowMillis, long ttlMillis) {
        long sentNanos = ticker.now();
        CompletionStage<Boolean> reply = delegate.complete(key, token, fingerprint, outcome, nowMillis, ttlMillis);
        return relay(reply, recorded -> {
            if (Boolean.TRUE.equals(recorded) && ttlMillis > 0) {
                Local completed = Local.completed(StoredRecord.completed(fingerprint, outcome),
                        deadline(sentNanos, ttlMillis));
                map.computeIfPresent(key, (k, local) -> !local.isClaimBy(token) ? local
                        : completed.isLiveAt(ticker.now()) ? completed : null);
            } else {
                forgetClaim(key, token);
            }
        }, () -> forgetClaim(key, token));
    }

    /** Releases through the shared store, and drops the key's local copy, before and after. */
    @Override
    public CompletionStage<Boolean> release(StoreKey key, String token, long nowMillis) {
        map.remove(key);
        CompletionStage<Boolean> reply = delegate.release(key, token, nowMillis);
        return relay(reply, released -> map.remove(key), () -> map.remove(key));
    }

    /**
     * Renews through the shared store (a renewal touches in-flight records only, which are never kept here); moves
     * the deadline of the owner's claim marker with the lease, or drops the marker if the store refused.
     */
    @Override
    public CompletionStage<Boolean> renew(StoreKey key, String token, long nowMillis, long leaseMillis) {
        long sentNanos = ticker.now();
        CompletionStage<Boolean> reply = delegate.renew(key, token, nowMillis, leaseMillis);
        return relay(reply, renewed -> {
            if (Boolean.TRUE.equals(renewed)) {
                Local marker = Local.claimedBy(token, leaseDeadline(sentNanos, leaseMillis));
                map.computeIfPresent(key, (k, local) -> local.isClaimBy(token) ? marker : local);
            } else {
                forgetClaim(key, token);
            }
        }, () -> { });
    }

    /** The shared store's: only in-flight records settle, and they are never kept here. */
    @Override
    public CompletionStage<?> whenSettled(StoreKey key) {
        return delegate.whenSettled(key);
    }

    /** The shared store's: records are kept locally as the shared store answered them. */
    @Override
    public boolean keepsObjects() {
        return delegate.keepsObjects();
    }

    /** The shared store's (always true: {@link #builder} refuses a store that is not shared). */
    @Override
    public boolean isShared() {
        return delegate.isShared();
    }

    /** The shared store's: the local copies are judged by {@link System#nanoTime}, never by {@code nowMillis}. */
    @Override
    public boolean usesEngineClock() {
        return delegate.usesEngineClock();
    }

    /**
     * Drops every local copy (the shared store keeps its records). The next claim of any key asks the shared store.
     */
    public void invalidateAll() {
        cache.invalidateAll();
    }

    /**
     * Drops every local copy and closes the shared store if it is {@link AutoCloseable} (a
     * {@code RedissonIdempotencyStore} then shuts down a client it created, and leaves the caller's client running).
     *
     * @throws Exception what the shared store's {@code close} throws
     */
    @Override
    public void close() throws Exception {
        cache.invalidateAll();
        if (delegate instanceof AutoCloseable closeable) {
            closeable.close();
        }
    }

    @Override
    public String toString() {
        return "NearCachedStore[maximumSize " + maximumSize + ", maximumLocalTtl " + maximumLocalTtlMillis + " ms, "
                + delegate + "]";
    }

    /**
     * The deadline of what the store said lives for {@code millis} from a request sent at {@code sentNanos}: at most
     * {@code maximumLocalTtlMillis} later. Both bounds are at most {@code MAX_DURATION} (about 3.2e18 ns, below
     * 2^63), so the sum compares right as a difference even where it wraps around.
     */
    private long deadline(long sentNanos, long millis) {
        return sentNanos + TimeUnit.MILLISECONDS.toNanos(Math.max(0, Math.min(millis, maximumLocalTtlMillis)));
    }

    /** The deadline of a claim marker: the lease, not bounded by {@code maximumLocalTtlMillis} (it replays nothing). */
    private static long leaseDeadline(long sentNanos, long leaseMillis) {
        return sentNanos + TimeUnit.MILLISECONDS.toNanos(Math.max(0, Math.min(leaseMillis, MAX_MILLIS)));
    }

    /** Keeps {@code local} for the key, unless its deadline has passed already. */
    private void keep(StoreKey key, Local local) {
        if (local.isLiveAt(ticker.now())) {
            map.put(key, local);
        } else {
            map.remove(key);
        }
    }

    /** Drops the marker of the token's claim of the key, if it is there: its complete keeps nothing. */
    private void forgetClaim(StoreKey key, String token) {
        map.computeIfPresent(key, (k, local) -> local.isClaimBy(token) ? null : local);
    }

    private static <T> CompletionStage<T> relay(CompletionStage<T> reply, Consumer<T> onAnswer) {
        return relay(reply, onAnswer, () -> { });
    }

    /**
     * The shared store's stage, with {@code onAnswer} (or {@code onFailure}) run before any caller sees the outcome,
     * so that the next call after this one already finds the local copy. The outcome passes through unchanged: the
     * same value, or the very exception the shared store's stage holds (not wrapped once more).
     */
    private static <T> CompletionStage<T> relay(CompletionStage<T> reply, Consumer<T> onAnswer, Runnable onFailure) {
        CompletableFuture<T> relayed = new CompletableFuture<>();
        reply.whenComplete((value, error) -> {
            if (error != null) {
                try {
                    onFailure.run();
                } finally {
                    relayed.completeExceptionally(error);
                }
                return;
            }
            try {
                onAnswer.accept(value);
            } catch (RuntimeException | Error e) {
                relayed.completeExceptionally(e);
                return;
            }
            relayed.complete(value);
        });
        return relayed;
    }

    /**
     * Builds a {@link NearCachedStore}. Each setting is checked at once: an invalid value throws there, not at
     * {@link #build()}. Not thread-safe.
     */
    public static final class Builder {
        private final IdempotencyStore delegate;
        private long maximumSize = DEFAULT_MAXIMUM_SIZE;
        private long maximumLocalTtlMillis = MAX_MILLIS;

        private Builder(IdempotencyStore delegate) {
            this.delegate = delegate;
        }

        /**
         * Bounds the number of entries kept locally: completed records, and the markers of this JVM's claims still
         * in flight (see the class comment). Beyond it, Caffeine evicts the least useful ones: an evicted copy costs
         * a round trip, an evicted marker only means its outcome is kept once a claim reads it back. Default: {@value NearCachedStore#DEFAULT_MAXIMUM_SIZE}.
         *
         * @param maximumSize at least 1
         * @return this builder
         * @throws IllegalArgumentException if {@code maximumSize} is below 1
         */
        public Builder maximumSize(long maximumSize) {
            if (maximumSize < 1) {
                throw new IllegalArgumentException("maximumSize must be at least 1, got " + maximumSize);
            }
            this.maximumSize = maximumSize;
            return this;
        }

        /**
         * Bounds how long a record is kept locally, whatever its own ttl: the longest a record removed from the shared
         * store by other means (deleted by hand, evicted, lost in a failover) is still replayed from this JVM. Default:
         * {@link NearCachedStore#DEFAULT_MAXIMUM_LOCAL_TTL}, so a copy lives as long as its record. A longer duration
         * is the same as that default (no record lives longer); a part below a millisecond is dropped.
         *
         * @param maximumLocalTtl at least 1 ms
         * @return this builder
         * @throws NullPointerException if {@code maximumLocalTtl} is null
         * @throws IllegalArgumentException if {@code maximumLocalTtl} is shorter than 1 ms
         */
        public Builder maximumLocalTtl(Duration maximumLocalTtl) {
            Objects.requireNonNull(maximumLocalTtl, "maximumLocalTtl");
            if (maximumLocalTtl.compareTo(Duration.ofMillis(1)) < 0) {
                throw new IllegalArgumentException("maximumLocalTtl must be at least 1ms, got " + maximumLocalTtl);
            }
            // Compared before toMillis, which would overflow for the longest Durations.
            this.maximumLocalTtlMillis = maximumLocalTtl.compareTo(IdempotencyConfig.MAX_DURATION) >= 0
                    ? MAX_MILLIS : maximumLocalTtl.toMillis();
            return this;
        }

        /**
         * Builds the near-cached store.
         *
         * @return the store
         */
        public NearCachedStore build() {
            return new NearCachedStore(this);
        }
    }
}
