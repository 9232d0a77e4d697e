package dev.idem.core.spi;

import java.util.concurrent.CompletableFuture;

/**
 * Where records live. The engine drives every call through these operations; each must be atomic in the store
 * itself (a compare-and-set, {@code SET NX}, a Lua script), never a check-then-act in Java, because several threads,
 * processes and nodes call them concurrently for the same key.
 *
 * <p>Keys arrive complete (prefix, namespace and key). Times are epoch milliseconds of the engine's clock; durations
 * are milliseconds. A record that has expired must behave as absent.
 *
 * <p>Failures: a store that cannot reach its backend throws an exception (any {@link RuntimeException}); the engine
 * turns it into an {@code IdempotencyStoreException} or, where the method allows it, runs unprotected.
 *
 * <p>A replay must cost a single call of {@link #claim} (one round trip for a remote store); a first call,
 * {@link #claim} then {@link #complete}. Implementations must be thread-safe.
 */
public interface IdempotencyStore {

    /**
     * Claims the key, or reads the record that prevents it, in one atomic step. If no live record exists (none, or an
     * expired one, including an in-flight record whose lease lapsed), stores
     * {@code IN_FLIGHT(token, fingerprint, now + lease)} and returns {@link ClaimResult#CLAIMED}. Otherwise returns
     * the live record unchanged.
     *
     * @param key the full key
     * @param token the caller's unique owner token
     * @param fingerprint the caller's payload fingerprint
     * @param nowMillis the current time
     * @param leaseMillis how long the claim lives without renewal
     * @return {@link ClaimResult#CLAIMED} or the live {@link StoredRecord}
     */
    ClaimResult claim(String key, String token, Fingerprint fingerprint, long nowMillis, long leaseMillis);

    /**
     * Replaces the caller's in-flight record by {@code COMPLETED(fingerprint, outcome, now + ttl)}, only if the
     * caller's token still owns the key; wakes the waiters.
     *
     * @param key the full key
     * @param token the owner token given to {@link #claim}
     * @param fingerprint the payload fingerprint
     * @param outcome the outcome to record
     * @param nowMillis the current time
     * @param ttlMillis how long the completed record lives
     * @return true if recorded; false if the token no longer owns the key (the lease lapsed and another call may have
     *     claimed it), in which case nothing was changed
     */
    boolean complete(String key, String token, Fingerprint fingerprint, Outcome outcome, long nowMillis,
            long ttlMillis);

    /**
     * Removes the caller's in-flight record, only if the caller's token still owns the key; wakes the waiters, so
     * that the next call runs the method again.
     *
     * @param key the full key
     * @param token the owner token
     * @return true if released; false if the token no longer owned the key
     */
    boolean release(String key, String token);

    /**
     * Extends the caller's lease to {@code now + lease}, only if its token still owns the key.
     *
     * @param key the full key
     * @param token the owner token
     * @param nowMillis the current time
     * @param leaseMillis the new lease, from now
     * @return true if renewed; false if the token no longer owns the key
     */
    boolean renew(String key, String token, long nowMillis, long leaseMillis);

    /**
     * A future that completes when the in-flight record currently held for the key is settled: completed, released,
     * expired or evicted. It is already complete if no in-flight record exists. Waiters block on it instead of
     * polling; the engine re-reads the record with {@link #claim} when it completes, so spurious completions are
     * harmless, missed ones are not. The future's value is meaningless.
     *
     * @param key the full key
     * @return the future
     */
    CompletableFuture<?> whenSettled(String key);

    /**
     * Whether the store keeps outcomes as Java objects (an in-process store), or needs them encoded as bytes by the
     * engine ({@link Outcome.Kind#ENCODED_VALUE}, decoded with the method's generic return type on replay).
     *
     * @return true for an in-process store
     */
    boolean keepsObjects();

    /**
     * Whether the store is shared with other processes; a shared store gets the global key prefix.
     *
     * @return true for a shared store
     */
    default boolean isShared() {
        return !keepsObjects();
    }
}
