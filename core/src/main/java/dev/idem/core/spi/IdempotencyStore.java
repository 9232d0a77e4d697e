package dev.idem.core.spi;

import java.util.concurrent.CompletionStage;

/**
 * Where records live. The engine drives every call through these operations; each must be atomic in the store
 * itself (a compare-and-set, {@code SET NX}, a Lua script, a unique constraint), never a check-then-act in Java,
 * because several threads, processes and nodes call them concurrently for the same key.
 *
 * <h2>Threads</h2>
 * Every operation is asynchronous: it returns at once with a stage and must not block the calling thread, which may
 * be an event loop, another library's callback thread or this store's own I/O thread (the engine completes, releases
 * and renews from whatever thread an asynchronous method body completed on). The stages may complete on any thread;
 * the engine never blocks inside their callbacks. A store must complete every stage within a bounded time (its own
 * command timeout): a stage that never completes blocks the caller that waits for it. Callers must not complete the
 * stages themselves; a store may hand out the same completed stage to many callers.
 *
 * <h2>Keys</h2>
 * Keys arrive complete ({@link StoreKeys}): prefix, namespace and key, escaped so that distinct triples never give the
 * same key, and free of {@code '{'} and {@code '}'}, so a store may wrap a key in braces (a Redis Cluster hash tag).
 * The engine calls the operations that take a {@link StoreKey}, the key in its parts; by default each hands its
 * {@linkplain StoreKey#toString() string form} to the operation of the same name that takes a {@code String}, which is
 * all a store has to implement. An in-process store may instead implement {@link ByStoreKey}, to key its map by the
 * {@code StoreKey} itself (whose hash costs the caller's key only): its string operations then go through
 * {@link StoreKey#parse}, so that both forms of a key reach the same record.
 *
 * <h2>Time</h2>
 * {@code nowMillis} is the engine's clock ({@code IdempotencyConfig#clock()}), in epoch milliseconds. A store that
 * only this process uses may judge expiry by it (so that tests can move it); a store shared between processes must
 * ignore it and judge lease and ttl expiry by its own clock (Redis's, the database's), because callers' clocks
 * disagree; such a store answers false to {@link #usesEngineClock()}, and the engine then passes {@code 0}. Durations are milliseconds, from 1 to {@code IdempotencyConfig#MAX_DURATION}; a write must never leave a
 * record without an expiry. A record that has expired behaves as absent.
 *
 * <h2>Failures</h2>
 * A store that cannot reach its backend completes the stage exceptionally (a thrown {@link RuntimeException} is
 * treated the same way); the engine turns it into an {@code IdempotencyStoreException} or, where the method allows
 * it, runs unprotected. An interrupt flag on the calling thread is not a failure: a store must not fail an operation
 * because of it (it is the caller's, and the engine keeps it). A key the store cannot hold (too long for its column,
 * a character it cannot store) is refused with an {@link IllegalArgumentException}: the engine reports that as the
 * caller's key error, never as an unreachable store, so it never runs the method unprotected because of it.
 *
 * <h2>Repeats</h2>
 * Every operation is safe to repeat (a client may retry it after a timeout): a repeated claim by the owner's token
 * answers {@link ClaimResult#CLAIMED} again, a repeated {@link #complete} by the owner answers {@code true} again
 * while its record lives, a repeated {@link #release} answers {@code false}. The store contract suite in
 * {@code idem-tck} ({@code IdempotencyStoreContract}) checks every operation in every state; run it against a store
 * of your own.
 *
 * <p>A replay must cost a single {@link #claim} (one round trip for a remote store); a first call, {@link #claim}
 * then {@link #complete}. Implementations must be thread-safe.
 */
public interface IdempotencyStore {

