package dev.idem.micrometer;

import dev.idem.core.spi.ClaimResult;
import dev.idem.core.spi.Fingerprint;
import dev.idem.core.spi.IdempotencyStore;
import dev.idem.core.spi.Outcome;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A real store behind two switches of the test: renewals that are answered "renewed" without reaching the store (a
 * holder's lease then lapses in the store however long the body runs, while the engine sees nothing wrong until it
 * completes), and a store that fails every operation (for a store the test cannot stop, as Caffeine).
 */
final class ControllableStore implements IdempotencyStore {
    private final IdempotencyStore delegate;
    private volatile boolean failing;
    private volatile boolean renewalsSwallowed;

    ControllableStore(IdempotencyStore delegate) {
        this.delegate = delegate;
    }

    IdempotencyStore delegate() {
        return delegate;
    }

    /** From now on every operation fails, as a store that went away. */
    void failEverything() {
        failing = true;
    }

    /** From now on renewals answer "renewed" and never reach the store. */
    void swallowRenewals() {
        renewalsSwallowed = true;
    }

    private static <T> CompletionStage<T> unreachable() {
        return CompletableFuture.failedFuture(new IllegalStateException("store unreachable (simulated by the test)"));
    }

    @Override
    public CompletionStage<ClaimResult> claim(String key, String token, Fingerprint fingerprint, long nowMillis,
            long leaseMillis) {
        return failing ? unreachable() : delegate.claim(key, token, fingerprint, nowMillis, leaseMillis);
    }

    @Override
    public CompletionStage<Boolean> complete(String key, String token, Fingerprint fingerprint, Outcome outcome,
            long nowMillis, long ttlMillis) {
        return failing ? unreachable() : delegate.complete(key, token, fingerprint, outcome, nowMillis, ttlMillis);
    }

    @Override
    public CompletionStage<Boolean> release(String key, String token, long nowMillis) {
        return failing ? unreachable() : delegate.release(key, token, nowMillis);
    }

    @Override
    public CompletionStage<Boolean> renew(String key, String token, long nowMillis, long leaseMillis) {
        if (renewalsSwallowed) {
            return CompletableFuture.completedFuture(true);
        }
        return failing ? unreachable() : delegate.renew(key, token, nowMillis, leaseMillis);
    }

    @Override
    public CompletionStage<?> whenSettled(String key) {
        return failing ? unreachable() : delegate.whenSettled(key);
    }

    @Override
    public boolean keepsObjects() {
        return delegate.keepsObjects();
    }

    @Override
    public boolean isShared() {
        return delegate.isShared();
    }
}
