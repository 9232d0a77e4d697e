package dev.idem.store.caffeine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.idem.core.IdempotencyConfig;
import dev.idem.core.spi.ClaimResult;
import dev.idem.core.spi.Fingerprint;
import dev.idem.core.spi.IdempotencyStore;
import dev.idem.core.spi.Outcome;
import dev.idem.core.spi.StoredRecord;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The near-cache's own rules, in front of a scripted shared store (the Redis store's tests run it against a real
 * {@code redis-server}, the store contract included): the builder's checks, what is kept and for how long, what
 * drops a copy, and that the longest durations neither overflow nor extend a copy.
 */
class NearCachedStoreTest {
    private static final long NOW = 1_700_000_000_000L;
    private static final long LEASE = 30_000;
    private static final long TTL = 3_600_000;
    private static final long MAX_MILLIS = IdempotencyConfig.MAX_DURATION.toMillis();
    private static final Fingerprint FINGERPRINT = Fingerprint.ofHash("payload");
    private static final Outcome OUTCOME = Outcome.encodedValue(new byte[] {'4', '2'});

    private final ScriptedSharedStore remote = new ScriptedSharedStore();

    private static <T> T get(CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private ClaimResult claim(IdempotencyStore store, String key) throws Exception {
        return get(store.claim(key, "t-" + remote.claims.get(), FINGERPRINT, NOW, LEASE));
    }

    // --- the builder ------------------------------------------------------------------------------------------------

    @Test
    void builder_refusesNull_andAStoreThatIsNotShared() {
        assertThatNullPointerException().isThrownBy(() -> NearCachedStore.wrap(null)).withMessage("store");
        assertThatIllegalArgumentException().isThrownBy(() -> NearCachedStore.wrap(CaffeineIdempotencyStore.create()))
                .withMessageContaining("shared store");
    }

    @Test
    void builder_refusesASizeBelowOne() {
        NearCachedStore.Builder builder = NearCachedStore.builder(remote);
        for (long size : new long[] {0, -1, Long.MIN_VALUE}) {
            assertThatIllegalArgumentException().isThrownBy(() -> builder.maximumSize(size))
                    .withMessage("maximumSize must be at least 1, got " + size);
        }
        assertThat(builder.maximumSize(1).build()).isNotNull();
        assertThat(builder.maximumSize(Long.MAX_VALUE).build()).isNotNull();
    }

    @Test
    void builder_refusesANullZeroNegativeOrSubMillisecondMaximumLocalTtl() {
        NearCachedStore.Builder builder = NearCachedStore.builder(remote);
        assertThatNullPointerException().isThrownBy(() -> builder.maximumLocalTtl(null))
                .withMessage("maximumLocalTtl");
        for (Duration bad : new Duration[] {Duration.ZERO, Duration.ofMillis(-1), Duration.ofNanos(999_999),
                Duration.ofSeconds(Long.MIN_VALUE)}) {
            assertThatIllegalArgumentException().isThrownBy(() -> builder.maximumLocalTtl(bad))
                    .withMessageStartingWith("maximumLocalTtl must be at least 1ms, got ");
        }
    }

    @Test
    void builder_acceptsTheLongestMaximumLocalTtl_asTheLongestRecord() {
        for (Duration longest : new Duration[] {IdempotencyConfig.MAX_DURATION, ChronoUnit.FOREVER.getDuration(),
                Duration.ofMillis(Long.MAX_VALUE), Duration.ofSeconds(Long.MAX_VALUE, 999_999_999)}) {
            assertThat(NearCachedStore.builder(remote).maximumLocalTtl(longest).build().toString())
                    .contains("maximumLocalTtl " + MAX_MILLIS + " ms");
        }
        assertThat(NearCachedStore.wrap(remote).toString()).contains("maximumSize 10000")
                .contains("maximumLocalTtl " + MAX_MILLIS + " ms");
    }

    // --- what is kept -----------------------------------------------------------------------------------------------

    @Test
    void claim_ofACompletedRecordWithItsTtl_keepsIt_andTheNextClaimsDoNotAskTheStore() throws Exception {
        NearCachedStore store = NearCachedStore.wrap(remote);
        remote.claimAnswer = StoredRecord.completed(FINGERPRINT, OUTCOME, TTL);

        assertThat(claim(store, "k")).isSameAs(remote.claimAnswer);
        CompletionStage<ClaimResult> hit = store.claim("k", "t2", FINGERPRINT, NOW, LEASE);
        CompletionStage<ClaimResult> again = store.claim("k", "t3", Fingerprint.ofHash("other"), NOW, LEASE);

        assertThat(remote.claims).hasValue(1);
        assertThat(again).as("a hit hands out one completed stage: it allocates nothing").isSameAs(hit);
        StoredRecord local = (StoredRecord) get(hit);
        assertThat(local.state()).isEqualTo(StoredRecord.State.COMPLETED);
        assertThat(local.outcome()).isSameAs(OUTCOME);
        assertThat(local.fingerprint()).as("the engine checks it on the hit").isSameAs(FINGERPRINT);
        assertThat(local.ttlRemainingMillis()).as("the reading is stale on a hit").isEqualTo(-1);
        assertThat(claim(store, "other-key")).isSameAs(remote.claimAnswer);
        assertThat(remote.claims).hasValue(2);
    }

    @Test
    void claim_ofACompletedRecordWithoutItsTtl_keepsNothing() throws Exception {
        NearCachedStore store = NearCachedStore.wrap(remote);
        remote.claimAnswer = StoredRecord.completed(FINGERPRINT, OUTCOME);

        claim(store, "k");
        claim(store, "k");

        assertThat(remote.claims).hasValue(2);
    }

    @Test
    void claim_thatClaims_orFindsARecordInFlight_keepsNothing() throws Exception {
        NearCachedStore store = NearCachedStore.wrap(remote);
        remote.claimAnswer = StoredRecord.inFlight("owner", FINGERPRINT, LEASE);
        claim(store, "k");
        claim(store, "k");
        remote.claimAnswer = ClaimResult.CLAIMED;
        claim(store, "k");
        claim(store, "k");

        assertThat(remote.claims).hasValue(4);
    }

    @Test
    void complete_thatTheStoreAccepted_keepsTheRecord() throws Exception {
        NearCachedStore store = NearCachedStore.wrap(remote);
        remote.claimAnswer = ClaimResult.CLAIMED;
        get(store.claim("k", "t1", FINGERPRINT, NOW, LEASE));

        assertThat(get(store.complete("k", "t1", FINGERPRINT, OUTCOME, NOW, TTL))).isTrue();
        StoredRecord local = (StoredRecord) claim(store, "k");

        assertThat(remote.claims).hasValue(1);
        assertThat(local.outcome()).isSameAs(OUTCOME);
        assertThat(local.fingerprint()).isSameAs(FINGERPRINT);
    }

    @Test
    void complete_thatTheStoreRefused_orThatFailed_keepsNothing() throws Exception {
        NearCachedStore store = NearCachedStore.wrap(remote);
        remote.claimAnswer = ClaimResult.CLAIMED;
        remote.completeAnswer = CompletableFuture.completedFuture(false); // the lease was lost

        assertThat(get(store.complete("k", "t1", FINGERPRINT, OUTCOME, NOW, TTL))).isFalse();
        claim(store, "k");
        assertThat(remote.claims).hasValue(1);

        IllegalStateException failure = new IllegalStateException("connection reset");
        remote.completeAnswer = CompletableFuture.failedFuture(failure);
        assertThatThrownBy(() -> get(store.complete("k", "t1", FINGERPRINT, OUTCOME, NOW, TTL)))
                .isInstanceOf(ExecutionException.class).cause().isSameAs(failure);
        claim(store, "k");
        assertThat(remote.claims).hasValue(2);
    }

    @Test
    void complete_repeatedByTheOwner_keepsTheFirstOutcome_asTheStoreDoes() throws Exception {
        NearCachedStore store = NearCachedStore.wrap(remote);
        get(store.claim("k", "t1", FINGERPRINT, NOW, LEASE));
        Outcome second = Outcome.encodedValue(new byte[] {'2'});

        assertThat(get(store.complete("k", "t1", FINGERPRINT, OUTCOME, NOW, TTL))).isTrue();
        assertThat(get(store.complete("k", "t1", FINGERPRINT, second, NOW, TTL))).isTrue();

        assertThat(((StoredRecord) claim(store, "k")).outcome()).isSameAs(OUTCOME);
        assertThat(remote.claims).hasValue(1);
    }

    @Test
    void complete_ofAClaimThisStoreDidNotSee_orWhoseFirstAttemptFailed_keepsNothing() throws Exception {
        NearCachedStore store = NearCachedStore.wrap(remote);
        assertThat(get(store.complete("unseen", "t1", FINGERPRINT, OUTCOME, NOW, TTL))).isTrue();
        get(store.claim("k", "t1", FINGERPRINT, NOW, LEASE));
        remote.completeAnswer = CompletableFuture.failedFuture(new IllegalStateException("timed out"));
        assertThatThrownBy(() -> get(store.complete("k", "t1", FINGERPRINT, OUTCOME, NOW, TTL)))
                .isInstanceOf(ExecutionException.class);
        remote.completeAnswer = CompletableFuture.completedFuture(true); // the first attempt was applied after all
        Outcome retried = Outcome.encodedValue(new byte[] {'2'});
        assertThat(get(store.complete("k", "t1", FINGERPRINT, retried, NOW, TTL))).isTrue();
        remote.claimAnswer = StoredRecord.completed(FINGERPRINT, OUTCOME, TTL);

        assertThat(((StoredRecord) claim(store, "unseen")).outcome()).isSameAs(OUTCOME);
        assertThat(((StoredRecord) claim(store, "k")).outcome()).as("read from the store").isSameAs(OUTCOME);
        assertThat(remote.claims).hasValue(3);
        claim(store, "k");
        assertThat(remote.claims).as("kept once read").hasValue(3);
    }

    @Test
    void complete_byAnotherTokenThanTheClaimsOwner_keepsNothing() throws Exception {
        NearCachedStore store = NearCachedStore.wrap(remote);
        get(store.claim("k", "t1", FINGERPRINT, NOW, LEASE));
        get(store.claim("k", "t2", FINGERPRINT, NOW, LEASE)); // the store let t2 claim: t1's lease lapsed

        assertThat(get(store.complete("k", "t1", FINGERPRINT, OUTCOME, NOW, TTL))).isTrue();
        claim(store, "k");

        assertThat(remote.claims).hasValue(3);
    }

    @Test
    void aClaimMarker_followsTheLease_soALongRunningCallStillKeepsItsOutcome() throws Exception {
        NearCachedStore store = NearCachedStore.wrap(remote);
        get(store.claim("k", "t1", FINGERPRINT, NOW, 200));
        long claimed = System.nanoTime();
        assertThat(get(store.renew("k", "t1", NOW, LEASE))).isTrue();
        while (System.nanoTime() - claimed < TimeUnit.MILLISECONDS.toNanos(250)) {
            Thread.sleep(10); // the first lease's 200 ms pass; the renewed lease holds
        }

        assertThat(get(store.complete("k", "t1", FINGERPRINT, OUTCOME, NOW, TTL))).isTrue();
        claim(store, "k");

        assertThat(remote.claims).hasValue(1);
    }

    @Test
    void failures_ofTheStore_comeBackUnchanged_synchronousOrInTheStage() {
        NearCachedStore store = NearCachedStore.wrap(remote);
        IllegalStateException failure = new IllegalStateException("timed out");
        remote.claimFailure = CompletableFuture.failedFuture(failure);
        CompletableFuture<ClaimResult> stage = store.claim("k", "t1", FINGERPRINT, NOW, LEASE).toCompletableFuture();
        Throwable[] seen = new Throwable[1];
        stage.whenComplete((value, error) -> seen[0] = error);
        assertThat(seen[0]).as("not wrapped once more").isSameAs(failure);

        IllegalArgumentException refused = new IllegalArgumentException("a key with braces");
        remote.claimThrows = refused;
        assertThatThrownBy(() -> store.claim("k", "t1", FINGERPRINT, NOW, LEASE)).isSameAs(refused);
    }

    // --- what drops a copy ------------------------------------------------------------------------------------------

    @Test
    void release_dropsTheKeysCopy() throws Exception {
        NearCachedStore store = NearCachedStore.wrap(remote);
        remote.claimAnswer = StoredRecord.completed(FINGERPRINT, OUTCOME, TTL);
        claim(store, "k");
        claim(store, "k");
        assertThat(remote.claims).hasValue(1);

        get(store.release("k", "t1", NOW));
        claim(store, "k");

        assertThat(remote.claims).hasValue(2);
    }

    @Test
    void claim_thatReachesTheStore_andFindsTheKeyClaimed_dropsTheKeysCopy() throws Exception {
        NearCachedStore store = NearCachedStore.wrap(remote);
        remote.claimAnswer = StoredRecord.completed(FINGERPRINT, OUTCOME, TTL);
        claim(store, "k");
        remote.claimAnswer = ClaimResult.CLAIMED;

        // A lease out of range always reaches the store; this one answers it (Redis would refuse it).
        assertThat(get(store.claim("k", "t1", FINGERPRINT, NOW, 0))).isSameAs(ClaimResult.CLAIMED);

        assertThat(claim(store, "k")).isSameAs(ClaimResult.CLAIMED);
        assertThat(remote.claims).hasValue(3);
    }

    @Test
    void aLeaseOutOfRange_goesToTheStore_evenOnAHit_whichRefusesItAsWithoutANearCache() throws Exception {
        NearCachedStore store = NearCachedStore.wrap(remote);
        remote.claimAnswer = StoredRecord.completed(FINGERPRINT, OUTCOME, TTL);
        claim(store, "k");
        for (long lease : new long[] {0, -1, MAX_MILLIS + 1, Long.MAX_VALUE, Long.MIN_VALUE}) {
            store.claim("k", "t1", FINGERPRINT, NOW, lease);
        }

        assertThat(remote.claims).hasValue(6);
    }

    // --- for how long -----------------------------------------------------------------------------------------------

    @Test
    void aCopy_livesNoLongerThanTheTtlTheStoreReported() throws Exception {
        NearCachedStore store = NearCachedStore.wrap(remote);
        remote.claimAnswer = StoredRecord.completed(FINGERPRINT, OUTCOME, 200);
        long before = System.nanoTime();
        claim(store, "k");

        awaitRemoteClaims(store, "k", 2);

        assertThat(System.nanoTime() - before).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(200));
    }

