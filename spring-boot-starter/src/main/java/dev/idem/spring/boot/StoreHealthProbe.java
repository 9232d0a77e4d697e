package dev.idem.spring.boot;

import dev.idem.core.Idempotency;
import dev.idem.core.IdempotencyConfig;
import dev.idem.core.spi.ClaimResult;
import dev.idem.core.spi.Fingerprint;
import dev.idem.core.spi.IdempotencyStore;
import dev.idem.core.spi.StoreKeys;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The health check of the default store, shared by the Boot 3.5 and Boot 4 indicators. The store SPI has no ping, so
 * the probe does what every first call does: it claims a fresh key (namespace {@value #NAMESPACE}, a random key, a
 * short lease) and releases it. That proves that the store answers, accepts a write and honours the owner's release,
 * on the same path as the application's calls (for Redis: two scripts; for JDBC: an INSERT and a DELETE on the record
 * table, so a missing table is reported too). A probe whose release never comes (the process dies in between) leaves
 * a record that expires after the lease, like any claim.
 */
final class StoreHealthProbe {
    static final String NAMESPACE = "idem.health";
    static final long LEASE_MILLIS = 10_000;
    static final long TIMEOUT_MILLIS = 10_000;

    /** The outcome of one probe. */
    record Result(boolean up, Map<String, Object> details, Throwable error) {
    }

    private final IdempotencyConfig config;

    /** @param config the configuration whose default store is probed; null for the one in force */
    StoreHealthProbe(IdempotencyConfig config) {
        this.config = config;
    }

    Result probe() {
        IdempotencyConfig in = config != null ? config : Idempotency.config();
        IdempotencyStore store = in.defaultStore();
        Map<String, Object> details = new LinkedHashMap<>();
        if (store == null) {
            details.put("store", "none");
            return new Result(false, details, null);
        }
        details.put("store", store.getClass().getSimpleName());
        String key = StoreKeys.of(store.isShared() ? in.keyPrefix() : "", NAMESPACE, UUID.randomUUID().toString());
        String token = UUID.randomUUID().toString();
        long start = System.nanoTime();
        try {
            ClaimResult claim = store.claim(key, token, Fingerprint.NONE, in.clock().millis(), LEASE_MILLIS)
                    .toCompletableFuture().get(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
            if (claim != ClaimResult.CLAIMED) {
                details.put("error", "a fresh probe key was not claimed: " + claim);
                return new Result(false, details, null);
            }
            Boolean released = store.release(key, token, in.clock().millis())
                    .toCompletableFuture().get(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
            details.put("latencyMillis", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
            if (!Boolean.TRUE.equals(released)) {
                details.put("error", "the probe's own claim was not released");
                return new Result(false, details, null);
            }
            return new Result(true, details, null);
        } catch (ExecutionException e) {
            return new Result(false, details, e.getCause() != null ? e.getCause() : e);
        } catch (TimeoutException | RuntimeException e) {
            return new Result(false, details, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(false, details, e);
        }
    }
}
