package dev.idem.store.caffeine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.idem.core.IdempotencyConfig;
import dev.idem.core.spi.ClaimResult;
import dev.idem.core.spi.Fingerprint;
import dev.idem.core.spi.IdempotencyStore;
import dev.idem.core.spi.IdempotencyStoreProvider;
import dev.idem.core.spi.Outcome;
import dev.idem.core.spi.StoredRecord;
import java.util.ServiceLoader;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The Caffeine store against the store SPI directly: tokens are plain strings, times are the "now" passed in. */
class CaffeineIdempotencyStoreTest {
    private static final long NOW = 1_000_000L;
    private static final long LEASE = 30_000L;
    private static final long TTL = 3_600_000L;

    private final CaffeineIdempotencyStore store = CaffeineIdempotencyStore.create();
    private final Fingerprint fingerprint = Fingerprint.of("payload").freeze();

    private StoredRecord recordOf(ClaimResult result) {
        assertThat(result).isInstanceOf(StoredRecord.class);
        return (StoredRecord) result;
    }

    @Test
    void claim_ofFreeKeyClaimsIt() {
        assertThat(store.claim("k", "t1", fingerprint, NOW, LEASE)).isSameAs(ClaimResult.CLAIMED);
    }

    @Test
    void claim_secondClaimReturnsTheInFlightRecord() {
        store.claim("k", "t1", fingerprint, NOW, LEASE);

        StoredRecord record = recordOf(store.claim("k", "t2", Fingerprint.of("other"), NOW + 1, LEASE));

        assertThat(record.isInFlight()).isTrue();
        assertThat(record.ownerToken()).isEqualTo("t1");
        assertThat(record.fingerprint()).isSameAs(fingerprint);
        assertThat(record.expiresAtMillis()).isEqualTo(NOW + LEASE);
    }

    @Test
    void claim_keysAreIndependent() {
        store.claim("k1", "t1", fingerprint, NOW, LEASE);
        assertThat(store.claim("k2", "t2", fingerprint, NOW, LEASE)).isSameAs(ClaimResult.CLAIMED);
    }

    @Test
    void complete_byOwnerRecordsTheOutcome() {
        store.claim("k", "t1", fingerprint, NOW, LEASE);
        Outcome outcome = Outcome.value("receipt");

        assertThat(store.complete("k", "t1", fingerprint, outcome, NOW + 10, TTL)).isTrue();

        StoredRecord record = recordOf(store.claim("k", "t2", fingerprint, NOW + 20, LEASE));
        assertThat(record.isInFlight()).isFalse();
        assertThat(record.outcome()).isSameAs(outcome);
        assertThat(record.expiresAtMillis()).isEqualTo(NOW + 10 + TTL);
        assertThat(record.ownerToken()).isNull();
    }

    @Test
    void complete_withStaleTokenReturnsFalseAndLeavesTheRecordUntouched() {
        store.claim("k", "t1", fingerprint, NOW, LEASE);
        StoredRecord before = recordOf(store.claim("k", "probe", fingerprint, NOW, LEASE));

        assertThat(store.complete("k", "stale", fingerprint, Outcome.value("x"), NOW + 1, TTL)).isFalse();

        StoredRecord after = recordOf(store.claim("k", "probe", fingerprint, NOW + 2, LEASE));
        assertThat(after).isSameAs(before);
        assertThat(after.isInFlight()).isTrue();
    }

    @Test
    void complete_ofAbsentKeyReturnsFalse() {
        assertThat(store.complete("missing", "t1", fingerprint, Outcome.value("x"), NOW, TTL)).isFalse();
        assertThat(store.claim("missing", "t2", fingerprint, NOW, LEASE)).isSameAs(ClaimResult.CLAIMED);
    }

    @Test
    void complete_ofCompletedRecordReturnsFalse() {
        store.claim("k", "t1", fingerprint, NOW, LEASE);
        store.complete("k", "t1", fingerprint, Outcome.value("first"), NOW, TTL);

        assertThat(store.complete("k", "t1", fingerprint, Outcome.value("second"), NOW, TTL)).isFalse();
        assertThat(recordOf(store.claim("k", "t2", fingerprint, NOW, LEASE)).outcome().value()).isEqualTo("first");
    }