    @Test
    void aCopy_livesNoLongerThanMaximumLocalTtl_whateverTheRecordsTtl() throws Exception {
        NearCachedStore store = NearCachedStore.builder(remote).maximumLocalTtl(Duration.ofMillis(200)).build();
        remote.claimAnswer = StoredRecord.completed(FINGERPRINT, OUTCOME, Long.MAX_VALUE);
        long before = System.nanoTime();
        claim(store, "k");
        claim(store, "k");
        assertThat(remote.claims).hasValue(1);

        awaitRemoteClaims(store, "k", 2);

        assertThat(System.nanoTime() - before).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(200));
    }

    @Test
    void theLongestTtls_neitherOverflowNorExpireACopyAtOnce() throws Exception {
        NearCachedStore store = NearCachedStore.builder(remote).maximumLocalTtl(ChronoUnit.FOREVER.getDuration())
                .build();
        remote.claimAnswer = StoredRecord.completed(FINGERPRINT, OUTCOME, Long.MAX_VALUE);
        claim(store, "read");
        claim(store, "read");
        remote.claimAnswer = ClaimResult.CLAIMED;
        for (long ttl : new long[] {MAX_MILLIS, Long.MAX_VALUE}) {
            String key = "written-" + ttl;
            get(store.claim(key, "t1", FINGERPRINT, NOW, MAX_MILLIS));
            get(store.complete(key, "t1", FINGERPRINT, OUTCOME, NOW, ttl));
            assertThat(claim(store, key)).isInstanceOf(StoredRecord.class);
        }

        assertThat(remote.claims).hasValue(3);
    }

    @Test
    void aTtlOfZero_keepsNothing() throws Exception {
        NearCachedStore store = NearCachedStore.wrap(remote);
        remote.claimAnswer = StoredRecord.completed(FINGERPRINT, OUTCOME, 0);
        claim(store, "k");
        claim(store, "k");

        assertThat(remote.claims).hasValue(2);
    }

    // --- everything else --------------------------------------------------------------------------------------------

    @Test
    void renewWhenSettledAndTheStoresNature_areTheStores() throws Exception {
        NearCachedStore store = NearCachedStore.wrap(remote);

        assertThat(get(store.renew("k", "t1", NOW, LEASE))).isTrue();
        assertThat(remote.renewals).hasValue(1);
        assertThat(store.whenSettled("k")).isSameAs(remote.settled);
        assertThat(store.isShared()).isTrue();
        assertThat(store.keepsObjects()).isFalse();
        assertThat(store.delegate()).isSameAs(remote);
    }

    @Test
    void close_closesTheStore_andInvalidateAll_dropsEveryCopy() throws Exception {
        NearCachedStore store = NearCachedStore.wrap(remote);
        remote.claimAnswer = StoredRecord.completed(FINGERPRINT, OUTCOME, TTL);
        claim(store, "k");
        store.invalidateAll();
        claim(store, "k");
        assertThat(remote.claims).hasValue(2);

        store.close();

        assertThat(remote.closed).isTrue();
    }

    /** Claims until the store behind has seen {@code claims} claims: the local copy died. Bounded, not a sleep. */
    private void awaitRemoteClaims(IdempotencyStore store, String key, int claims) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (remote.claims.get() < claims) {
            assertThat(System.nanoTime() - deadline).as("the copy of " + key + " died within 10 s").isNegative();
            claim(store, key);
            Thread.sleep(5);
        }
    }

    /** A shared store whose answers the test sets, counting the calls that reach it. */
    private static final class ScriptedSharedStore implements IdempotencyStore, AutoCloseable {
        final AtomicInteger claims = new AtomicInteger();
        final AtomicInteger renewals = new AtomicInteger();
        final CompletableFuture<Void> settled = new CompletableFuture<>();
        volatile ClaimResult claimAnswer = ClaimResult.CLAIMED;
        volatile CompletableFuture<ClaimResult> claimFailure;
        volatile RuntimeException claimThrows;
        volatile CompletableFuture<Boolean> completeAnswer = CompletableFuture.completedFuture(true);
        volatile boolean closed;

        @Override
        public CompletionStage<ClaimResult> claim(String key, String token, Fingerprint fingerprint, long nowMillis,
                long leaseMillis) {
            claims.incrementAndGet();
            if (claimThrows != null) {
                throw claimThrows;
            }
            return claimFailure != null ? claimFailure : CompletableFuture.completedFuture(claimAnswer);
        }

        @Override
        public CompletionStage<Boolean> complete(String key, String token, Fingerprint fingerprint, Outcome outcome,
                long nowMillis, long ttlMillis) {
            return completeAnswer;
        }

        @Override
        public CompletionStage<Boolean> release(String key, String token, long nowMillis) {
            return CompletableFuture.completedFuture(true);
        }

        @Override
        public CompletionStage<Boolean> renew(String key, String token, long nowMillis, long leaseMillis) {
            renewals.incrementAndGet();
            return CompletableFuture.completedFuture(true);
        }

        @Override
        public CompletionStage<?> whenSettled(String key) {
            return settled;
        }

        @Override
        public boolean keepsObjects() {
            return false;
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