    /**
     * Claims the key, or reads the record that prevents it, in one atomic step. If no live record exists (none, or an
     * expired one, including an in-flight record whose lease lapsed), stores {@code IN_FLIGHT(token, fingerprint)}
     * that lives for {@code leaseMillis} and answers {@link ClaimResult#CLAIMED}. If the live record is in flight
     * under the same token, answers {@link ClaimResult#CLAIMED} too (a retried claim). Otherwise answers the live
     * record unchanged.
     *
     * @param key the full key
     * @param token the caller's unique owner token
     * @param fingerprint the caller's payload fingerprint, frozen
     * @param nowMillis the engine's clock (see the class comment)
     * @param leaseMillis how long the claim lives without renewal
     * @return a stage of {@link ClaimResult#CLAIMED} or the live {@link StoredRecord}
     */
    CompletionStage<ClaimResult> claim(String key, String token, Fingerprint fingerprint, long nowMillis,
            long leaseMillis);

    /**
     * Replaces the caller's in-flight record by {@code COMPLETED(fingerprint, outcome)} that lives for
     * {@code ttlMillis}, only if the caller's token still owns the key; wakes the waiters.
     *
     * @param key the full key
     * @param token the owner token given to {@link #claim}
     * @param fingerprint the payload fingerprint
     * @param outcome the outcome to record
     * @param nowMillis the engine's clock (see the class comment)
     * @param ttlMillis how long the completed record lives
     * @return a stage of true if recorded, or already recorded by this token and still live (a retried complete);
     *     false if the token no longer owns the key (its lease lapsed, and another call may have claimed it), in
     *     which case nothing was changed
     */
    CompletionStage<Boolean> complete(String key, String token, Fingerprint fingerprint, Outcome outcome,
            long nowMillis, long ttlMillis);

    /**
     * Removes the caller's in-flight record, only if the caller's token still owns the key; wakes the waiters, so
     * that the next call runs the method again.
     *
     * @param key the full key
     * @param token the owner token
     * @param nowMillis the engine's clock (see the class comment)
     * @return a stage of true if released; false if the token did not own a live in-flight record of the key (never
     *     claimed, released already, lapsed, or completed)
     */
    CompletionStage<Boolean> release(String key, String token, long nowMillis);

    /**
     * Extends the caller's lease to {@code leaseMillis} from now, only if its token still owns an in-flight record of
     * the key.
     *
     * @param key the full key
     * @param token the owner token
     * @param nowMillis the engine's clock (see the class comment)
     * @param leaseMillis the new lease, from now
     * @return a stage of true if renewed; false if the token no longer owns the key
     */
    CompletionStage<Boolean> renew(String key, String token, long nowMillis, long leaseMillis);

    /**
     * A stage that completes when the in-flight record currently held for the key is settled: completed, released,
     * expired or evicted. It is already complete if no in-flight record exists. Waiters block on it instead of
     * polling; the engine re-reads the record with {@link #claim} when it completes, so spurious completions are
     * harmless, missed ones are not. It may also complete exceptionally when the store cannot watch the key; the
     * engine then re-reads after a short pause. Its value is meaningless.
     *
     * @param key the full key
     * @return the stage
     */
    CompletionStage<?> whenSettled(String key);

    /**
     * {@link #claim(String, String, Fingerprint, long, long)} by a key in its parts; the engine calls this one. By
     * default, that operation with the key's string form.
     *
     * @param key the full key
     * @param token the caller's unique owner token
     * @param fingerprint the caller's payload fingerprint, frozen
     * @param nowMillis the engine's clock (see the class comment)
     * @param leaseMillis how long the claim lives without renewal
     * @return a stage of {@link ClaimResult#CLAIMED} or the live {@link StoredRecord}
     */
    default CompletionStage<ClaimResult> claim(StoreKey key, String token, Fingerprint fingerprint, long nowMillis,
            long leaseMillis) {
        return claim(key.toString(), token, fingerprint, nowMillis, leaseMillis);
    }

    /**
     * {@link #complete(String, String, Fingerprint, Outcome, long, long)} by a key in its parts; the engine calls this
     * one. By default, that operation with the key's string form.
     *
     * @param key the full key
     * @param token the owner token given to {@link #claim}
     * @param fingerprint the payload fingerprint
     * @param outcome the outcome to record
     * @param nowMillis the engine's clock (see the class comment)
     * @param ttlMillis how long the completed record lives
     * @return a stage of true if recorded (see the string operation)
     */
    default CompletionStage<Boolean> complete(StoreKey key, String token, Fingerprint fingerprint, Outcome outcome,
            long nowMillis, long ttlMillis) {
        return complete(key.toString(), token, fingerprint, outcome, nowMillis, ttlMillis);
    }