    @Test
    void release_byOwnerFreesTheKey() {
        store.claim("k", "t1", fingerprint, NOW, LEASE);

        assertThat(store.release("k", "t1")).isTrue();

        assertThat(store.claim("k", "t2", fingerprint, NOW, LEASE)).isSameAs(ClaimResult.CLAIMED);
    }

    @Test
    void release_byOtherTokenReturnsFalseAndKeepsTheClaim() {
        store.claim("k", "t1", fingerprint, NOW, LEASE);

        assertThat(store.release("k", "t2")).isFalse();

        assertThat(recordOf(store.claim("k", "t3", fingerprint, NOW, LEASE)).ownerToken()).isEqualTo("t1");
    }

    @Test
    void release_ofCompletedRecordReturnsFalseAndKeepsIt() {
        store.claim("k", "t1", fingerprint, NOW, LEASE);
        store.complete("k", "t1", fingerprint, Outcome.value("done"), NOW, TTL);

        assertThat(store.release("k", "t1")).isFalse();

        assertThat(recordOf(store.claim("k", "t2", fingerprint, NOW, LEASE)).isInFlight()).isFalse();
    }

    @Test
    void renew_extendsTheLease() {
        store.claim("k", "t1", fingerprint, NOW, LEASE);

        assertThat(store.renew("k", "t1", NOW + LEASE - 1, LEASE)).isTrue();

        // past the original lease, within the renewed one: still held by t1
        StoredRecord record = recordOf(store.claim("k", "t2", fingerprint, NOW + LEASE + 100, LEASE));
        assertThat(record.ownerToken()).isEqualTo("t1");
        assertThat(record.expiresAtMillis()).isEqualTo(NOW + 2 * LEASE - 1);
        assertThat(record.fingerprint()).isSameAs(fingerprint);
        assertThat(store.complete("k", "t1", fingerprint, Outcome.value("x"), NOW + LEASE + 200, TTL)).isTrue();
    }

    @Test
    void renew_byOtherTokenOrAfterTheLeaseLapsedFails() {
        store.claim("k", "t1", fingerprint, NOW, LEASE);

        assertThat(store.renew("k", "t2", NOW + 1, LEASE)).isFalse();
        assertThat(store.renew("k", "t1", NOW + LEASE, LEASE)).isFalse();
        assertThat(store.renew("missing", "t1", NOW, LEASE)).isFalse();
    }

    @Test
    void claim_afterLeaseLapsedIsTakenOverAndTheOldOwnerCannotComplete() {
        store.claim("k", "t1", fingerprint, NOW, LEASE);

        assertThat(store.claim("k", "t2", fingerprint, NOW + LEASE, LEASE)).isSameAs(ClaimResult.CLAIMED);

        assertThat(store.complete("k", "t1", fingerprint, Outcome.value("late"), NOW + LEASE + 1, TTL)).isFalse();
        assertThat(store.release("k", "t1")).isFalse();
        assertThat(store.renew("k", "t1", NOW + LEASE + 1, LEASE)).isFalse();
        StoredRecord record = recordOf(store.claim("k", "t3", fingerprint, NOW + LEASE + 2, LEASE));
        assertThat(record.ownerToken()).isEqualTo("t2");
        assertThat(store.complete("k", "t2", fingerprint, Outcome.value("new"), NOW + LEASE + 3, TTL)).isTrue();
    }

    @Test
    void claim_justBeforeLeaseEndsIsRefused() {
        store.claim("k", "t1", fingerprint, NOW, LEASE);
        assertThat(recordOf(store.claim("k", "t2", fingerprint, NOW + LEASE - 1, LEASE)).ownerToken())
                .isEqualTo("t1");
    }

    @Test
    void complete_afterLeaseLapsedWithoutTakeoverReturnsFalse() {
        store.claim("k", "t1", fingerprint, NOW, LEASE);
        assertThat(store.complete("k", "t1", fingerprint, Outcome.value("late"), NOW + LEASE, TTL)).isFalse();
    }

