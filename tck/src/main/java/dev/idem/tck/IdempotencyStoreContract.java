package dev.idem.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.syntax.ArchRuleDefinition;

import dev.idem.core.IdempotencyConfig;
import dev.idem.core.spi.ClaimResult;
import dev.idem.core.spi.Fingerprint;
import dev.idem.core.spi.IdempotencyStore;
import dev.idem.core.spi.Outcome;
import dev.idem.core.spi.StoreKey;
import dev.idem.core.spi.StoreKeys;
import dev.idem.core.spi.StoredRecord;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The store contract: every operation of {@link IdempotencyStore} in every state of a record, repeated and
 * concurrent, exactly as its Javadoc states it. A store's test class extends this and returns a fresh, empty store
 * from {@link #createStore()}; a third-party store can run it the same way.
 *
 * <p>Time: a store that only this process uses is driven by the {@code nowMillis} the suite passes (moved, never
 * slept); a shared store judges expiry by its own clock, and the suite then waits, with a bound, for a short lease or
 * ttl to pass. Every wait is for a condition, bounded by {@link #WAIT_BOUND_SECONDS}.
 */
public abstract class IdempotencyStoreContract {
    /** The bound of every wait in this suite, in seconds. */
    protected static final long WAIT_BOUND_SECONDS = 20;
    private static final long LONG_LEASE = 60_000;
    private static final long SHORT_LEASE = 1_500;
    private static final long TTL = 3_600_000;

    private IdempotencyStore store;
    private long now;
    private final AtomicInteger probes = new AtomicInteger();
    private ExecutorService threads;

    /**
     * A fresh, empty store for one test.
     *
     * @return the store under test
     * @throws Exception if it cannot be created
     */
    protected abstract IdempotencyStore createStore() throws Exception;

    /**
     * Releases what {@link #createStore()} made; called after each test.
     *
     * @param store the store
     * @throws Exception if it cannot be closed
     */
    protected void closeStore(IdempotencyStore store) throws Exception {
    }

    /**
     * Whether the store judges expiry by the {@code nowMillis} it is given. Default: what the store says
     * ({@link IdempotencyStore#usesEngineClock()}); a shared store must use its own clock.
     *
     * @return true if the suite's "now" drives expiry
     */
    protected boolean usesTheEngineClock() {
        return store.usesEngineClock();
    }

    /**
     * The store's own class, whose package the contract checks to use the SPI only. Default: the class of
     * the store {@link #createStore()} returned; a test that wraps the store (to bind a transaction around each
     * operation, say) returns the wrapped store's class.
     *
     * @return the store's class
     */
    protected Class<?> storeClass() {
        return store.getClass();
    }

    @BeforeEach
    void open() throws Exception {
        store = createStore();
        now = 1_700_000_000_000L;
        threads = Executors.newCachedThreadPool();
    }

    @AfterEach
    void close() throws Exception {
        threads.shutdownNow();
        closeStore(store);
    }

    // --- the store's own classes ------------------------------------------------------------------------------------

    @Test
    void theStoreUsesTheSpiOnly_neverTheEngine() {
        JavaClasses classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(storeClass().getPackageName());
        ArchRuleDefinition.noClasses()
                .should().dependOnClassesThat().resideInAnyPackage("dev.idem.core.internal..",
                        "dev.idem.core.weaving..")
                .because("a store implements the SPI (dev.idem.core.spi); the engine behind it may change")
                .check(classes);
    }

    // --- helpers ----------------------------------------------------------------------------------------------------

    private static <T> T get(CompletionStage<T> stage) throws Exception {
        try {
            return stage.toCompletableFuture().get(WAIT_BOUND_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    /** A fingerprint as a store receives it: the engine's (frozen) fingerprint has a hash, which is all it needs. */
    private static Fingerprint fingerprint(String payload) {
        return Fingerprint.ofHash("test-" + payload);
    }

    private ClaimResult claim(String key, String token, long lease) throws Exception {
        return get(store.claim(key, token, fingerprint("payload"), now, lease));
    }

    private boolean complete(String key, String token, Outcome outcome) throws Exception {
        return get(store.complete(key, token, fingerprint("payload"), outcome, now, TTL));
    }

    private boolean release(String key, String token) throws Exception {
        return get(store.release(key, token, now));
    }

    private boolean renew(String key, String token, long lease) throws Exception {
        return get(store.renew(key, token, now, lease));
    }

    private static StoredRecord record(ClaimResult result) {
        assertThat(result).isInstanceOf(StoredRecord.class);
        return (StoredRecord) result;
    }

    /** What another caller sees: the live record, or null if the key is free (the probe's claim is undone). */
    private StoredRecord seen(String key) throws Exception {
        String probe = "probe-" + probes.incrementAndGet();
        ClaimResult result = claim(key, probe, LONG_LEASE);
        if (result == ClaimResult.CLAIMED) {
            assertThat(release(key, probe)).isTrue();
            return null;
        }
        return (StoredRecord) result;
    }

    private Outcome value(String text) {
        return store.keepsObjects() ? Outcome.value(text)
                : Outcome.encodedValue(("\"" + text + "\"").getBytes(StandardCharsets.UTF_8));
    }

    private static String text(Outcome outcome) {
        return outcome.kind() == Outcome.Kind.VALUE ? (String) outcome.value()
                : new String(outcome.bytes(), StandardCharsets.UTF_8).replace("\"", "");
    }

    /** Lets a record's lease or ttl of {@code millis} pass: moves "now", or waits for the store's clock. */
    private void lapse(String key, long millis) throws Exception {
        if (usesTheEngineClock()) {
            now += millis;
            assertThat(seen(key)).as("gone once its time passed").isNull();
            return;
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_BOUND_SECONDS);
        while (seen(key) != null) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(key + " did not expire within " + WAIT_BOUND_SECONDS + " s");
            }
            Thread.sleep(20);
        }
    }

    private static void assertRejected(Callable<? extends CompletionStage<?>> call) {
        assertThatThrownBy(() -> get(call.call())).isInstanceOf(IllegalArgumentException.class);
    }

    private static String key(String name) {
        return StoreKeys.of("contract:", "ns", name);
    }

    // --- claim ------------------------------------------------------------------------------------------------------

    @Test
    void claim_ofAFreeKey_claimsIt() throws Exception {
        assertThat(claim(key("k"), "t1", LONG_LEASE)).isSameAs(ClaimResult.CLAIMED);
    }

    @Test
    void claim_ofAKeyInFlight_answersTheRecord_withItsOwnerFingerprintAndRemainingLease() throws Exception {
        claim(key("k"), "t1", LONG_LEASE);

        StoredRecord record = record(get(store.claim(key("k"), "t2", fingerprint("other"), now, LONG_LEASE)));

        assertThat(record.isInFlight()).isTrue();
        assertThat(record.ownerToken()).isEqualTo("t1");
        assertThat(record.fingerprint().hash()).isEqualTo(fingerprint("payload").hash());
        assertThat(record.leaseRemainingMillis()).isPositive().isLessThanOrEqualTo(LONG_LEASE);
    }

    @Test
    void claim_retriedByTheOwner_claimsAgain() throws Exception {
        claim(key("k"), "t1", LONG_LEASE);

        assertThat(claim(key("k"), "t1", LONG_LEASE)).isSameAs(ClaimResult.CLAIMED);
        assertThat(record(claim(key("k"), "t2", LONG_LEASE)).ownerToken()).isEqualTo("t1");
    }

    @Test
    void claim_ofACompletedKey_answersItsOutcome_evenToTheFormerOwner() throws Exception {
        claim(key("k"), "t1", LONG_LEASE);
        complete(key("k"), "t1", value("done"));

        for (String token : List.of("t2", "t1")) {
            StoredRecord record = record(claim(key("k"), token, LONG_LEASE));
            assertThat(record.isInFlight()).isFalse();
            assertThat(record.ownerToken()).isNull();
            assertThat(text(record.outcome())).isEqualTo("done");
            assertThat(record.fingerprint().hash()).isEqualTo(fingerprint("payload").hash());
        }
    }

    @Test
    void claim_afterTheLeaseLapsed_claimsForTheNewCaller() throws Exception {
        claim(key("k"), "t1", SHORT_LEASE);

        lapse(key("k"), SHORT_LEASE);

        assertThat(claim(key("k"), "t2", LONG_LEASE)).isSameAs(ClaimResult.CLAIMED);
        assertThat(record(claim(key("k"), "t3", LONG_LEASE)).ownerToken()).isEqualTo("t2");
    }

    @Test
    void keys_thatDifferOnlyInBracesColonsAndEscapes_areSeparateRecords() throws Exception {
        List<String> keys = List.of(StoreKeys.of("{p}:", "n", "k"), StoreKeys.of("{p}", ":n", "k"),
                StoreKeys.of("", "{p}::n", "k"), StoreKeys.of("p", "n", "{k}"), StoreKeys.of("p", "n", "%7Bk%7D"),
                StoreKeys.of("p", "n", "k:{x}:é✓"), StoreKeys.of("p:n", "", "k"));
        assertThat(new HashSet<>(keys)).hasSameSizeAs(keys);

        for (int i = 0; i < keys.size(); i++) {
            assertThat(claim(keys.get(i), "t" + i, LONG_LEASE)).as(keys.get(i)).isSameAs(ClaimResult.CLAIMED);
        }
        for (int i = 0; i < keys.size(); i++) {
            assertThat(record(claim(keys.get(i), "other", LONG_LEASE)).ownerToken()).isEqualTo("t" + i);
        }
    }

    @Test
    void aKey_inItsPartsAndAsText_reachesTheSameRecord_inEveryOperation() throws Exception {
        for (String name : List.of("k", "{k}:1", "%7Bk%7D", "a%25b")) {
            StoreKey parts = StoreKey.of("{p}:", "n:s", name);
            String text = parts.toString();

            assertThat(get(store.claim(parts, "t1", fingerprint("payload"), now, LONG_LEASE))).as(name)
                    .isSameAs(ClaimResult.CLAIMED);
            assertThat(record(claim(text, "t2", LONG_LEASE)).ownerToken()).as(name).isEqualTo("t1");
            assertThat(renew(text, "t1", LONG_LEASE)).as(name).isTrue();
            assertThat(get(store.renew(parts, "t1", now, LONG_LEASE))).as(name).isTrue();
            CompletableFuture<?> settled = store.whenSettled(text).toCompletableFuture();
            assertThat(get(store.complete(parts, "t1", fingerprint("payload"), value("done"), now, TTL))).as(name)
                    .isTrue();
            settled.get(WAIT_BOUND_SECONDS, TimeUnit.SECONDS);
            assertThat(text(seen(text).outcome())).as(name).isEqualTo("done");
            get(store.whenSettled(parts)); // nothing in flight: complete at once

            StoreKey other = StoreKey.of("{p}:", "n:s", name + ":released");
            assertThat(claim(other.toString(), "t3", LONG_LEASE)).as(name).isSameAs(ClaimResult.CLAIMED);
            assertThat(get(store.release(StoreKey.parse(other.toString()), "t3", now))).as(name).isTrue();
            assertThat(get(store.claim(other, "t4", fingerprint("payload"), now, LONG_LEASE))).as(name)
                    .isSameAs(ClaimResult.CLAIMED);
        }
    }

    @Test
    void aSharedStore_saysItDoesNotUseTheEngineClock() {
        if (store.isShared()) {
            assertThat(store.usesEngineClock()).as("a shared store judges expiry by its own clock, so it must "
                    + "answer false to usesEngineClock() (the engine then does not read its clock for it)").isFalse();
        }
    }

    @Test
    void aStoreThatDoesNotUseTheEngineClock_behavesTheSame_whateverNowItIsGiven() throws Exception {
        if (store.usesEngineClock()) {
            return; // its "now" drives expiry: the other tests move it
        }
        // The engine passes 0; any other value, an hour off or at either end of long, must change nothing either.
        long[] nows = {0, Long.MIN_VALUE, Long.MAX_VALUE, System.currentTimeMillis() - 3_600_000};
        for (int i = 0; i < nows.length; i++) {
            long t = nows[i];
            String key = key("now" + i);
            assertThat(get(store.claim(key, "t1", fingerprint("payload"), t, LONG_LEASE))).as("now %d", t)
                    .isSameAs(ClaimResult.CLAIMED);
            assertThat(get(store.renew(key, "t1", nows[(i + 1) % nows.length], LONG_LEASE))).as("now %d", t)
                    .isTrue();
            assertThat(get(store.complete(key, "t1", fingerprint("payload"), value("done"),
                    nows[(i + 2) % nows.length], TTL))).as("now %d", t).isTrue();
            StoredRecord replay = record(get(store.claim(key, "t2", fingerprint("payload"),
                    nows[(i + 3) % nows.length], LONG_LEASE)));
            assertThat(replay.isInFlight()).as("now %d", t).isFalse();
            assertThat(text(replay.outcome())).as("now %d", t).isEqualTo("done");

            String released = key("now-released" + i);
            assertThat(get(store.claim(released, "t3", fingerprint("payload"), t, LONG_LEASE))).as("now %d", t)
                    .isSameAs(ClaimResult.CLAIMED);
            assertThat(get(store.release(released, "t3", nows[(i + 1) % nows.length]))).as("now %d", t).isTrue();
            assertThat(get(store.claim(released, "t4", fingerprint("payload"), t, LONG_LEASE))).as("now %d", t)
                    .isSameAs(ClaimResult.CLAIMED);
        }
    }

    // --- complete ---------------------------------------------------------------------------------------------------

    @Test
    void complete_byTheOwner_recordsTheOutcome_andWakesWaiters() throws Exception {
        claim(key("k"), "t1", LONG_LEASE);
        CompletableFuture<?> settled = store.whenSettled(key("k")).toCompletableFuture();

        assertThat(complete(key("k"), "t1", value("done"))).isTrue();

        settled.get(WAIT_BOUND_SECONDS, TimeUnit.SECONDS);
        assertThat(text(record(claim(key("k"), "t2", LONG_LEASE)).outcome())).isEqualTo("done");
    }

    @Test
    void complete_repeatedByTheOwner_answersTrue_andKeepsTheFirstOutcome() throws Exception {
        claim(key("k"), "t1", LONG_LEASE);
        complete(key("k"), "t1", value("first"));

        assertThat(complete(key("k"), "t1", value("second"))).isTrue();
        assertThat(text(seen(key("k")).outcome())).isEqualTo("first");
    }

    @Test
    void complete_byAnotherToken_changesNothing() throws Exception {
        claim(key("k"), "t1", LONG_LEASE);
        CompletableFuture<?> settled = store.whenSettled(key("k")).toCompletableFuture();

        assertThat(complete(key("k"), "stale", value("x"))).isFalse();

        StoredRecord record = seen(key("k"));
        assertThat(record.isInFlight()).isTrue();
        assertThat(record.ownerToken()).isEqualTo("t1");
        assertThat(settled).isNotDone();
    }

    @Test
    void complete_ofAnAbsentKey_answersFalse_andWritesNothing() throws Exception {
        assertThat(complete(key("absent"), "t1", value("x"))).isFalse();
        assertThat(seen(key("absent"))).isNull();
    }

    @Test
    void complete_ofACompletedKeyByAnotherToken_changesNothing() throws Exception {
        claim(key("k"), "t1", LONG_LEASE);
        complete(key("k"), "t1", value("first"));

        assertThat(complete(key("k"), "t2", value("second"))).isFalse();
        assertThat(text(seen(key("k")).outcome())).isEqualTo("first");
    }

    @Test
    void complete_afterTheLeaseLapsed_answersFalse_andNeverOverwritesTheNewOwner() throws Exception {
        claim(key("k"), "t1", SHORT_LEASE);
        lapse(key("k"), SHORT_LEASE);
        assertThat(complete(key("k"), "t1", value("late"))).as("lapsed, not taken over").isFalse();
        assertThat(seen(key("k"))).isNull();

        claim(key("k"), "t2", LONG_LEASE);
        assertThat(complete(key("k"), "t1", value("late"))).as("taken over").isFalse();
        assertThat(release(key("k"), "t1")).isFalse();
        assertThat(renew(key("k"), "t1", LONG_LEASE)).isFalse();
        assertThat(record(claim(key("k"), "t3", LONG_LEASE)).ownerToken()).isEqualTo("t2");
        assertThat(complete(key("k"), "t2", value("new"))).isTrue();
        assertThat(text(seen(key("k")).outcome())).isEqualTo("new");
    }

    @Test
    void completedRecord_expiresAfterItsTtl() throws Exception {
        long ttl = usesTheEngineClock() ? TTL : 1_500;
        claim(key("k"), "t1", LONG_LEASE);
        assertThat(get(store.complete(key("k"), "t1", fingerprint("payload"), value("done"), now, ttl))).isTrue();
        if (usesTheEngineClock()) {
            now += ttl - 1;
            assertThat(seen(key("k"))).isNotNull();
        }

        lapse(key("k"), 1);

        assertThat(claim(key("k"), "t2", LONG_LEASE)).isSameAs(ClaimResult.CLAIMED);
    }

    @Test
    void outcomes_comeBackAsTheyWereRecorded() throws Exception {
        List<Outcome> outcomes = store.keepsObjects()
                ? List.of(Outcome.value("v"), Outcome.value(null), Outcome.failure(new IllegalStateException("no")))
                : List.of(Outcome.encodedValue("{\"a\":1}".getBytes(StandardCharsets.UTF_8)),
                        Outcome.encodedValue(new byte[0]),
                        Outcome.encodedValue(new byte[] {0, (byte) 0xff, 10, 13}),
                        Outcome.encodedFailure("com.acme.Declined", "card declined: é✓"),
                        Outcome.encodedFailure("com.acme.Declined", null),
                        Outcome.unencodable("too large"));
        for (int i = 0; i < outcomes.size(); i++) {
            Outcome outcome = outcomes.get(i);
            claim(key("o" + i), "t", LONG_LEASE);
            assertThat(complete(key("o" + i), "t", outcome)).isTrue();

            Outcome back = record(claim(key("o" + i), "other", LONG_LEASE)).outcome();
            assertThat(back.kind()).as(outcome.toString()).isEqualTo(outcome.kind());
            assertThat(back.bytes()).isEqualTo(outcome.bytes());
            assertThat(back.failureType()).isEqualTo(outcome.failureType());
            assertThat(back.reason()).isEqualTo(outcome.reason());
            if (store.keepsObjects()) {
                assertThat(back.value()).isSameAs(outcome.value());
                assertThat(back.failure()).isSameAs(outcome.failure());
            }
        }
    }

    // --- release ----------------------------------------------------------------------------------------------------

    @Test
    void release_byTheOwner_freesTheKey_andWakesWaiters() throws Exception {
        claim(key("k"), "t1", LONG_LEASE);
        CompletableFuture<?> settled = store.whenSettled(key("k")).toCompletableFuture();

        assertThat(release(key("k"), "t1")).isTrue();

        settled.get(WAIT_BOUND_SECONDS, TimeUnit.SECONDS);
        assertThat(release(key("k"), "t1")).as("repeated").isFalse();
        assertThat(claim(key("k"), "t2", LONG_LEASE)).isSameAs(ClaimResult.CLAIMED);
    }

    @Test
    void release_byAnotherToken_orOfACompletedOrAbsentKey_changesNothing() throws Exception {
        claim(key("k"), "t1", LONG_LEASE);
        CompletableFuture<?> settled = store.whenSettled(key("k")).toCompletableFuture();
        assertThat(release(key("k"), "t2")).isFalse();
        assertThat(settled).isNotDone();
        assertThat(seen(key("k")).ownerToken()).isEqualTo("t1");

        complete(key("k"), "t1", value("done"));
        assertThat(release(key("k"), "t1")).as("completed").isFalse();
        assertThat(text(seen(key("k")).outcome())).isEqualTo("done");

        assertThat(release(key("absent"), "t1")).isFalse();
    }

    // --- renew ------------------------------------------------------------------------------------------------------

    @Test
    void renew_byTheOwner_extendsTheLease() throws Exception {
        claim(key("k"), "t1", SHORT_LEASE);
        if (usesTheEngineClock()) {
            now += SHORT_LEASE - 1;
            assertThat(renew(key("k"), "t1", SHORT_LEASE)).isTrue();
            now += SHORT_LEASE - 1;
            assertThat(seen(key("k")).ownerToken()).as("held past the first lease").isEqualTo("t1");
            return;
        }
        // The store's own clock: wait until a third of the lease has gone, renew, and see the lease full again.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_BOUND_SECONDS);
        while (seen(key("k")).leaseRemainingMillis() > SHORT_LEASE * 2 / 3) {
            assertThat(System.nanoTime()).isLessThan(deadline);
            Thread.sleep(20);
        }
        assertThat(renew(key("k"), "t1", LONG_LEASE)).isTrue();
        StoredRecord renewed = seen(key("k"));
        assertThat(renewed.ownerToken()).isEqualTo("t1");
        assertThat(renewed.leaseRemainingMillis()).isGreaterThan(SHORT_LEASE);
    }

    @Test
    void renew_byAnotherToken_orOfACompletedOrAbsentKey_answersFalse() throws Exception {
        claim(key("k"), "t1", LONG_LEASE);
        CompletableFuture<?> settled = store.whenSettled(key("k")).toCompletableFuture();
        assertThat(renew(key("k"), "t2", LONG_LEASE)).isFalse();
        assertThat(renew(key("k"), "t1", LONG_LEASE)).isTrue();
        assertThat(settled).as("a renewal settles nothing").isNotDone();

        complete(key("k"), "t1", value("done"));
        assertThat(renew(key("k"), "t1", LONG_LEASE)).as("completed").isFalse();
        assertThat(seen(key("k")).isInFlight()).isFalse();

        assertThat(renew(key("absent"), "t1", LONG_LEASE)).isFalse();
        assertThat(seen(key("absent"))).isNull();
    }

    @Test
    void renew_afterTheLeaseLapsed_answersFalse_andRevivesNothing() throws Exception {
        claim(key("k"), "t1", SHORT_LEASE);
        lapse(key("k"), SHORT_LEASE);

        assertThat(renew(key("k"), "t1", LONG_LEASE)).isFalse();
        assertThat(seen(key("k"))).isNull();
    }

    // --- whenSettled ------------------------------------------------------------------------------------------------

    @Test
    void whenSettled_isCompleteAtOnce_unlessARecordIsInFlight() throws Exception {
        get(store.whenSettled(key("absent")));
        claim(key("k"), "t1", LONG_LEASE);
        complete(key("k"), "t1", value("done"));
        get(store.whenSettled(key("k")));
    }

    @Test
    void whenSettled_waitsWhileInFlight_andReplaysDoNotSettleIt() throws Exception {
        claim(key("k"), "t1", LONG_LEASE);
        CompletableFuture<?> settled = store.whenSettled(key("k")).toCompletableFuture();

        claim(key("k"), "t2", LONG_LEASE);
        assertThatThrownBy(() -> settled.get(200, TimeUnit.MILLISECONDS)).isInstanceOf(TimeoutException.class);
    }

    // --- durations: bounded, and never a record without an expiry --------------------------------------------------

    @Test
    void durationsOutOfRange_areRejected_beforeAnythingIsWritten() throws Exception {
        long max = IdempotencyConfig.MAX_DURATION.toMillis();
        for (long lease : new long[] {0, -1, max + 1, Long.MAX_VALUE, Long.MIN_VALUE}) {
            assertRejected(() -> store.claim(key("k"), "t1", fingerprint("payload"), now, lease));
            assertThat(seen(key("k"))).as("lease " + lease).isNull();
        }
        claim(key("k"), "t1", LONG_LEASE);
        for (long ttl : new long[] {0, -1, max + 1, Long.MAX_VALUE}) {
            assertRejected(() -> store.complete(key("k"), "t1", fingerprint("payload"), value("x"), now, ttl));
            assertRejected(() -> store.renew(key("k"), "t1", now, ttl));
            StoredRecord record = seen(key("k"));
            assertThat(record.isInFlight()).as("ttl " + ttl).isTrue();
            assertThat(record.leaseRemainingMillis()).isPositive().isLessThanOrEqualTo(LONG_LEASE);
        }
    }

    @Test
    void theLongestDurations_areAccepted() throws Exception {
        long max = IdempotencyConfig.MAX_DURATION.toMillis();
        assertThat(claim(key("k"), "t1", max)).isSameAs(ClaimResult.CLAIMED);
        assertThat(record(claim(key("k"), "t2", LONG_LEASE)).leaseRemainingMillis()).isGreaterThan(max - 60_000);
        assertThat(renew(key("k"), "t1", max)).isTrue();
        assertThat(get(store.complete(key("k"), "t1", fingerprint("payload"), value("done"), now, max))).isTrue();
        assertThat(text(seen(key("k")).outcome())).isEqualTo("done");
    }

    // --- threads ----------------------------------------------------------------------------------------------------

    @Test
    void operations_startedFromTheStoresOwnCallbacks_work() throws Exception {
        // Each step is started inside the callback of the previous one: on a remote store, that is its I/O thread.
        CompletionStage<Boolean> chain = store.claim(key("k"), "t1", fingerprint("payload"), now, LONG_LEASE)
                .thenCompose(claimed -> store.renew(key("k"), "t1", now, LONG_LEASE))
                .thenCompose(renewed -> store.complete(key("k"), "t1", fingerprint("payload"), value("done"), now,
                        TTL))
                .thenCompose(completed -> store.claim(key("k2"), "t1", fingerprint("payload"), now, LONG_LEASE))
                .thenCompose(claimed -> store.release(key("k2"), "t1", now));

        assertThat(get(chain)).isTrue();
        assertThat(text(seen(key("k")).outcome())).isEqualTo("done");
        assertThat(seen(key("k2"))).isNull();
    }

    @Test
    void operations_fromAThreadWithAPendingInterrupt_work_andKeepTheFlag() throws Exception {
        Thread.currentThread().interrupt();
        try {
            CompletionStage<ClaimResult> claimed = store.claim(key("k"), "t1", fingerprint("payload"), now,
                    LONG_LEASE);
            CompletionStage<Boolean> completed = claimed.thenCompose(c -> store.complete(key("k"), "t1",
                    fingerprint("payload"), value("done"), now, TTL));
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
            assertThat(completed.toCompletableFuture().join()).isTrue();
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
        assertThat(text(seen(key("k")).outcome())).isEqualTo("done");
    }

    @Test
    void concurrentClaims_ofOneKey_leaveExactlyOneOwner() throws Exception {
        int callers = 16;
        for (int round = 0; round < 20; round++) {
            String key = key("race-" + round);
            CyclicBarrier barrier = new CyclicBarrier(callers);
            List<Future<ClaimResult>> results = new ArrayList<>();
            for (int i = 0; i < callers; i++) {
                String token = "t" + i;
                results.add(threads.submit(() -> {
                    barrier.await(WAIT_BOUND_SECONDS, TimeUnit.SECONDS);
                    return claim(key, token, LONG_LEASE);
                }));
            }
            Set<String> owners = new HashSet<>();
            int claimed = 0;
            for (Future<ClaimResult> result : results) {
                ClaimResult r = result.get(WAIT_BOUND_SECONDS, TimeUnit.SECONDS);
                if (r == ClaimResult.CLAIMED) {
                    claimed++;
                } else {
                    owners.add(((StoredRecord) r).ownerToken());
                }
            }
            assertThat(claimed).as("round " + round).isEqualTo(1);
            assertThat(owners).hasSize(1);
        }
    }

    @Test
    void concurrentCompleteAndRelease_byTheOwnerAndOthers_settleOnce() throws Exception {
        for (int round = 0; round < 20; round++) {
            String key = key("settle-" + round);
            claim(key, "owner", LONG_LEASE);
            CyclicBarrier barrier = new CyclicBarrier(4);
            Future<Boolean> completeA = threads.submit(() -> {
                barrier.await(WAIT_BOUND_SECONDS, TimeUnit.SECONDS);
                return complete(key, "owner", value("a"));
            });
            Future<Boolean> completeB = threads.submit(() -> {
                barrier.await(WAIT_BOUND_SECONDS, TimeUnit.SECONDS);
                return complete(key, "owner", value("b"));
            });
            Future<Boolean> releaseOther = threads.submit(() -> {
                barrier.await(WAIT_BOUND_SECONDS, TimeUnit.SECONDS);
                return release(key, "other");
            });
            Future<Boolean> completeOther = threads.submit(() -> {
                barrier.await(WAIT_BOUND_SECONDS, TimeUnit.SECONDS);
                return complete(key, "other", value("c"));
            });

            assertThat(completeA.get(WAIT_BOUND_SECONDS, TimeUnit.SECONDS)).isTrue();
            assertThat(completeB.get(WAIT_BOUND_SECONDS, TimeUnit.SECONDS)).isTrue();
            assertThat(releaseOther.get(WAIT_BOUND_SECONDS, TimeUnit.SECONDS)).isFalse();
            assertThat(completeOther.get(WAIT_BOUND_SECONDS, TimeUnit.SECONDS)).isFalse();
            assertThat(text(seen(key).outcome())).isIn("a", "b");
        }
    }
}