    /**
     * {@link #release(String, String, long)} by a key in its parts; the engine calls this one. By default, that
     * operation with the key's string form.
     *
     * @param key the full key
     * @param token the owner token
     * @param nowMillis the engine's clock (see the class comment)
     * @return a stage of true if released (see the string operation)
     */
    default CompletionStage<Boolean> release(StoreKey key, String token, long nowMillis) {
        return release(key.toString(), token, nowMillis);
    }

    /**
     * {@link #renew(String, String, long, long)} by a key in its parts; the engine calls this one. By default, that
     * operation with the key's string form.
     *
     * @param key the full key
     * @param token the owner token
     * @param nowMillis the engine's clock (see the class comment)
     * @param leaseMillis the new lease, from now
     * @return a stage of true if renewed (see the string operation)
     */
    default CompletionStage<Boolean> renew(StoreKey key, String token, long nowMillis, long leaseMillis) {
        return renew(key.toString(), token, nowMillis, leaseMillis);
    }

    /**
     * {@link #whenSettled(String)} by a key in its parts; the engine calls this one. By default, that operation with
     * the key's string form.
     *
     * @param key the full key
     * @return the stage
     */
    default CompletionStage<?> whenSettled(StoreKey key) {
        return whenSettled(key.toString());
    }

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

    /**
     * Whether the store judges expiry by the engine's clock, the {@code nowMillis} of its operations. A store that
     * judges expiry by a clock of its own (Redis's, the database's), as every shared store must, answers false: the
     * engine then does not read its clock for that store's operations (a clock read costs about as much as an
     * in-process lookup) and passes {@code 0} as {@code nowMillis}. By default true, so that a store (or a wrapper
     * around one) that does not say otherwise always gets the time.
     *
     * @return true if the store reads {@code nowMillis}
     */
    default boolean usesEngineClock() {
        return true;
    }

    /**
     * A store that works on keys in their parts: it implements the {@link StoreKey} operations, and its
     * {@code String} operations parse the key ({@link StoreKey#parse}) and call them, so that a key reaches the same
     * record in either form. For an in-process store that keys a map by {@code StoreKey}, whose hash costs only the
     * caller's key.
     */
    interface ByStoreKey extends IdempotencyStore {
        @Override
        CompletionStage<ClaimResult> claim(StoreKey key, String token, Fingerprint fingerprint, long nowMillis,
                long leaseMillis);

        @Override
        CompletionStage<Boolean> complete(StoreKey key, String token, Fingerprint fingerprint, Outcome outcome,
                long nowMillis, long ttlMillis);

        @Override
        CompletionStage<Boolean> release(StoreKey key, String token, long nowMillis);

        @Override
        CompletionStage<Boolean> renew(StoreKey key, String token, long nowMillis, long leaseMillis);

        @Override
        CompletionStage<?> whenSettled(StoreKey key);

        /** The claim of the parsed key. */
        @Override
        default CompletionStage<ClaimResult> claim(String key, String token, Fingerprint fingerprint, long nowMillis,
                long leaseMillis) {
            return claim(StoreKey.parse(key), token, fingerprint, nowMillis, leaseMillis);
        }

        /** The complete of the parsed key. */
        @Override
        default CompletionStage<Boolean> complete(String key, String token, Fingerprint fingerprint,
                Outcome outcome, long nowMillis, long ttlMillis) {
            return complete(StoreKey.parse(key), token, fingerprint, outcome, nowMillis, ttlMillis);
        }

        /** The release of the parsed key. */
        @Override
        default CompletionStage<Boolean> release(String key, String token, long nowMillis) {
            return release(StoreKey.parse(key), token, nowMillis);
        }

        /** The renewal of the parsed key. */
        @Override
        default CompletionStage<Boolean> renew(String key, String token, long nowMillis, long leaseMillis) {
            return renew(StoreKey.parse(key), token, nowMillis, leaseMillis);
        }

        /** The settle stage of the parsed key. */
        @Override
        default CompletionStage<?> whenSettled(String key) {
            return whenSettled(StoreKey.parse(key));
        }
    }
}