    @Test
    void completedRecord_expiresAtTtl() {
        store.claim("k", "t1", fingerprint, NOW, LEASE);
        store.complete("k", "t1", fingerprint, Outcome.value("done"), NOW, TTL);

        assertThat(recordOf(store.claim("k", "t2", fingerprint, NOW + TTL - 1, LEASE)).isInFlight()).isFalse();
        assertThat(store.claim("k", "t2", fingerprint, NOW + TTL, LEASE)).isSameAs(ClaimResult.CLAIMED);
    }

    @Test
    void whenSettled_isAlreadyCompleteWhenNothingIsInFlight() {
        assertThat(store.whenSettled("absent")).isDone();
        store.claim("k", "t1", fingerprint, NOW, LEASE);
        store.complete("k", "t1", fingerprint, Outcome.value("done"), NOW, TTL);
        assertThat(store.whenSettled("k")).isDone();
    }

    @Test
    void whenSettled_completesOnComplete() {
        store.claim("k", "t1", fingerprint, NOW, LEASE);
        CompletableFuture<?> settled = store.whenSettled("k");
        assertThat(settled).isNotDone();

        store.complete("k", "t1", fingerprint, Outcome.value("done"), NOW + 1, TTL);

        assertThat(settled).isDone();
    }

    @Test
    void whenSettled_doesNotCompleteOnAFailedComplete() {
        store.claim("k", "t1", fingerprint, NOW, LEASE);
        CompletableFuture<?> settled = store.whenSettled("k");

        store.complete("k", "stale", fingerprint, Outcome.value("x"), NOW + 1, TTL);
        store.release("k", "stale");

        assertThat(settled).isNotDone();
    }

    @Test
    void whenSettled_completesOnRelease() {
        store.claim("k", "t1", fingerprint, NOW, LEASE);
        CompletableFuture<?> settled = store.whenSettled("k");

        store.release("k", "t1");

        assertThat(settled).isDone();
        assertThat(store.whenSettled("k")).isDone();
    }

    @Test
    void whenSettled_completesOnTakeoverOfLapsedLease() {
        store.claim("k", "t1", fingerprint, NOW, LEASE);
        CompletableFuture<?> settled = store.whenSettled("k");

        store.claim("k", "t2", fingerprint, NOW + LEASE + 1, LEASE);

        assertThat(settled).isDone();
        assertThat(store.whenSettled("k")).as("the new owner's future").isNotDone().isNotSameAs(settled);
    }

    @Test
    void whenSettled_isNotCompletedByRenew() {
        store.claim("k", "t1", fingerprint, NOW, LEASE);
        CompletableFuture<?> settled = store.whenSettled("k");

        assertThat(store.renew("k", "t1", NOW + 10, LEASE)).isTrue();

        assertThat(settled).isNotDone();
        assertThat(store.whenSettled("k")).as("waiters keep the same future").isSameAs(settled);
        store.complete("k", "t1", fingerprint, Outcome.value("done"), NOW + 20, TTL);
        assertThat(settled).isDone();
    }

    @Test
    void whenSettled_isNotCompletedByReplays() {
        store.claim("k", "t1", fingerprint, NOW, LEASE);
        CompletableFuture<?> settled = store.whenSettled("k");

        store.claim("k", "t2", fingerprint, NOW + 1, LEASE);

        assertThat(settled).isNotDone();
    }

    @Test
    void clear_removesRecordsAndWakesWaiters() {
        store.claim("k", "t1", fingerprint, NOW, LEASE);
        CompletableFuture<?> settled = store.whenSettled("k");

        store.clear();

        assertThat(settled).isDone();
        assertThat(store.claim("k", "t2", fingerprint, NOW, LEASE)).isSameAs(ClaimResult.CLAIMED);
    }

