package dev.idem.spring.boot;

import dev.idem.core.spi.ClaimResult;
import dev.idem.core.spi.Fingerprint;
import dev.idem.core.spi.IdempotencyStore;
import dev.idem.core.spi.Outcome;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** A store whose backend is down: every operation fails, as an unreachable Redis or database would. */
final class FailingStore implements IdempotencyStore {
    private static <T> CompletionStage<T> down() {
        return CompletableFuture.failedFuture(new IllegalStateException("store is down"));
    }

    @Override
    public CompletionStage<ClaimResult> claim(String key, String token, Fingerprint fingerprint, long nowMillis,
            long leaseMillis) {
        return down();
    }

    @Override
    public CompletionStage<Boolean> complete(String key, String token, Fingerprint fingerprint, Outcome outcome,
            long nowMillis, long ttlMillis) {
        return down();
    }

    @Override
    public CompletionStage<Boolean> release(String key, String token, long nowMillis) {
        return down();
    }

    @Override
    public CompletionStage<Boolean> renew(String key, String token, long nowMillis, long leaseMillis) {
        return down();
    }

    @Override
    public CompletionStage<?> whenSettled(String key) {
        return down();
    }

    @Override
    public boolean keepsObjects() {
        return false;
    }
}
