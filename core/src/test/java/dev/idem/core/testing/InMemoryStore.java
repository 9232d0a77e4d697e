package dev.idem.core.testing;

import dev.idem.core.spi.ClaimResult;
import dev.idem.core.spi.Fingerprint;
import dev.idem.core.spi.IdempotencyStore;
import dev.idem.core.spi.Outcome;
import dev.idem.core.spi.StoredRecord;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A store for core's own tests, on a {@link ConcurrentHashMap}: every change is one atomic {@code compute} that checks
 * the owner token inside it, expiry is decided by the {@code nowMillis} passed in, and each in-flight record carries
 * the future its waiters block on, completed when it is settled (completed, released or taken over).
 *
 * <p>It can pretend to be a shared store ({@link #keepsObjects()} false), so that the engine encodes outcomes, and it
 * can be told to fail a given operation. Thread-safe.
 */
public final class InMemoryStore implements IdempotencyStore {
    private static final CompletableFuture<Void> SETTLED = CompletableFuture.completedFuture(null);

    /** A record with its owner and absolute expiry (by the engine's clock), and its waiters' future. */
    private record Entry(StoredRecord.State state, String token, Fingerprint fingerprint, Outcome outcome,
            long expiresAtMillis, CompletableFuture<Void> settled) {
        boolean isLiveAt(long nowMillis) {
            return expiresAtMillis > nowMillis;
        }

        boolean ownedBy(String owner, long nowMillis) {
            return state == StoredRecord.State.IN_FLIGHT && owner.equals(token) && isLiveAt(nowMillis);
        }

        StoredRecord record(long nowMillis) {
            return state == StoredRecord.State.IN_FLIGHT
                    ? StoredRecord.inFlight(token, fingerprint, Math.max(0, expiresAtMillis - nowMillis))
                    : StoredRecord.completed(fingerprint, outcome);
        }
    }

    private final ConcurrentHashMap<String, Entry> map = new ConcurrentHashMap<>();
    private final boolean keepsObjects;
    private final AtomicInteger completions = new AtomicInteger();
    private volatile RuntimeException claimFailure;
    private volatile RuntimeException completeFailure;

    private InMemoryStore(boolean keepsObjects) {
        this.keepsObjects = keepsObjects;
    }

    /**
     * A store that keeps outcomes as objects, like an in-process store.
     *
     * @return the store
     */
    public static InMemoryStore keepingObjects() {
        return new InMemoryStore(true);
    }

    /**
     * A store that needs outcomes encoded, like a shared store.
     *
     * @return the store
     */
    public static InMemoryStore encoding() {
        return new InMemoryStore(false);
    }

    /**
     * Makes every later {@link #claim} fail.
     *
     * @param failure what to throw, or null to stop failing
     * @return this store
     */
    public InMemoryStore failClaims(RuntimeException failure) {
        this.claimFailure = failure;
        return this;
    }

    /**
     * Makes every later {@link #complete} fail.
     *
     * @param failure what to throw, or null to stop failing
     * @return this store
     */
    public InMemoryStore failCompletes(RuntimeException failure) {
        this.completeFailure = failure;
        return this;
    }

    /**
     * The record held for a key, live or not.
     *
     * @param key the full key
     * @return the record, or null
     */
    public StoredRecord record(String key) {
        Entry entry = map.get(key);
        return entry == null ? null : entry.record(entry.expiresAtMillis() - 1);
    }

    /**
     * The only record held, for tests that make one call.
     *
     * @return the record
     * @throws IllegalStateException unless exactly one record is held
     */
    public StoredRecord onlyRecord() {
        if (map.size() != 1) {
            throw new IllegalStateException("expected one record, found " + map.keySet());
        }
        Entry entry = map.values().iterator().next();
        return entry.record(entry.expiresAtMillis() - 1);
    }

    /**
     * How many times {@link #complete} recorded an outcome.
     *
     * @return the count
     */
    public int completions() {
        return completions.get();
    }

    @Override
    public CompletionStage<ClaimResult> claim(String key, String token, Fingerprint fingerprint, long nowMillis,
            long leaseMillis) {
        RuntimeException failure = claimFailure;
        if (failure != null) {
            return CompletableFuture.failedFuture(failure);
        }
        Entry[] replaced = new Entry[1];
        Entry result = map.compute(key, (k, current) -> {
            if (current != null && current.isLiveAt(nowMillis)) {
                return current;
            }
            replaced[0] = current;
            return new Entry(StoredRecord.State.IN_FLIGHT, token, fingerprint, null, nowMillis + leaseMillis,
                    new CompletableFuture<>());
        });
        settle(replaced[0]);
        return CompletableFuture.completedFuture(result.ownedBy(token, nowMillis) ? ClaimResult.CLAIMED
                : result.record(nowMillis));
    }

    @Override
    public CompletionStage<Boolean> complete(String key, String token, Fingerprint fingerprint, Outcome outcome,
            long nowMillis, long ttlMillis) {
        RuntimeException failure = completeFailure;
        if (failure != null) {
            return CompletableFuture.failedFuture(failure);
        }
        Entry[] previous = new Entry[1];
        boolean[] recorded = new boolean[1];
        map.computeIfPresent(key, (k, current) -> {
            if (!current.ownedBy(token, nowMillis)) {
                recorded[0] = current.state() == StoredRecord.State.COMPLETED && token.equals(current.token())
                        && current.isLiveAt(nowMillis);
                return current;
            }
            previous[0] = current;
            recorded[0] = true;
            return new Entry(StoredRecord.State.COMPLETED, token, fingerprint, outcome, nowMillis + ttlMillis, null);
        });
        if (previous[0] != null) {
            completions.incrementAndGet();
        }
        settle(previous[0]);
        return CompletableFuture.completedFuture(recorded[0]);
    }

    @Override
    public CompletionStage<Boolean> release(String key, String token, long nowMillis) {
        Entry[] previous = new Entry[1];
        map.computeIfPresent(key, (k, current) -> {
            if (!current.ownedBy(token, nowMillis)) {
                return current;
            }
            previous[0] = current;
            return null;
        });
        return CompletableFuture.completedFuture(settle(previous[0]));
    }

    @Override
    public CompletionStage<Boolean> renew(String key, String token, long nowMillis, long leaseMillis) {
        boolean[] renewed = new boolean[1];
        map.computeIfPresent(key, (k, current) -> {
            if (!current.ownedBy(token, nowMillis)) {
                return current;
            }
            renewed[0] = true;
            return new Entry(StoredRecord.State.IN_FLIGHT, token, current.fingerprint(), null,
                    nowMillis + leaseMillis, current.settled());
        });
        return CompletableFuture.completedFuture(renewed[0]);
    }

    @Override
    public CompletionStage<?> whenSettled(String key) {
        Entry entry = map.get(key);
        return entry == null || entry.settled() == null ? SETTLED : entry.settled();
    }

    @Override
    public boolean keepsObjects() {
        return keepsObjects;
    }

    private static boolean settle(Entry previous) {
        if (previous == null) {
            return false;
        }
        if (previous.settled() != null) {
            previous.settled().complete(null);
        }
        return true;
    }

    @Override
    public String toString() {
        return "InMemoryStore[keepsObjects=" + keepsObjects + "]";
    }
}