    @Test
    void inFlightEntries_areNeverEvictedBySize() {
        CaffeineIdempotencyStore small = CaffeineIdempotencyStore.builder().maximumSize(10).build();
        for (int i = 0; i < 100; i++) {
            assertThat(small.claim("in-flight-" + i, "owner-" + i, fingerprint, NOW, LEASE))
                    .isSameAs(ClaimResult.CLAIMED);
        }
        for (int i = 0; i < 100; i++) {
            small.claim("done-" + i, "t", fingerprint, NOW, LEASE);
            assertThat(small.complete("done-" + i, "t", fingerprint, Outcome.value(i), NOW, TTL)).isTrue();
        }
        settleEviction(small, 10 + 100);

        for (int i = 0; i < 100; i++) {
            StoredRecord record = recordOf(small.claim("in-flight-" + i, "intruder", fingerprint, NOW + 1, LEASE));
            assertThat(record.ownerToken()).isEqualTo("owner-" + i);
            assertThat(small.whenSettled("in-flight-" + i)).isNotDone();
        }
        for (int i = 0; i < 100; i++) {
            assertThat(small.complete("in-flight-" + i, "owner-" + i, fingerprint, Outcome.value(i), NOW + 2, TTL))
                    .as("owner %d still owns its key", i).isTrue();
        }
    }

    @Test
    void completedRecords_areBoundedByMaximumSize() {
        CaffeineIdempotencyStore small = CaffeineIdempotencyStore.builder().maximumSize(10).build();
        for (int i = 0; i < 5; i++) {
            small.claim("in-flight-" + i, "owner", fingerprint, NOW, LEASE);
        }
        for (int i = 0; i < 1_000; i++) {
            small.claim("done-" + i, "t", fingerprint, NOW, LEASE);
            small.complete("done-" + i, "t", fingerprint, Outcome.value(i), NOW, TTL);
        }

        settleEviction(small, 10 + 5);

        assertThat(small.estimatedSize()).isLessThanOrEqualTo(10 + 5);
        // the most recent completion is kept (Caffeine admits new entries as it sees fit; at least one survives)
        long kept = 0;
        for (int i = 0; i < 1_000; i++) {
            ClaimResult result = small.claim("done-" + i, "probe-" + i, fingerprint, NOW, LEASE);
            if (result != ClaimResult.CLAIMED) {
                kept++;
                small.release("done-" + i, "probe-" + i);
            }
        }
        assertThat(kept).isBetween(1L, 10L);
    }

    /** Caffeine evicts in its maintenance cycle: drive it with reads until the size is within bound, boundedly. */
    private static void settleEviction(CaffeineIdempotencyStore store, long bound) {
        for (int round = 0; round < 10_000 && store.estimatedSize() > bound; round++) {
            store.whenSettled("maintenance-" + (round % 16));
            if (round % 100 == 99) {
                Thread.onSpinWait();
            }
        }
    }

    @Test
    void builder_rejectsMaximumSizeBelowOne() {
        assertThatIllegalArgumentException().isThrownBy(() -> CaffeineIdempotencyStore.builder().maximumSize(0))
                .withMessage("maximumSize must be at least 1, got 0");
    }

    @Test
    void store_keepsObjectsAndIsNotShared() {
        assertThat(store.keepsObjects()).isTrue();
        assertThat(store.isShared()).isFalse();
    }

    @Test
    void serviceLoader_findsTheCaffeineProvider() {
        assertThat(ServiceLoader.load(IdempotencyStoreProvider.class).stream().map(ServiceLoader.Provider::type))
                .contains(CaffeineStoreProvider.class);
        IdempotencyStore created = new CaffeineStoreProvider().create();
        assertThat(created).isInstanceOf(CaffeineIdempotencyStore.class);
        assertThat(new CaffeineStoreProvider().name()).isEqualTo("caffeine");
    }

    @Test
    void defaults_useTheCaffeineStoreFoundOnTheClassPath() {
        assertThat(IdempotencyConfig.defaults().defaultStore()).isInstanceOf(CaffeineIdempotencyStore.class);
        assertThat(IdempotencyConfig.builder().discoverDefaultStore(false).build().defaultStore()).isNull();
    }
}
