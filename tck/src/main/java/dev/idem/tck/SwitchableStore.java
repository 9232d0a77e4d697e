package dev.idem.tck;

import dev.idem.core.spi.ClaimResult;
import dev.idem.core.spi.Fingerprint;
import dev.idem.core.spi.IdempotencyStore;
import dev.idem.core.spi.Outcome;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/** Wraps the store under test so that a test can make it fail as an unreachable store would. */
final class SwitchableStore implements IdempotencyStore {
    private final IdempotencyStore delegate;
    private volatile boolean down;
    private final AtomicInteger settleWatches = new AtomicInteger();

    SwitchableStore(IdempotencyStore delegate) {
        this.delegate = delegate;
    }

    IdempotencyStore delegate() {
        return delegate;
    }

    void down(boolean down) {
        this.down = down;
    }

    private void check() {
        if (down) {
            throw new IllegalStateException("store unreachable (simulated by the test)");
        }
    }

    @Override
    public ClaimResult claim(String key, String token, Fingerprint fingerprint, long nowMillis, long leaseMillis) {
        check();
        return delegate.claim(key, token, fingerprint, nowMillis, leaseMillis);
    }

    @Override
    public boolean complete(String key, String token, Fingerprint fingerprint, Outcome outcome, long nowMillis,
            long ttlMillis) {
        check();
        return delegate.complete(key, token, fingerprint, outcome, nowMillis, ttlMillis);
    }

    @Override
    public boolean release(String key, String token) {
        check();
        return delegate.release(key, token);
    }

    @Override
    public boolean renew(String key, String token, long nowMillis, long leaseMillis) {
        check();
        return delegate.renew(key, token, nowMillis, leaseMillis);
    }

    @Override
    public CompletableFuture<?> whenSettled(String key) {
        check();
        settleWatches.incrementAndGet();
        return delegate.whenSettled(key);
    }

    /** How many times a waiter asked to be woken: proof that a duplicate saw the key in flight and waits. */
    int settleWatches() {
        return settleWatches.get();
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
