package dev.idem.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.idem.core.spi.ClaimResult;
import dev.idem.core.spi.Fingerprint;
import dev.idem.core.spi.IdempotencyStore;
import dev.idem.core.spi.Outcome;
import dev.idem.core.testing.InMemoryStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The engine reads its clock only for a store that judges expiry by it ({@link IdempotencyStore#usesEngineClock()}):
 * for a store with a clock of its own it passes 0 and never reads the clock, in any operation.
 */
class EngineClockTest {
    private final CountingClock clock = new CountingClock(Instant.parse("2026-12-04T10:00:00Z"));

    @AfterEach
    void reset() {
        Idempotency.reset();
    }

    @Test
    void aStoreWithItsOwnClock_isNeverGivenTheEngineClock_inAnyOperation() throws Exception {
        OwnClockStore store = new OwnClockStore();
        Idempotency.configure(IdempotencyConfig.builder().defaultStore(store).clock(clock).build());
        IdempotentOperation<String> operation = Idempotency.operation("ns", String.class)
                .lease(Duration.ofMillis(300)).build();

        // A first call whose body outlives a renewal period (a third of the lease), then a replay.
        assertThat(operation.execute("k", "p", () -> {
            awaitRenewal(store);
            return "r";
        })).isEqualTo("r");
        assertThat(operation.execute("k", "p", () -> "never")).isEqualTo("r");
        // A failure that is not replayed: the claim is released.
        assertThatThrownBy(() -> operation.execute("k2", "p", () -> {
            throw new IllegalStateException("boom");
        })).hasMessage("boom");

        assertThat(store.operations).containsExactly("claim", "renew", "complete", "claim", "claim", "release");
        assertThat(store.nows).as("nowMillis given").containsOnly(0L);
        assertThat(clock.reads).as("engine clock reads").hasValue(0);
    }

    @Test
    void aStoreThatJudgesExpiryByTheEngineClock_getsIt() {
        Idempotency.configure(IdempotencyConfig.builder().defaultStore(InMemoryStore.keepingObjects()).clock(clock)
                .build());
        IdempotentOperation<String> operation = Idempotency.operation("ns", String.class).build();

        assertThat(operation.execute("k", "p", () -> "r")).isEqualTo("r");
        assertThat(operation.execute("k", "p", () -> "never")).isEqualTo("r");

        assertThat(clock.reads).as("claim, complete, claim").hasValueGreaterThanOrEqualTo(3);
    }

    private static void awaitRenewal(OwnClockStore store) {
        try {
            assertThat(store.renewed.await(10, TimeUnit.SECONDS)).as("renewed within 10 s").isTrue();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    /** A clock that counts its reads. */
    private static final class CountingClock extends Clock {
        final AtomicInteger reads = new AtomicInteger();
        private final Instant instant;

        CountingClock(Instant instant) {
            this.instant = instant;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Instant instant() {
            reads.incrementAndGet();
            return instant;
        }

        @Override
        public long millis() {
            reads.incrementAndGet();
            return instant.toEpochMilli();
        }
    }

    /**
     * A store that judges expiry by a clock of its own (here the system's, handed to an {@link InMemoryStore}), as a
     * shared store does, and records which operations it got and with which {@code nowMillis}.
     */
    private static final class OwnClockStore implements IdempotencyStore {
        final InMemoryStore records = InMemoryStore.encoding();
        final List<String> operations = new CopyOnWriteArrayList<>();
        final List<Long> nows = new CopyOnWriteArrayList<>();
        final CountDownLatch renewed = new CountDownLatch(1);

        private long seen(String operation, long nowMillis) {
            operations.add(operation);
            nows.add(nowMillis);
            return System.currentTimeMillis();
        }

        @Override
        public boolean usesEngineClock() {
            return false;
        }

        @Override
        public CompletionStage<ClaimResult> claim(String key, String token, Fingerprint fingerprint, long nowMillis,
                long leaseMillis) {
            return records.claim(key, token, fingerprint, seen("claim", nowMillis), leaseMillis);
        }

        @Override
        public CompletionStage<Boolean> complete(String key, String token, Fingerprint fingerprint, Outcome outcome,
                long nowMillis, long ttlMillis) {
            return records.complete(key, token, fingerprint, outcome, seen("complete", nowMillis), ttlMillis);
        }

        @Override
        public CompletionStage<Boolean> release(String key, String token, long nowMillis) {
            return records.release(key, token, seen("release", nowMillis));
        }

        @Override
        public CompletionStage<Boolean> renew(String key, String token, long nowMillis, long leaseMillis) {
            // Every renewal's now is recorded, the operation only once: how many renewals fit in the body's time is
            // the scheduler's business.
            if (renewed.getCount() == 0) {
                nows.add(nowMillis);
                return records.renew(key, token, System.currentTimeMillis(), leaseMillis);
            }
            CompletionStage<Boolean> stage = records.renew(key, token, seen("renew", nowMillis), leaseMillis);
            renewed.countDown();
            return stage;
        }

        @Override
        public CompletionStage<?> whenSettled(String key) {
            return records.whenSettled(key);
        }

        @Override
        public boolean keepsObjects() {
            return false;
        }
    }
}
