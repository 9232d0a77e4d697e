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
import dev.idem.tck.IdempotencyStoreContract;
import java.util.ServiceLoader;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

/**
 * The Caffeine store: the whole store contract of the TCK, then what only this store does (size bounds, a replay
 * that allocates nothing, clearing, discovery).
 */
class CaffeineIdempotencyStoreTest extends IdempotencyStoreContract {
    private static final long NOW = 1_000_000L;
    private static final long LEASE = 30_000L;
    private static final long TTL = 3_600_000L;

    private final CaffeineIdempotencyStore store = CaffeineIdempotencyStore.create();
    private final Fingerprint fingerprint = Fingerprint.ofHash("payload-hash");

    @Override
    protected IdempotencyStore createStore() {
        return CaffeineIdempotencyStore.create();
    }

    private static <T> T get(CompletionStage<T> stage) {
        CompletableFuture<T> future = stage.toCompletableFuture();
        assertThat(future).as("the local store answers at once").isDone();
        return future.join();
    }

    private StoredRecord recordOf(ClaimResult result) {
        assertThat(result).isInstanceOf(StoredRecord.class);
        return (StoredRecord) result;
    }

    @Test
    void replay_handsOutTheSameCompletedStage_soItAllocatesNothing() {
        get(store.claim("k", "t1", fingerprint, NOW, LEASE));
        get(store.complete("k", "t1", fingerprint, Outcome.value("done"), NOW, TTL));

        CompletionStage<ClaimResult> first = store.claim("k", "t2", fingerprint, NOW + 1, LEASE);
        CompletionStage<ClaimResult> second = store.claim("k", "t3", fingerprint, NOW + 2, LEASE);

        assertThat(second).isSameAs(first);
        assertThat(recordOf(get(first)).outcome().value()).isEqualTo("done");
    }

    @Test
    void clear_removesRecordsAndWakesWaiters() {
        get(store.claim("k", "t1", fingerprint, NOW, LEASE));
        CompletableFuture<?> settled = store.whenSettled("k").toCompletableFuture();

        store.clear();

        assertThat(settled).isDone();
        assertThat(get(store.claim("k", "t2", fingerprint, NOW, LEASE))).isSameAs(ClaimResult.CLAIMED);
    }

    @Test
    void inFlightEntries_areNeverEvictedBySize() {
        CaffeineIdempotencyStore small = CaffeineIdempotencyStore.builder().maximumSize(10).build();
        for (int i = 0; i < 100; i++) {
            assertThat(get(small.claim("in-flight-" + i, "owner-" + i, fingerprint, NOW, LEASE)))
                    .isSameAs(ClaimResult.CLAIMED);
        }
        for (int i = 0; i < 100; i++) {
            get(small.claim("done-" + i, "t", fingerprint, NOW, LEASE));
            assertThat(get(small.complete("done-" + i, "t", fingerprint, Outcome.value(i), NOW, TTL))).isTrue();
        }
        settleEviction(small, 10 + 100);

        for (int i = 0; i < 100; i++) {
            StoredRecord record = recordOf(get(small.claim("in-flight-" + i, "intruder", fingerprint, NOW + 1, LEASE)));
            assertThat(record.ownerToken()).isEqualTo("owner-" + i);
            assertThat(small.whenSettled("in-flight-" + i).toCompletableFuture()).isNotDone();
        }
        for (int i = 0; i < 100; i++) {
            assertThat(get(small.complete("in-flight-" + i, "owner-" + i, fingerprint, Outcome.value(i), NOW + 2, TTL)))
                    .as("owner %d still owns its key", i).isTrue();
        }
    }

    @Test
    void completedRecords_areBoundedByMaximumSize() {
        CaffeineIdempotencyStore small = CaffeineIdempotencyStore.builder().maximumSize(10).build();
        for (int i = 0; i < 5; i++) {
            get(small.claim("in-flight-" + i, "owner", fingerprint, NOW, LEASE));
        }
        for (int i = 0; i < 1_000; i++) {
            get(small.claim("done-" + i, "t", fingerprint, NOW, LEASE));
            get(small.complete("done-" + i, "t", fingerprint, Outcome.value(i), NOW, TTL));
        }

        settleEviction(small, 10 + 5);

        assertThat(small.estimatedSize()).isLessThanOrEqualTo(10 + 5);
        // the most recent completion is kept (Caffeine admits new entries as it sees fit; at least one survives)
        long kept = 0;
        for (int i = 0; i < 1_000; i++) {
            ClaimResult result = get(small.claim("done-" + i, "probe-" + i, fingerprint, NOW, LEASE));
            if (result != ClaimResult.CLAIMED) {
                kept++;
                get(small.release("done-" + i, "probe-" + i, NOW));
            }
        }
        assertThat(kept).isBetween(1L, 10L);
    }

    /** Caffeine evicts in its maintenance cycle: drive it with reads until the size is within bound, boundedly. */
    private static void settleEviction(CaffeineIdempotencyStore store, long bound) {
        for (int round = 0; round < 10_000 && store.estimatedSize() > bound; round++) {
            store.cleanUp();
            store.whenSettled("maintenance-" + (round % 16));
            if (round % 100 == 99) {
                Thread.onSpinWait();
            }
        }
    }

    @Test
    void expiredRecords_areReclaimed_andNoRecordIsHiddenBeforeItsExpiry() throws Exception {
        // Caffeine's ticker only moves on writes (LaggingTicker): a record that expired is reclaimed by the
        // maintenance of a later write, and a live one is never reclaimed or hidden early, however the ticker lags.
        CaffeineIdempotencyStore store = CaffeineIdempotencyStore.create();
        long now = System.currentTimeMillis();
        for (int i = 0; i < 100; i++) {
            get(store.claim("short-" + i, "t", fingerprint, now, LEASE));
            get(store.complete("short-" + i, "t", fingerprint, Outcome.value(i), now, 50));
        }
        get(store.claim("long", "t", fingerprint, now, LEASE));
        get(store.complete("long", "t", fingerprint, Outcome.value("kept"), now, TTL));
        // The short records' 50 ms pass, with no write to move the ticker meanwhile: park until that instant.
        long expired = System.nanoTime() + java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(60);
        for (long left = expired - System.nanoTime(); left > 0; left = expired - System.nanoTime()) {
            java.util.concurrent.locks.LockSupport.parkNanos(left);
        }

        // Caffeine's timer wheel reclaims at a granularity of about a second: bounded by 10 s, a write every 20 ms.
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        for (int round = 0; store.estimatedSize() > 1 && System.nanoTime() - deadline < 0; round++) {
            get(store.claim("writer", "t" + round, fingerprint, System.currentTimeMillis(), LEASE)); // a write
            get(store.release("writer", "t" + round, System.currentTimeMillis()));
            Thread.sleep(20); // pacing of a bounded poll: each round is a write that may let Caffeine reclaim
        }

        assertThat(store.estimatedSize()).as("only the long-lived record is left").isEqualTo(1);
        StoredRecord kept = (StoredRecord) get(store.claim("long", "other", fingerprint, System.currentTimeMillis(),
                LEASE));
        assertThat(kept.outcome().value()).isEqualTo("kept");
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
