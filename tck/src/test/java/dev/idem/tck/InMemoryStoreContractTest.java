package dev.idem.tck;

import static org.assertj.core.api.Assertions.assertThat;

import dev.idem.core.spi.ClaimResult;
import dev.idem.core.spi.Fingerprint;
import dev.idem.core.spi.IdempotencyStore;
import dev.idem.testing.InMemoryIdempotencyStore;
import org.junit.jupiter.api.Test;

/** The test-support store passes the whole store contract, and clears as it says. */
class InMemoryStoreContractTest extends IdempotencyStoreContract {

    @Override
    protected IdempotencyStore createStore() {
        return InMemoryIdempotencyStore.create();
    }

    @Test
    void clear_forgetsEveryRecordAndWakesWaiters() {
        InMemoryIdempotencyStore store = InMemoryIdempotencyStore.create();
        assertThat(store.claim("k", "t1", Fingerprint.NONE, 0, 1_000).toCompletableFuture().join())
                .isSameAs(ClaimResult.CLAIMED);
        var settled = store.whenSettled("k").toCompletableFuture();
        assertThat(store.size()).isEqualTo(1);
        assertThat(settled).isNotDone();

        store.clear();

        assertThat(store.size()).isZero();
        assertThat(settled).isDone();
        assertThat(store.claim("k", "t2", Fingerprint.NONE, 0, 1_000).toCompletableFuture().join())
                .as("the key is free again").isSameAs(ClaimResult.CLAIMED);
    }

    @Test
    void aClockAtTheEndOfTime_doesNotWrapExpiriesIntoThePast() {
        InMemoryIdempotencyStore store = InMemoryIdempotencyStore.create();
        long now = Long.MAX_VALUE - 10;
        store.claim("k", "t1", Fingerprint.NONE, now, 1_000).toCompletableFuture().join();
        assertThat(store.claim("k", "t2", Fingerprint.NONE, now, 1_000).toCompletableFuture().join())
                .as("still held by t1").isNotSameAs(ClaimResult.CLAIMED);
    }
}
