package dev.idem.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.idem.core.Idempotency;
import dev.idem.core.IdempotencyConfig;
import dev.idem.core.IdempotencyConfigurationException;
import dev.idem.core.event.IdempotencyEvent;
import dev.idem.core.IdempotencyInProgressException;
import dev.idem.core.IdempotencyKeyException;
import dev.idem.core.IdempotencyKeyReuseException;
import dev.idem.core.IdempotencyReentrancyException;
import dev.idem.core.IdempotencyReplayException;
import dev.idem.core.IdempotencyStoreException;
import dev.idem.core.IdempotentOperation;
import dev.idem.core.IdempotentResult;
import dev.idem.core.spi.ClaimResult;
import dev.idem.core.spi.Fingerprint;
import dev.idem.core.spi.IdempotencyStore;
import dev.idem.core.spi.StoreKeys;
import dev.idem.core.spi.StoredRecord;
import dev.idem.testing.MutableClock;
import dev.idem.tck.Model.ChargeForm;
import dev.idem.tck.Model.ChargeRequest;
import dev.idem.tck.Model.Opaque;
import dev.idem.tck.Model.Order;
import dev.idem.tck.Model.PaymentDeclinedException;
import dev.idem.tck.Model.Receipt;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The behaviour every store must show, row by row of the semantics table, through each {@link EntryPoint}: the
 * woven aspect and the programmatic API. A store's test class extends this and returns a fresh store from
 * {@link #createStore()}; nothing else is needed.
 *
 * <p>Time is an injected {@link MutableClock}: ttl and lease expiry are tested by moving it, never by sleeping.
 * Concurrency is proven by counting body runs.
 */
public abstract class IdempotencyBehaviourSuite {
    /** The global key prefix the suite configures; a shared store puts it in front of every key. */
    protected static final String PREFIX = "tck:";
    private static final long WAIT_BOUND_SECONDS = 20;

    /** The injected clock. */
    protected MutableClock clock;
    private SwitchableStore store;
    private Body body;
    private final List<IdempotencyEvent> events = new CopyOnWriteArrayList<>();
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

    @BeforeEach
    void configure() throws Exception {
        clock = MutableClock.startingNow();
        store = new SwitchableStore(createStore());
        body = new Body();
        events.clear();
        threads = Executors.newCachedThreadPool();
        Idempotency.configure(config().build());
    }

    private IdempotencyConfig.Builder config() {
        return IdempotencyConfig.builder()
                .defaultStore(store)
                .clock(clock)
                .keyPrefix(PREFIX)
                .listener(events::add);
    }

    @AfterEach
    void tearDown() throws Exception {
        body.open();
        threads.shutdownNow();
        Idempotency.reset();
        closeStore(store.delegate());
    }

    private static ChargeRequest request(String id, int amount) {
        return new ChargeRequest(id, BigDecimal.valueOf(amount));
    }

    private String fullKey(String namespace, String key) {
        return StoreKeys.of(store.isShared() ? PREFIX : "", namespace, key);
    }

    /**
     * Whether the store judges expiry by the engine's clock, so that the suite moves time with the
     * {@link MutableClock}; a shared store judges it by its own clock, and the suite lets real time pass (with short
     * durations, waiting for conditions with a bound). Default: what the store says
     * ({@link IdempotencyStore#usesEngineClock()}).
     *
     * @return true if the injected clock drives expiry
     */
    protected boolean usesTheEngineClock() {
        return store.delegate().usesEngineClock();
    }

    private ClaimResult claimDirectly(String key, String token, long leaseMillis) {
        return store.delegate().claim(key, token, Fingerprint.NONE, clock.millis(), leaseMillis)
                .toCompletableFuture().join();
    }

    /** Calls until the call stops failing with the given exception type, at most {@link #WAIT_BOUND_SECONDS}. */
    private static <T> T eventually(Callable<T> call, Class<? extends Throwable> untilNot) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_BOUND_SECONDS);
        while (true) {
            try {
                return call.call();
            } catch (Exception e) {
                if (!untilNot.isInstance(e) || System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(20);
            }
        }
    }

    private <T> Future<T> inBackground(Callable<T> call) {
        return threads.submit(call);
    }

    private static <T> T result(Future<T> future) throws Exception {
        return future.get(WAIT_BOUND_SECONDS, TimeUnit.SECONDS);
    }

    private static void await(CountDownLatch latch) throws InterruptedException {
        assertThat(latch.await(WAIT_BOUND_SECONDS, TimeUnit.SECONDS)).as("the body was reached").isTrue();
    }

    private List<IdempotencyEvent.Type> eventTypes() {
        return events.stream().map(IdempotencyEvent::type).toList();
    }

    // --- no record; COMPLETED with the same fingerprint -------------------------------------------------------

    @ParameterizedTest
    @EnumSource(EntryPoint.class)
    void firstCall_runsTheMethod_andRepeatsReplayItsResult(EntryPoint via) throws Exception {
        Payments payments = via.payments(body);

        Receipt first = payments.charge(request("A", 10));
        Receipt second = payments.charge(request("A", 10));
        Receipt third = payments.charge(request("A", 10));

        assertThat(body.runs("A")).isEqualTo(1);
        assertThat(second).isEqualTo(first);
        assertThat(third).isEqualTo(first);
        assertThat(eventTypes()).containsExactly(IdempotencyEvent.Type.EXECUTED, IdempotencyEvent.Type.REPLAYED,
                IdempotencyEvent.Type.REPLAYED);
        assertThat(events.get(0).namespace()).isEqualTo("tck.charge");
    }

    @ParameterizedTest
    @EnumSource(EntryPoint.class)
    void differentKeys_runSeparately(EntryPoint via) throws Exception {
        Payments payments = via.payments(body);

        Receipt a = payments.charge(request("A", 10));
        Receipt b = payments.charge(request("B", 10));

        assertThat(body.runs("A")).isEqualTo(1);
        assertThat(body.runs("B")).isEqualTo(1);
        assertThat(a.serial()).isNotEqualTo(b.serial());
    }

    @ParameterizedTest
    @EnumSource(EntryPoint.class)
    void methodsWithDifferentNamespaces_doNotShareKeys(EntryPoint via) throws Exception {
        Payments payments = via.payments(body);

        payments.charge(request("A", 10));
        payments.chargeOrReject(request("A", 10));

        assertThat(body.runs("A")).isEqualTo(2);
    }

    @ParameterizedTest
    @EnumSource(EntryPoint.class)
    void tenantScopedKeys_keepTenantsApart(EntryPoint via) throws Exception {
        Payments payments = via.payments(body);

        Receipt first = payments.chargeForTenant("t1", request("A", 10));
        payments.chargeForTenant("t2", request("A", 10));
        Receipt again = payments.chargeForTenant("t1", request("A", 10));

        assertThat(body.runs("A")).isEqualTo(2);
        assertThat(again).isEqualTo(first);
    }

    @Test
    void programmaticCall_tellsAReplayFromAFirstRun() {
        IdempotentOperation<String> operation = Idempotency.operation("tck.replayFlag", String.class).build();

        IdempotentResult<String> first = operation.call("K", "payload", () -> "value-" + body.nextSerial());
        IdempotentResult<String> second = operation.call("K", "payload", () -> "value-" + body.nextSerial());

        assertThat(first.replayed()).isFalse();
        assertThat(second.replayed()).isTrue();
        assertThat(second.value()).isEqualTo(first.value());
    }

    @ParameterizedTest
    @EnumSource(EntryPoint.class)
    void capture_tellsAReplayFromAFirstRun(EntryPoint via) throws Exception {
        Payments payments = via.payments(body);

        IdempotentResult<Receipt> first = Idempotency.capture(() -> payments.charge(request("A", 10)));
        IdempotentResult<Receipt> second = Idempotency.capture(() -> payments.charge(request("A", 10)));

        assertThat(first.replayed()).isFalse();
        assertThat(second.replayed()).isTrue();
        assertThat(second.value()).isEqualTo(first.value());
    }

    @Test
    void capture_countsOnlyTheOuterCall_notTheIdempotentCallsItsBodyMakes() throws Exception {
        Payments inner = EntryPoint.ASPECT.payments(body);
        inner.charge(request("inner", 1));
        Nesting outer = new Nesting(inner);

        // A first run whose body makes a replayed idempotent call is still a first run.
        IdempotentResult<String> result = Idempotency.capture(() -> outer.outer("O"));

        assertThat(result.replayed()).isFalse();
        assertThat(Idempotency.capture(() -> outer.outer("O")).replayed()).isTrue();
    }

    // --- COMPLETED or IN_FLIGHT with another fingerprint ----------------------------------------------------

    @ParameterizedTest
    @EnumSource(EntryPoint.class)
    void completedKey_withAnotherPayload_isRefused_andTheRecordIsUntouched(EntryPoint via) throws Exception {
        Payments payments = via.payments(body);
        Receipt original = payments.charge(request("A", 10));

        assertThatThrownBy(() -> payments.charge(request("A", 99)))
                .isInstanceOf(IdempotencyKeyReuseException.class)
                .hasMessageContaining("different payload");

        assertThat(body.runs("A")).isEqualTo(1);
        assertThat(payments.charge(request("A", 10))).isEqualTo(original);
        assertThat(eventTypes()).contains(IdempotencyEvent.Type.MISMATCH);
    }

    @ParameterizedTest
    @EnumSource(EntryPoint.class)
    void inFlightKey_withAnotherPayload_isRefusedAtOnce(EntryPoint via) throws Exception {
        Payments payments = via.payments(body);
        CountDownLatch reached = body.closeGate(1);
        Future<Receipt> first = inBackground(() -> payments.charge(request("A", 10)));
        await(reached);

        // Refused on this thread while the first call is still held at the gate: it did not wait.
        assertThatThrownBy(() -> payments.charge(request("A", 99)))
                .isInstanceOf(IdempotencyKeyReuseException.class);
        assertThat(first).isNotDone();

        body.open();
        assertThat(result(first).amount()).isEqualByComparingTo("10");
        assertThat(body.runs("A")).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(EntryPoint.class)
    void dtoWithoutEquals_matchesAnEqualCopy_andNotAChangedOne(EntryPoint via) throws Exception {
        Payments payments = via.payments(body);

        Receipt first = payments.chargeForm(new ChargeForm("F", new BigDecimal("10.00")));
        Receipt copy = payments.chargeForm(new ChargeForm("F", new BigDecimal("10.0")));

        assertThat(copy).isEqualTo(first);
        assertThatThrownBy(() -> payments.chargeForm(new ChargeForm("F", new BigDecimal("11"))))
                .isInstanceOf(IdempotencyKeyReuseException.class);
        assertThat(body.runs("F")).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(EntryPoint.class)
    void payloadChangedByTheBody_doesNotChangeTheRecordedFingerprint(EntryPoint via) throws Exception {
        Payments payments = via.payments(body);
        ChargeForm form = new ChargeForm("M", new BigDecimal("10"));

        payments.chargeForm(form);
        form.amount = new BigDecimal("55"); // the caller reuses and changes its object

        assertThatThrownBy(() -> payments.chargeForm(form)).isInstanceOf(IdempotencyKeyReuseException.class);
        assertThat(payments.chargeForm(new ChargeForm("M", new BigDecimal("10"))).amount())
                .isEqualByComparingTo("10");
    }

    @ParameterizedTest
    @EnumSource(EntryPoint.class)
    void fingerprintNone_replaysWhateverThePayload(EntryPoint via) throws Exception {
        Payments payments = via.payments(body);

        Receipt first = payments.chargeAnyPayload(request("A", 10));
        Receipt second = payments.chargeAnyPayload(request("A", 20));

        assertThat(second).isEqualTo(first);
        assertThat(body.runs("A")).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(EntryPoint.class)
    void fingerprintExpression_checksOnlyItsPayload(EntryPoint via) throws Exception {
        Payments payments = via.payments(body);

        Receipt first = payments.chargeSameAmount(request("A", 10));

        assertThat(payments.chargeSameAmount(request("A", 10))).isEqualTo(first);
        assertThatThrownBy(() -> payments.chargeSameAmount(request("A", 11)))
                .isInstanceOf(IdempotencyKeyReuseException.class);
        assertThat(body.runs("A")).isEqualTo(1);
    }

    // --- IN_FLIGHT: WAIT, wait timeout, REJECT ----------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(EntryPoint.class)
    void duplicateWhileInFlight_waitsForTheOutcome_andGetsIt(EntryPoint via) throws Exception {
        Payments payments = via.payments(body);
        CountDownLatch reached = body.closeGate(1);
        Future<Receipt> first = inBackground(() -> payments.charge(request("A", 10)));
        await(reached);
        Future<Receipt> duplicate = inBackground(() -> payments.charge(request("A", 10)));

        // The duplicate saw the key in flight and waits to be woken (a blocked thread alone could still be in the
        // store's round trip).
        waitUntil(() -> store.settleWatches() > 0);
        assertThat(duplicate).isNotDone();
        body.open();

        assertThat(result(duplicate)).isEqualTo(result(first));
        assertThat(body.runs("A")).isEqualTo(1);
        assertThat(eventTypes()).contains(IdempotencyEvent.Type.WAITED);
    }

    private static void waitUntil(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_BOUND_SECONDS);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within " + WAIT_BOUND_SECONDS + " s");
            }
            Thread.sleep(5);
        }
    }

    @ParameterizedTest
    @EnumSource(EntryPoint.class)
    void duplicateWhileInFlight_givesUpAfterTheWaitTimeout(EntryPoint via) throws Exception {
        Payments payments = via.payments(body);
        CountDownLatch reached = body.closeGate(1);
        Future<Receipt> first = inBackground(() -> payments.chargeShortWait(request("A", 10)));
        await(reached);

        long start = System.nanoTime();
        assertThatThrownBy(() -> payments.chargeShortWait(request("A", 10)))
                .isInstanceOf(IdempotencyInProgressException.class)
                .hasMessageContaining("300 ms");
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isGreaterThanOrEqualTo(300);

        body.open();
        result(first);
        assertThat(body.runs("A")).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(EntryPoint.class)
    void duplicateWhileInFlight_withReject_isRefusedAtOnce(EntryPoint via) throws Exception {
        Payments payments = via.payments(body);
        CountDownLatch reached = body.closeGate(1);
        Future<Receipt> first = inBackground(() -> payments.chargeOrReject(request("A", 10)));
        await(reached);

        assertThatThrownBy(() -> payments.chargeOrReject(request("A", 10)))
                .isInstanceOf(IdempotencyInProgressException.class)
                .hasMessageContaining("REJECT");
        assertThat(first).isNotDone();

        body.open();
        Receipt receipt = result(first);
        assertThat(payments.chargeOrReject(request("A", 10))).isEqualTo(receipt);
        assertThat(body.runs("A")).isEqualTo(1);
    }

    // --- failures -----------------------------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(EntryPoint.class)
    void nonReplayedException_releasesTheKey_andPropagatesUnchanged(EntryPoint via) throws Exception {
        Payments payments = via.payments(body);
        IllegalStateException boom = new IllegalStateException("gateway timeout");
        body.failWith(() -> boom);

        assertThatThrownBy(() -> payments.charge(request("A", 10))).isSameAs(boom);

        body.failWith(null);
        Receipt receipt = payments.charge(request("A", 10));
        assertThat(body.runs("A")).isEqualTo(2);
        assertThat(payments.charge(request("A", 10))).isEqualTo(receipt);
        assertThat(eventTypes()).contains(IdempotencyEvent.Type.RELEASED);
    }

    @ParameterizedTest
    @EnumSource(EntryPoint.class)
    void checkedExceptionNotReplayed_propagatesUnchanged(EntryPoint via) throws Exception {
        Payments payments = via.payments(body);
        PaymentDeclinedException declined = new PaymentDeclinedException("not replayed here");
        body.failWith(() -> declined);

        assertThatThrownBy(() -> payments.charge(request("A", 10))).isSameAs(declined);
        body.failWith(null);
        payments.charge(request("A", 10));
        assertThat(body.runs("A")).isEqualTo(2);
    }

    @ParameterizedTest
    @EnumSource(EntryPoint.class)
    void replayedFailure_isRecorded_andRethrownToRepeats(EntryPoint via) throws Exception {
        Payments payments = via.payments(body);
        body.failWith(() -> new PaymentDeclinedException("card declined"));

        assertThatThrownBy(() -> payments.chargeDeclinable(request("A", 10)))
                .isInstanceOf(PaymentDeclinedException.class).hasMessage("card declined");
        body.failWith(null);

        assertThatThrownBy(() -> payments.chargeDeclinable(request("A", 10)))
                .isInstanceOf(PaymentDeclinedException.class).hasMessage("card declined");
        assertThat(body.runs("A")).isEqualTo(1);
    }

    // --- leases -------------------------------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(EntryPoint.class)
    void deadHolder_blocksTheKeyUntilItsLeaseLapses_thenOneNewRun(EntryPoint via) throws Exception {
        Payments payments = via.payments(body);
        String key = fullKey("tck.chargeOrReject", "A");
        long lease = 2_000;
        // A holder that claimed the key and died: it will never complete, release or renew.
        assertThat(claimDirectly(key, "dead-holder", lease)).isSameAs(ClaimResult.CLAIMED);

        assertThatThrownBy(() -> payments.chargeOrReject(request("A", 10)))
                .isInstanceOf(IdempotencyInProgressException.class);
        if (usesTheEngineClock()) {
            clock.advance(Duration.ofMillis(lease - 1));
            assertThatThrownBy(() -> payments.chargeOrReject(request("A", 10)))
                    .isInstanceOf(IdempotencyInProgressException.class);
            clock.advance(Duration.ofMillis(2));
        }
        assertThat(body.runs("A")).isZero();

        // Once the lease lapses (by the store's clock), exactly one new run.
        Receipt receipt = eventually(() -> payments.chargeOrReject(request("A", 10)),
                IdempotencyInProgressException.class);
        assertThat(payments.chargeOrReject(request("A", 10))).isEqualTo(receipt);
        assertThat(body.runs("A")).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(EntryPoint.class)
    void leaseLostWhileRunning_neverOverwritesTheNewOwner_andTheCallerKeepsItsResult(EntryPoint via)
            throws Exception {
        Payments payments = via.payments(body);
        String key = fullKey("tck.chargeShortLease", "A");
        store.hangRenewals(key); // a pause longer than the lease: no renewal reaches the store
        CountDownLatch reached = body.closeGate(1);
        Future<Receipt> slow = inBackground(() -> payments.chargeShortLease(request("A", 10)));
        await(reached);

        clock.advance(Duration.ofMillis(2_001)); // longer than the 2s lease: the claim lapses (engine's clock)
        ClaimResult takeover = eventually(() -> {
            ClaimResult claim = claimDirectly(key, "new-owner", 30_000);
            if (claim != ClaimResult.CLAIMED) {
                throw new IllegalStateException("still held: " + claim);
            }
            return claim;
        }, IllegalStateException.class);
        assertThat(takeover).isSameAs(ClaimResult.CLAIMED);
        body.open();

        assertThat(result(slow).amount()).isEqualByComparingTo("10");
        ClaimResult now = claimDirectly(key, "probe", 30_000);
        assertThat(now).isInstanceOf(StoredRecord.class);
        assertThat(((StoredRecord) now).isInFlight()).isTrue();
        assertThat(((StoredRecord) now).ownerToken()).isEqualTo("new-owner");
        assertThat(eventTypes()).contains(IdempotencyEvent.Type.LEASE_LOST);
    }

    @ParameterizedTest
    @EnumSource(EntryPoint.class)
    void hungRenewalOfOneKey_delaysNoOtherKeysRenewal_andIsReportedWhileTheLeaseLasts(EntryPoint via)
            throws Exception {
        Payments payments = via.payments(body);
        String hung = fullKey("tck.chargeShortLease", "H");
        store.hangRenewals(hung);
        List<String> heldWhenReported = new CopyOnWriteArrayList<>();
        events.clear();
        Idempotency.configure(config().listener(event -> {
            if (event.type() == IdempotencyEvent.Type.STORE_ERROR && event.detail().startsWith("renew")) {
                ClaimResult probe = claimDirectly(hung, "probe", 30_000);
                heldWhenReported.add(probe instanceof StoredRecord record && record.isInFlight()
                        ? "held by " + record.ownerToken() : "free");
            }
        }).build());
        CountDownLatch reached = body.closeGate(2);
        Future<Receipt> hungCall = inBackground(() -> payments.chargeShortLease(request("H", 10)));
        Future<Receipt> healthyCall = inBackground(() -> payments.chargeShortLease(request("B", 10)));
        await(reached);
        int before = store.renewals();

        // Both keys are renewed every 666 ms; the hung key's renewals never answer. The healthy key's keep going.
        waitUntil(() -> store.renewals() >= before + 8);
        waitUntil(() -> !heldWhenReported.isEmpty());
        String healthy = fullKey("tck.chargeShortLease", "B");
        ClaimResult probe = claimDirectly(healthy, "probe", 30_000);
        assertThat(probe).isInstanceOf(StoredRecord.class);
        assertThat(((StoredRecord) probe).isInFlight()).as("the healthy key is still held by its call").isTrue();
        assertThat(heldWhenReported.get(0)).as("the hung renewal was reported while the lease still held")
                .startsWith("held by");
        body.open();

        assertThat(result(healthyCall).amount()).isEqualByComparingTo("10");
        result(hungCall);
        assertThat(payments.chargeShortLease(request("B", 10))).isEqualTo(result(healthyCall));
        assertThat(body.runs("B")).isEqualTo(1);
    }

    // --- store unreachable ------------------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(EntryPoint.class)
    void unreachableStore_failsClosed_beforeTheBodyRuns(EntryPoint via) throws Exception {
        Payments payments = via.payments(body);
        store.down(true);

        assertThatThrownBy(() -> payments.charge(request("A", 10)))
                .isInstanceOf(IdempotencyStoreException.class)
                .hasMessageContaining("did not run");
        assertThat(body.totalRuns()).isZero();

        store.down(false);
        payments.charge(request("A", 10));
        assertThat(body.runs("A")).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(EntryPoint.class)
    void unreachableStore_withProceed_runsUnprotected(EntryPoint via) throws Exception {
        Payments payments = via.payments(body);
        store.down(true);

        payments.chargeProceed(request("A", 10));
        payments.chargeProceed(request("A", 10));

        assertThat(body.runs("A")).isEqualTo(2);
        assertThat(eventTypes()).contains(IdempotencyEvent.Type.STORE_ERROR, IdempotencyEvent.Type.UNPROTECTED);
    }

    // --- keys ---------------------------------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(EntryPoint.class)
    void missingKey_isRefused_beforeTheBodyRuns(EntryPoint via) throws Exception {
        Payments payments = via.payments(body);

        assertThatThrownBy(() -> payments.charge(request(null, 10))).isInstanceOf(IdempotencyKeyException.class)
                .hasMessageContaining("missing");
        assertThatThrownBy(() -> payments.charge(request("", 10))).isInstanceOf(IdempotencyKeyException.class)
                .hasMessageContaining("empty");
        assertThatThrownBy(() -> payments.charge(request("  \t", 10))).isInstanceOf(IdempotencyKeyException.class)
                .hasMessageContaining("blank");
        assertThatThrownBy(() -> payments.chargeForTenant(null, request("A", 10)))
                .isInstanceOf(IdempotencyKeyException.class);
        assertThat(body.totalRuns()).isZero();
    }

    @Test
    void missingKey_throughTheAspect_namesTheNullSegment() {
        Payments payments = EntryPoint.ASPECT.payments(body);

        assertThatThrownBy(() -> payments.charge(null)).isInstanceOf(IdempotencyKeyException.class)
                .hasMessageContaining("#request is null")
                .hasMessageContaining("WovenPayments#charge");
        assertThatThrownBy(() -> payments.chargeForTenant(null, request("A", 10)))
                .isInstanceOf(IdempotencyKeyException.class)
                .hasMessageContaining("#tenant is null");
        assertThatThrownBy(() -> payments.charge(request(null, 10)))
                .isInstanceOf(IdempotencyKeyException.class)
                .hasMessageContaining("'#request.id' evaluated to null");
        assertThat(body.totalRuns()).isZero();
    }

    @ParameterizedTest
    @EnumSource(EntryPoint.class)
    void missingKey_withKeyRequiredFalse_runsUnprotectedEveryTime(EntryPoint via) throws Exception {
        Payments payments = via.payments(body);

        payments.chargeOptionalKey(request(null, 10));
        payments.chargeOptionalKey(request(null, 10));

        assertThat(body.totalRuns()).isEqualTo(2);
        assertThat(eventTypes()).containsOnly(IdempotencyEvent.Type.UNPROTECTED);
    }

    @ParameterizedTest
    @EnumSource(EntryPoint.class)
    void keyLongerThanTheLimit_isRefused(EntryPoint via) throws Exception {
        Payments payments = via.payments(body);

        payments.charge(request("k".repeat(255), 10));
        assertThatThrownBy(() -> payments.charge(request("k".repeat(256), 10)))
                .isInstanceOf(IdempotencyKeyException.class)
                .hasMessageContaining("256 characters").hasMessageContaining("255");

        assertThat(body.totalRuns()).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(EntryPoint.class)
    void keyLimit_isConfigurable(EntryPoint via) throws Exception {
        Idempotency.configure(config().maxKeyLength(8).build());
        Payments payments = via.payments(body);

        payments.charge(request("12345678", 10));
        assertThatThrownBy(() -> payments.charge(request("123456789", 10)))
                .isInstanceOf(IdempotencyKeyException.class);
    }

    // --- outcomes and return types --------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(EntryPoint.class)
    void outcomeThatCannotBeEncoded_isReturned_andNeverRunTwice(EntryPoint via) throws Exception {
        Payments payments = via.payments(body);

        Opaque first = payments.opaque("O");
        assertThat(first).isNotNull();
        if (store.keepsObjects()) {
            assertThat(payments.opaque("O")).isSameAs(first); // an in-process store keeps the object itself
        } else {
            assertThatThrownBy(() -> payments.opaque("O")).isInstanceOf(IdempotencyReplayException.class)
                    .hasMessageContaining("could not be recorded");
        }
        assertThat(body.runs("O")).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(EntryPoint.class)
    void genericList_comesBackAsAListOfItsType(EntryPoint via) throws Exception {
        Payments payments = via.payments(body);

        List<Order> first = payments.orders("L");
        List<Order> second = payments.orders("L");

        assertThat(second).isEqualTo(first).hasSize(2);
        assertThat(second.get(0)).isInstanceOf(Order.class);
        assertThat(body.runs("L")).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(EntryPoint.class)
    void optional_comesBackPresentOrEmpty(EntryPoint via) throws Exception {
        Payments payments = via.payments(body);

        Optional<Order> present = payments.findOrder("P");
        Optional<Order> empty = payments.findOrder("none-1");

        assertThat(payments.findOrder("P")).isEqualTo(present).containsInstanceOf(Order.class);
        assertThat(payments.findOrder("none-1")).isEqualTo(empty).isEmpty();
        assertThat(body.totalRuns()).isEqualTo(2);
    }

    @ParameterizedTest
    @EnumSource(EntryPoint.class)
    void voidAndNullResults_areRecorded(EntryPoint via) throws Exception {
        Payments payments = via.payments(body);

        payments.touch("V");
        payments.touch("V");
        assertThat(payments.nothing("N")).isNull();
        assertThat(payments.nothing("N")).isNull();

        assertThat(body.runs("V")).isEqualTo(1);
        assertThat(body.runs("N")).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(EntryPoint.class)
    void asyncResult_isRecordedWhenItCompletes_andTheClaimIsHeldUntilThen(EntryPoint via) throws Exception {
        Payments payments = via.payments(body);
        CompletableFuture<Order> pending = new CompletableFuture<>();

        CompletableFuture<Order> first = payments.async("S", pending);
        assertThat(first).isNotDone();
        Future<CompletableFuture<Order>> duplicate = inBackground(() -> payments.async("S",
                CompletableFuture.completedFuture(new Order("other", 0))));
        pending.complete(new Order("S", 7));

        assertThat(first.get(WAIT_BOUND_SECONDS, TimeUnit.SECONDS)).isEqualTo(new Order("S", 7));
        assertThat(result(duplicate).get(WAIT_BOUND_SECONDS, TimeUnit.SECONDS)).isEqualTo(new Order("S", 7));
        assertThat(payments.async("S", new CompletableFuture<>()).get(WAIT_BOUND_SECONDS, TimeUnit.SECONDS))
                .isEqualTo(new Order("S", 7));
        assertThat(body.runs("S")).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(EntryPoint.class)
    void asyncFailure_releasesTheKey(EntryPoint via) throws Exception {
        Payments payments = via.payments(body);
        IllegalStateException boom = new IllegalStateException("async boom");

        CompletableFuture<Order> failed = payments.async("S", CompletableFuture.failedFuture(boom));
        assertThatThrownBy(() -> failed.get(WAIT_BOUND_SECONDS, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).hasCause(boom);

        Order order = payments.async("S", CompletableFuture.completedFuture(new Order("S", 1)))
                .get(WAIT_BOUND_SECONDS, TimeUnit.SECONDS);
        assertThat(order).isEqualTo(new Order("S", 1));
        assertThat(body.runs("S")).isEqualTo(2);
    }

    // --- threads, interrupts, re-entrancy -------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(EntryPoint.class)
    void asyncResultCompletedOnAThreadTheEngineDoesNotOwn_isRecorded_andTheBodyRunsOnce(EntryPoint via)
            throws Exception {
        Payments payments = via.payments(body);
        ExecutorService eventLoop = Executors.newSingleThreadExecutor(runnable -> new Thread(runnable, "event-loop"));
        try {
            CompletableFuture<Order> pending = new CompletableFuture<>();
            CompletableFuture<Order> first = payments.async("E", pending);
            List<String> completedOn = new CopyOnWriteArrayList<>();
            eventLoop.execute(() -> {
                pending.complete(new Order("E", 5));
                completedOn.add(Thread.currentThread().getName());
            });

            assertThat(first.get(WAIT_BOUND_SECONDS, TimeUnit.SECONDS)).isEqualTo(new Order("E", 5));
            waitUntil(() -> !completedOn.isEmpty());
            assertThat(payments.async("E", new CompletableFuture<>()).get(WAIT_BOUND_SECONDS, TimeUnit.SECONDS))
                    .isEqualTo(new Order("E", 5));
            assertThat(body.runs("E")).isEqualTo(1);
        } finally {
            eventLoop.shutdownNow();
        }
    }

    @ParameterizedTest
    @EnumSource(EntryPoint.class)
    void bodyReturningWithTheInterruptFlagSet_isRecorded_andTheFlagIsKept(EntryPoint via) throws Exception {
        Payments payments = via.payments(body);
        Receipt first;
        try {
            body.interruptCaller(true);
            first = payments.charge(request("A", 10));
            assertThat(Thread.currentThread().isInterrupted()).as("the flag is kept for the caller").isTrue();
        } finally {
            body.interruptCaller(false);
            Thread.interrupted();
        }

        assertThat(payments.charge(request("A", 10))).isEqualTo(first);
        assertThat(body.runs("A")).isEqualTo(1);
        assertThat(eventTypes()).doesNotContain(IdempotencyEvent.Type.STORE_ERROR);
    }

    @ParameterizedTest
    @EnumSource(EntryPoint.class)
    void callMadeWithAPendingInterrupt_isProtected_evenWithProceed(EntryPoint via) throws Exception {
        Payments payments = via.payments(body);
        Receipt first;
        Receipt second;
        try {
            Thread.currentThread().interrupt();
            first = payments.chargeProceed(request("A", 10));
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
            second = payments.chargeProceed(request("A", 10));
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }

        assertThat(second).isEqualTo(first);
        assertThat(body.runs("A")).isEqualTo(1);
        assertThat(eventTypes()).doesNotContain(IdempotencyEvent.Type.UNPROTECTED,
                IdempotencyEvent.Type.STORE_ERROR);
    }

    @ParameterizedTest
    @EnumSource(EntryPoint.class)
    void reentrantCallWithTheSameKey_failsAtOnce_withoutWaitingForItself(EntryPoint via) throws Exception {
        Payments payments = via.payments(body);

        assertThatThrownBy(() -> payments.reenter(request("A", 10)))
                .isInstanceOf(IdempotencyReentrancyException.class)
                .hasMessageContaining("reenter").hasMessageContaining("same thread");

        assertThat(store.settleWatches()).as("nobody waited").isZero();
        assertThat(body.runs("A")).as("the outer body ran, the inner one did not").isEqualTo(1);
        // The outer call failed with a non-replayed exception: its claim was released.
        assertThatThrownBy(() -> payments.reenter(request("A", 10)))
                .isInstanceOf(IdempotencyReentrancyException.class);
        assertThat(body.runs("A")).isEqualTo(2);
    }

    // --- keys and payloads ------------------------------------------------------------------------------------

    @Test
    void payloadWithoutACanonicalForm_failsBeforeTheClaim_evenWithProceed() {
        IdempotentOperation<String> operation = Idempotency.operation("tck.cycle", String.class)
                .onStoreError(dev.idem.annotation.OnStoreError.PROCEED).build();
        List<Object> cycle = new ArrayList<>();
        cycle.add(cycle);

        assertThatThrownBy(() -> operation.execute("K", cycle, () -> "ran-" + body.nextSerial()))
                .isInstanceOf(IdempotencyConfigurationException.class)
                .hasMessageContaining("canonical form");
        assertThat(store.claims()).as("the store was never asked").isZero();
        assertThat(eventTypes()).doesNotContain(IdempotencyEvent.Type.UNPROTECTED);
    }

    @Test
    void namespacesAndKeysThatConcatenateAlike_neverShareARecord() {
        IdempotentOperation<String> orders = Idempotency.operation("orders", String.class).build();
        IdempotentOperation<String> ordersV2 = Idempotency.operation("orders:v2", String.class).build();

        String first = orders.execute("v2:1", "p", () -> "orders/v2:1");
        String second = ordersV2.execute("1", "p", () -> "orders:v2/1");

        assertThat(first).isEqualTo("orders/v2:1");
        assertThat(second).isEqualTo("orders:v2/1");
        assertThat(ordersV2.execute("1", "p", () -> "again")).isEqualTo("orders:v2/1");
        assertThat(orders.execute("v2:1", "p", () -> "again")).isEqualTo("orders/v2:1");
    }

    @Test
    void keysFullOfBracesAndColons_areKeptApart() {
        IdempotentOperation<String> operation = Idempotency.operation("tck.{braces}:ns", String.class).build();
        List<String> keys = List.of("{a}", "a", "{a", "a}", "}{", "%7Ba%7D", ":", "::", "a:{b}:c");

        for (String key : keys) {
            assertThat(operation.execute(key, "p", () -> "run-" + key)).isEqualTo("run-" + key);
        }
        for (String key : keys) {
            assertThat(operation.execute(key, "p", () -> "again")).isEqualTo("run-" + key);
        }
    }

    @ParameterizedTest
    @EnumSource(EntryPoint.class)
    void payloadWhoseAccessorMasksAField_isComparedByItsState(EntryPoint via) throws Exception {
        Payments payments = via.payments(body);
        Receipt first = payments.chargeCard(new Model.MaskedCard("A", "4111-1111"));

        assertThat(payments.chargeCard(new Model.MaskedCard("A", "4111-1111"))).isEqualTo(first);
        assertThatThrownBy(() -> payments.chargeCard(new Model.MaskedCard("A", "5500-0000")))
                .isInstanceOf(IdempotencyKeyReuseException.class);
        assertThat(body.runs("A")).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(EntryPoint.class)
    void outcomeThatWouldReplayAsAnotherType_isNeverReplayedWrong(EntryPoint via) throws Exception {
        Payments payments = via.payments(body);
        Object first = payments.untyped("U");
        assertThat(first).isInstanceOf(Receipt.class);

        if (store.delegate().keepsObjects()) {
            assertThat(payments.untyped("U")).isSameAs(first); // kept as the object itself
        } else {
            // Declared as Object, a Receipt would come back as a Map: recorded as unencodable instead.
            assertThatThrownBy(() -> payments.untyped("U"))
                    .isInstanceOf(IdempotencyReplayException.class)
                    .hasMessageContaining("could not be recorded");
        }
        assertThat(body.runs("U")).isEqualTo(1);
    }

    @Test
    void theLongestDurations_areAccepted_andEveryRecordStillExpires() {
        IdempotentOperation<String> operation = Idempotency.operation("tck.forever", String.class)
                .ttl(IdempotencyConfig.MAX_DURATION).lease(IdempotencyConfig.MAX_DURATION)
                .waitTimeout(IdempotencyConfig.MAX_DURATION).build();

        assertThat(operation.execute("K", "p", () -> "once")).isEqualTo("once");
        assertThat(operation.execute("K", "p", () -> "twice")).isEqualTo("once");
        assertThatThrownBy(() -> Idempotency.operation("tck.forever", String.class)
                .ttl(IdempotencyConfig.MAX_DURATION.plusMillis(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ttl");
        assertThatThrownBy(() -> Idempotency.operation("tck.forever", String.class)
                .lease(java.time.temporal.ChronoUnit.FOREVER.getDuration()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lease");
    }

    // --- ttl --------------------------------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(EntryPoint.class)
    void ttl_replaysUntilItPasses_thenTheNextCallRunsAgain(EntryPoint via) throws Exception {
        Payments payments = via.payments(body);
        Receipt first = payments.chargeShortTtl(request("A", 10));

        assertThat(payments.chargeShortTtl(request("A", 10))).isEqualTo(first);
        if (usesTheEngineClock()) {
            clock.advance(Duration.ofSeconds(2).minusMillis(1));
            assertThat(payments.chargeShortTtl(request("A", 10))).isEqualTo(first);
            clock.advance(Duration.ofMillis(2));
        }
        assertThat(body.runs("A")).isEqualTo(1);

        // Once the 2s ttl has passed (by the store's clock), the next call runs again.
        Receipt later = eventually(() -> {
            Receipt receipt = payments.chargeShortTtl(request("A", 10));
            if (receipt.serial() == first.serial()) {
                throw new IllegalStateException("still replayed");
            }
            return receipt;
        }, IllegalStateException.class);
        assertThat(later.serial()).isNotEqualTo(first.serial());
        assertThat(body.runs("A")).isEqualTo(2);
    }

    // --- concurrency --------------------------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(EntryPoint.class)
    void manyThreadsOnTheSameKeys_runEachBodyOnce_andAllGetTheSameResult(EntryPoint via) throws Exception {
        Payments payments = via.payments(body);
        int threadCount = 32;
        int keyCount = 1000;
        // Every key is called by all threads at once: they meet at a barrier before each key.
        CyclicBarrier barrier = new CyclicBarrier(threadCount);
        List<AtomicReferenceArray<String>> results = new ArrayList<>();
        List<Future<?>> workers = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(threadCount);
        try {
            for (int t = 0; t < threadCount; t++) {
                AtomicReferenceArray<String> mine = new AtomicReferenceArray<>(keyCount);
                results.add(mine);
                workers.add(pool.submit(() -> {
                    for (int k = 0; k < keyCount; k++) {
                        barrier.await(WAIT_BOUND_SECONDS, TimeUnit.SECONDS);
                        mine.set(k, payments.work("key-" + k));
                    }
                    return null;
                }));
            }
            for (Future<?> worker : workers) {
                worker.get(120, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        for (int k = 0; k < keyCount; k++) {
            assertThat(body.runs("key-" + k)).as("runs of key-%d", k).isEqualTo(1);
            String expected = results.get(0).get(k);
            assertThat(expected).startsWith("key-" + k + "#");
            for (AtomicReferenceArray<String> r : results) {
                assertThat(r.get(k)).as("result of key-%d", k).isEqualTo(expected);
            }
        }
        assertThat(body.totalRuns()).isEqualTo(keyCount);
    }

    // --- configuration ------------------------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(EntryPoint.class)
    void disabled_runsTheBodyEveryTime(EntryPoint via) throws Exception {
        Idempotency.configure(config().enabled(false).build());
        Payments payments = via.payments(body);

        payments.charge(request("A", 10));
        payments.charge(request("A", 10));

        assertThat(body.runs("A")).isEqualTo(2);
    }

    @Test
    void badAnnotations_failEveryCallBeforeTheBodyRuns_namingMethodAttributeAndText() {
        Misconfigured bad = new Misconfigured();
        ChargeRequest request = request("A", 10);
        String method = Misconfigured.class.getName() + "#";

        for (int attempt = 0; attempt < 2; attempt++) {
            assertThatThrownBy(() -> bad.unknownProperty(request))
                    .isInstanceOf(IdempotencyConfigurationException.class)
                    .hasMessageContaining(method + "unknownProperty").hasMessageContaining("key")
                    .hasMessageContaining("#request.idd").hasMessageContaining("column 10");
            assertThatThrownBy(() -> bad.danglingPlus(request))
                    .isInstanceOf(IdempotencyConfigurationException.class)
                    .hasMessageContaining(method + "danglingPlus").hasMessageContaining("#request.id +")
                    .hasMessageContaining("column");
            assertThatThrownBy(() -> bad.unknownParameter(request))
                    .isInstanceOf(IdempotencyConfigurationException.class)
                    .hasMessageContaining(method + "unknownParameter").hasMessageContaining("reqest")
                    .hasMessageContaining("column 1");
            assertThatThrownBy(() -> bad.badTtl(request))
                    .isInstanceOf(IdempotencyConfigurationException.class)
                    .hasMessageContaining(method + "badTtl").hasMessageContaining("ttl")
                    .hasMessageContaining("10x");
            assertThatThrownBy(() -> bad.hugeTtl(request))
                    .isInstanceOf(IdempotencyConfigurationException.class)
                    .hasMessageContaining(method + "hugeTtl").hasMessageContaining("ttl")
                    .hasMessageContaining("106751991167d");
            assertThatThrownBy(() -> bad.zeroLease(request))
                    .isInstanceOf(IdempotencyConfigurationException.class)
                    .hasMessageContaining(method + "zeroLease").hasMessageContaining("lease")
                    .hasMessageContaining("0s");
            assertThatThrownBy(() -> bad.badFingerprint(request))
                    .isInstanceOf(IdempotencyConfigurationException.class)
                    .hasMessageContaining(method + "badFingerprint").hasMessageContaining("fingerprint")
                    .hasMessageContaining("#request.amount.");
            assertThatThrownBy(() -> bad.unknownStore(request))
                    .isInstanceOf(IdempotencyConfigurationException.class)
                    .hasMessageContaining(method + "unknownStore").hasMessageContaining("nowhere");
        }
        assertThat(bad.runs).hasValue(0);
    }

    @Test
    void overloads_doNotShareKeysByDefault() {
        Misconfigured service = new Misconfigured();

        assertThat(service.overloaded("1")).isEqualTo("string");
        assertThat(service.overloaded(1)).isEqualTo("integer");
        assertThat(service.overloaded("1")).isEqualTo("string");
        assertThat(service.runs).hasValue(2);
    }
}
