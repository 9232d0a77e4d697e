package dev.idem.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.idem.core.Idempotency;
import dev.idem.core.IdempotencyConfig;
import dev.idem.core.IdempotentOperation;
import dev.idem.core.event.IdempotencyEvent;
import dev.idem.core.spi.ClaimResult;
import dev.idem.core.spi.Fingerprint;
import dev.idem.core.spi.IdempotencyStore;
import dev.idem.core.spi.Outcome;
import dev.idem.core.testing.InMemoryStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The one renewal scan: a call whose renewal is due before the scan's next wake-up moves the wake-up earlier, and
 * calls that start and stop by the thousand around a long one never cost it a renewal.
 */
class LeaseRenewalTest {
    private final CountingStore store = new CountingStore(InMemoryStore.keepingObjects());
    private final List<IdempotencyEvent> events = new CopyOnWriteArrayList<>();

    @AfterEach
    void reset() {
        Idempotency.reset();
    }

    private void configure() {
        Idempotency.configure(IdempotencyConfig.builder().defaultStore(store).listener(events::add).build());
    }

    @Test
    void aShortLeaseStartedAfterALongOne_isRenewedOnItsOwnPeriod() throws Exception {
        // No wake-up left over from another test (at most a third of its lease away): the long lease below sets it.
        waitUntil(LeaseRenewal::idle, 30);
        configure();
        IdempotentOperation<String> longLease = Idempotency.operation("long", String.class)
                .lease(Duration.ofMinutes(10)).build();
        IdempotentOperation<String> shortLease = Idempotency.operation("short", String.class)
                .lease(Duration.ofMillis(900)).build();
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            // The long lease's first renewal is 200 s away: the scan sleeps until then, unless moved earlier.
            Future<String> first = threads.submit(() -> longLease.execute("a", "p", () -> await(release)));
            waitUntil(() -> store.claims.get() >= 1);
            Future<String> second = threads.submit(() -> shortLease.execute("b", "p", () -> await(release)));
            waitUntil(() -> store.renewalsOf("b") >= 3);
            release.countDown();
            assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo("done");
            assertThat(second.get(10, TimeUnit.SECONDS)).isEqualTo("done");
        } finally {
            release.countDown();
            threads.shutdownNow();
        }
        assertThat(store.renewalsOf("a")).isZero();
        assertThat(events).extracting(IdempotencyEvent::type).doesNotContain(IdempotencyEvent.Type.LEASE_LOST);
    }

    @Test
    void thousandsOfShortCalls_neverStarveALongRunningOne() throws Exception {
        configure();
        // Leases long enough that a loaded machine's scheduling delays cannot make them lapse.
        IdempotentOperation<String> op = Idempotency.operation("churn", String.class)
                .lease(Duration.ofMillis(1500)).build();
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService threads = Executors.newFixedThreadPool(3);
        try {
            Future<String> holder = threads.submit(() -> op.execute("held", "p", () -> await(release)));
            AtomicInteger done = new AtomicInteger();
            Runnable churn = () -> {
                for (int i = 0; i < 20_000; i++) {
                    op.execute(Thread.currentThread().getName() + "-" + i, "p", () -> "x");
                    done.incrementAndGet();
                }
            };
            Future<?> c1 = threads.submit(churn);
            Future<?> c2 = threads.submit(churn);
            c1.get(60, TimeUnit.SECONDS);
            c2.get(60, TimeUnit.SECONDS);
            int renewed = store.renewalsOf("held");
            waitUntil(() -> store.renewalsOf("held") >= renewed + 3); // still renewed after the churn
            release.countDown();
            assertThat(holder.get(10, TimeUnit.SECONDS)).isEqualTo("done");
            assertThat(done).hasValue(40_000);
        } finally {
            release.countDown();
            threads.shutdownNow();
        }
        assertThat(events).extracting(IdempotencyEvent::type).doesNotContain(IdempotencyEvent.Type.LEASE_LOST);
        // The churned calls ended long before a renewal was due: none of them was renewed.
        assertThat(store.renewals.keySet()).allMatch(key -> key.endsWith(":held"));
    }

    private static String await(CountDownLatch latch) {
        try {
            if (!latch.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("never released");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return "done";
    }

    private static void waitUntil(BooleanSupplier condition) throws InterruptedException {
        waitUntil(condition, 10);
    }

    private static void waitUntil(BooleanSupplier condition, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() - deadline).as("condition not met within " + seconds + " s").isNegative();
            Thread.sleep(5);
        }
    }

    /** Counts claims and renewals per stored key. */
    private static final class CountingStore implements IdempotencyStore {
        final IdempotencyStore delegate;
        final AtomicInteger claims = new AtomicInteger();
        final Map<String, AtomicInteger> renewals = new ConcurrentHashMap<>();

        CountingStore(IdempotencyStore delegate) {
            this.delegate = delegate;
        }

        int renewalsOf(String key) {
            return renewals.entrySet().stream().filter(e -> e.getKey().endsWith(":" + key))
                    .mapToInt(e -> e.getValue().get()).sum();
        }

        @Override
        public java.util.concurrent.CompletionStage<ClaimResult> claim(String key, String token,
                Fingerprint fingerprint, long nowMillis, long leaseMillis) {
            claims.incrementAndGet();
            return delegate.claim(key, token, fingerprint, nowMillis, leaseMillis);
        }

        @Override
        public java.util.concurrent.CompletionStage<Boolean> complete(String key, String token,
                Fingerprint fingerprint, Outcome outcome, long nowMillis, long ttlMillis) {
            return delegate.complete(key, token, fingerprint, outcome, nowMillis, ttlMillis);
        }

        @Override
        public java.util.concurrent.CompletionStage<Boolean> release(String key, String token, long nowMillis) {
            return delegate.release(key, token, nowMillis);
        }

        @Override
        public java.util.concurrent.CompletionStage<Boolean> renew(String key, String token, long nowMillis,
                long leaseMillis) {
            renewals.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
            return delegate.renew(key, token, nowMillis, leaseMillis);
        }

        @Override
        public java.util.concurrent.CompletionStage<?> whenSettled(String key) {
            return delegate.whenSettled(key);
        }

        @Override
        public boolean keepsObjects() {
            return delegate.keepsObjects();
        }
    }
}
