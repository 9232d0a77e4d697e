package dev.idem.tck;

import dev.idem.core.spi.ClaimResult;
import dev.idem.core.spi.Fingerprint;
import dev.idem.core.spi.IdempotencyStore;
import dev.idem.core.spi.Outcome;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Wraps the store under test so that a test can make it fail as an unreachable store would, or make the renewals of
 * chosen keys hang as a slow shard would (they never reach the store and never answer). Everything else goes to the
 * real store.
 */
final class SwitchableStore implements IdempotencyStore {
    private final IdempotencyStore delegate;
    private volatile boolean down;
    private final Set<String> hungRenewals = ConcurrentHashMap.newKeySet();
    private final AtomicInteger settleWatches = new AtomicInteger();
    private final AtomicInteger renewals = new AtomicInteger();
    private final AtomicInteger claims = new AtomicInteger();

    SwitchableStore(IdempotencyStore delegate) {
        this.delegate = delegate;
    }

    IdempotencyStore delegate() {
        return delegate;
    }

    void down(boolean down) {
        this.down = down;
    }

    /** From now on, renewals of this key never answer (and never reach the store). */
    void hangRenewals(String key) {
        hungRenewals.add(key);
    }

    private <T> CompletionStage<T> unreachable() {
        return CompletableFuture.failedFuture(new IllegalStateException("store unreachable (simulated by the test)"));
    }

    @Override
    public CompletionStage<ClaimResult> claim(String key, String token, Fingerprint fingerprint, long nowMillis,
            long leaseMillis) {
        claims.incrementAndGet();
        return down ? unreachable() : delegate.claim(key, token, fingerprint, nowMillis, leaseMillis);
    }

    @Override
    public CompletionStage<Boolean> complete(String key, String token, Fingerprint fingerprint, Outcome outcome,
            long nowMillis, long ttlMillis) {
        return down ? unreachable() : delegate.complete(key, token, fingerprint, outcome, nowMillis, ttlMillis);
    }

    @Override
    public CompletionStage<Boolean> release(String key, String token, long nowMillis) {
        return down ? unreachable() : delegate.release(key, token, nowMillis);
    }

    @Override
    public CompletionStage<Boolean> renew(String key, String token, long nowMillis, long leaseMillis) {
        renewals.incrementAndGet();
        if (hungRenewals.contains(key)) {
            return new CompletableFuture<>();
        }
        return down ? unreachable() : delegate.renew(key, token, nowMillis, leaseMillis);
    }

    @Override
    public CompletionStage<?> whenSettled(String key) {
        if (down) {
            return unreachable();
        }
        settleWatches.incrementAndGet();
        return delegate.whenSettled(key);
    }

    /** How many times a waiter asked to be woken: proof that a duplicate saw the key in flight and waits. */
    int settleWatches() {
        return settleWatches.get();
    }

    /** How many claims reached this store. */
    int claims() {
        return claims.get();
    }

    /** How many renewals were attempted, hung ones included. */
    int renewals() {
        return renewals.get();
    }

    @Override
    public boolean keepsObjects() {
        return delegate.keepsObjects();
    }

    @Override
    public boolean isShared() {
        return delegate.isShared();
    }

    @Override
    public boolean usesEngineClock() {
        return delegate.usesEngineClock();
    }
}
