package dev.idem.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import dev.idem.annotation.OnInFlight;
import dev.idem.annotation.OnStoreError;
import dev.idem.core.Idempotency;
import dev.idem.core.IdempotencyConfig;
import dev.idem.core.IdempotencyInProgressException;
import dev.idem.core.IdempotencyKeyException;
import dev.idem.core.IdempotencyKeyReuseException;
import dev.idem.core.IdempotencyStoreException;
import dev.idem.core.IdempotentOperation;
import dev.idem.core.spi.ClaimResult;
import dev.idem.core.spi.Fingerprint;
import dev.idem.core.spi.IdempotencyStore;
import dev.idem.core.spi.StoreKeys;
import dev.idem.core.spi.StoredRecord;
import dev.idem.testing.MutableClock;
import io.micrometer.common.KeyValue;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.LongTaskTimer;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What {@link MicrometerIdempotencyListener} makes of real calls on a real store: exact meter values, observation
 * names and tags, after a scripted sequence that reaches every decision of the engine. A store's test class extends
 * this; the script is the same for every store, only how a lease lapses and how the store breaks differ.
 *
 * <p>The listener reports to a {@link TestObservationRegistry} (which also checks that every observation is started,
 * scoped and stopped correctly) with a {@link DefaultMeterObservationHandler}, and counts in a
 * {@link SimpleMeterRegistry}. Concurrency is staged with latches and conditions awaited with a bound, never sleeps.
 */
abstract class MicrometerListenerSuite {
    static final String PREFIX = "metrics:";
    /** Every caller key starts with this, so that the test can prove no key reached a tag or a name. */
    static final String KEY_MARK = "secret-key-";
    private static final long BOUND_SECONDS = 20;
    private static final java.util.function.Predicate<Observation.ContextView> WAITER_CALL = parent ->
            "idem.call".equals(parent.getName())
                    && "replayed".equals(parent.getLowCardinalityKeyValue("idem.outcome").getValue());

    protected MutableClock clock;
    protected ControllableStore store;
    private TestObservationRegistry observations;
    private SimpleMeterRegistry meters;
    private ExecutorService threads;
    private final List<Gate> gates = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** The name the test registers its store under: the {@code idem.store} tag. */
    protected abstract String storeName();

    /** A fresh, empty store for one test. */
    protected abstract IdempotencyStore createStore() throws Exception;

    /** Makes every later operation of the store fail. */
    protected abstract void breakStore() throws Exception;

    /** Lets a claim's lease (of {@code leaseMillis}) lapse in the store, or starts letting it lapse. */
    protected abstract void lapse(long leaseMillis) throws Exception;

    /** Releases what {@link #createStore()} made. */
    protected void closeStore() throws Exception {
    }

    @BeforeEach
    void configure() throws Exception {
        clock = MutableClock.startingNow();
        store = new ControllableStore(createStore());
        observations = TestObservationRegistry.create();
        meters = new SimpleMeterRegistry();
        observations.observationConfig().observationHandler(new DefaultMeterObservationHandler(meters));
        threads = Executors.newCachedThreadPool();
        Idempotency.configure(IdempotencyConfig.builder()
                .discoverDefaultStore(false)
                .store(storeName(), store)
                .clock(clock)
                .keyPrefix(PREFIX)
                .listener(MicrometerIdempotencyListener.builder(observations).meterRegistry(meters).build())
                .build());
    }

    @AfterEach
    void tearDown() throws Exception {
        gates.forEach(gate -> gate.open.countDown());
        threads.shutdownNow();
        Idempotency.reset();
        closeStore();
    }

    private <T> IdempotentOperation.Builder<T> operation(String namespace, Class<T> type) {
        return Idempotency.operation(namespace, type).store(storeName());
    }

    private static String key(String name) {
        return KEY_MARK + name;
    }

    // --- the script ---------------------------------------------------------------------------------------------

    @Test
    void everyDecision_isCountedTimedAndTagged_exactly() throws Exception {
        IdempotentOperation<Integer> orders = operation("m.orders", Integer.class).build();
        IdempotentOperation<Integer> waits = operation("m.wait", Integer.class).build();
        IdempotentOperation<Integer> rejecting = operation("m.reject", Integer.class)
                .onInFlight(OnInFlight.REJECT).build();
        long lease = 1_000;
        IdempotentOperation<Integer> leased = operation("m.lease", Integer.class)
                .lease(Duration.ofMillis(lease)).build();
        IdempotentOperation<Integer> optional = operation("m.optional", Integer.class).keyRequired(false).build();
        IdempotentOperation<Integer> tolerant = operation("m.tolerant", Integer.class)
                .onStoreError(OnStoreError.PROCEED).build();

        // executed, replayed, mismatch (same key, other payload), rejected (no key), released (not replayed)
        assertThat(orders.execute(key("A"), "p", () -> 1)).isEqualTo(1);
        assertThat(orders.execute(key("A"), "p", () -> 2)).isEqualTo(1);
        assertThatThrownBy(() -> orders.execute(key("A"), "q", () -> 3))
                .isInstanceOf(IdempotencyKeyReuseException.class);
        assertThatThrownBy(() -> orders.execute(null, "p", () -> 4)).isInstanceOf(IdempotencyKeyException.class);
        assertThatThrownBy(() -> orders.execute(key("B"), "p", () -> {
            throw new IllegalStateException("declined");
        })).isInstanceOf(IllegalStateException.class);

        // waited: a duplicate waits for a holder that the test keeps in its body, then replays its outcome
        Gate holding = gate();
        Future<Integer> holder = inBackground(() -> waits.execute(key("W"), "p", () -> holding.pass(10)));
        holding.awaitEntered();
        assertThat(heldClaims()).as("the holder's claim").isEqualTo(1.0);
        Future<Integer> waiter = inBackground(() -> waits.execute(key("W"), "p", () -> 11));
        awaitCondition("the duplicate waits", () -> activeTasks("idem.wait") == 1);
        assertThat(activeTasks("idem.call")).as("two calls running").isEqualTo(2);
        holding.open();
        assertThat(result(holder)).isEqualTo(10);
        assertThat(result(waiter)).as("the waiter replays the holder's outcome").isEqualTo(10);
        assertThat(heldClaims()).isZero();

        // rejected: a duplicate of a running call, with REJECT
        Gate rejectHolding = gate();
        Future<Integer> rejectHolder = inBackground(() -> rejecting.execute(key("R"), "p", () -> rejectHolding.pass(20)));
        rejectHolding.awaitEntered();
        assertThatThrownBy(() -> rejecting.execute(key("R"), "p", () -> 21))
                .isInstanceOf(IdempotencyInProgressException.class);
        rejectHolding.open();
        assertThat(result(rejectHolder)).isEqualTo(20);

        // lease lost: the body outlives its lease (renewals never reach the store) and another owner claims the key
        store.swallowRenewals();
        String leasedKey = storedKey("m.lease", key("L"));
        Gate slowBody = gate();
        Future<Integer> slow = inBackground(() -> leased.execute(key("L"), "p", () -> slowBody.pass(30)));
        slowBody.awaitEntered();
        assertThat(claimDirectly(leasedKey, "probe")).as("the holder's claim, under the key the test computed")
                .isInstanceOfSatisfying(StoredRecord.class, record -> assertThat(record.isInFlight()).isTrue());
        lapse(lease);
        awaitCondition("another owner claims the lapsed key",
                () -> claimDirectly(leasedKey, "new-owner") == ClaimResult.CLAIMED);
        slowBody.open();
        assertThat(result(slow)).as("the caller keeps its result").isEqualTo(30);

        // unprotected: no key, keyRequired = false; the body holds no claim
        AtomicReference<Double> heldInUnprotectedBody = new AtomicReference<>();
        assertThat(optional.execute(null, "p", () -> {
            heldInUnprotectedBody.set(heldClaims());
            return 40;
        })).isEqualTo(40);
        assertThat(heldInUnprotectedBody).hasValue(0.0);

        // store error: fail closed, or run unprotected with PROCEED
        breakStore();
        assertThatThrownBy(() -> orders.execute(key("S"), "p", () -> 5)).isInstanceOf(IdempotencyStoreException.class);
        heldInUnprotectedBody.set(null);
        assertThat(tolerant.execute(key("T"), "p", () -> {
            heldInUnprotectedBody.set(heldClaims());
            return 50;
        })).isEqualTo(50);
        assertThat(heldInUnprotectedBody).as("PROCEED runs without a claim").hasValue(0.0);

        assertThat(eventCounts()).containsExactlyInAnyOrderEntriesOf(Map.ofEntries(
                entry("m.orders executed", 1.0), entry("m.orders replayed", 1.0), entry("m.orders mismatch", 1.0),
                entry("m.orders rejected", 1.0), entry("m.orders released", 1.0), entry("m.orders store-error", 1.0),
                entry("m.wait executed", 1.0), entry("m.wait waited", 1.0), entry("m.wait replayed", 1.0),
                entry("m.reject executed", 1.0), entry("m.reject rejected", 1.0),
                entry("m.lease lease-lost", 1.0),
                entry("m.optional unprotected", 1.0),
                entry("m.tolerant store-error", 1.0), entry("m.tolerant unprotected", 1.0)));
        Map<String, Long> calls = Map.ofEntries(
                entry("m.orders executed", 1L), entry("m.orders replayed", 1L), entry("m.orders mismatch", 1L),
                entry("m.orders rejected", 1L), entry("m.orders released", 1L), entry("m.orders store-error", 1L),
                entry("m.wait executed", 1L), entry("m.wait replayed", 1L),
                entry("m.reject executed", 1L), entry("m.reject rejected", 1L),
                entry("m.lease lease-lost", 1L),
                entry("m.optional unprotected", 1L),
                entry("m.tolerant unprotected", 1L));
        assertThat(callTimerCounts()).containsExactlyInAnyOrderEntriesOf(calls);
        assertThat(timer("idem.call", "m.orders", "released").getId().getTag("error"))
                .isEqualTo("IllegalStateException");
        assertThat(timer("idem.call", "m.orders", "mismatch").getId().getTag("error"))
                .isEqualTo("IdempotencyKeyReuseException");
        assertThat(timer("idem.call", "m.orders", "executed").getId().getTag("error")).isEqualTo("none");
        assertThat(meters.find("idem.wait").timers()).singleElement().satisfies(wait -> {
            assertThat(wait.count()).isEqualTo(1);
            assertThat(wait.getId().getTag("idem.operation")).isEqualTo("m.wait");
            assertThat(wait.getId().getTag("idem.store")).isEqualTo(storeName());
        });
        assertThat(heldClaims()).isZero();
        assertThat(activeTasks("idem.call")).isZero();

        TestObservationRegistryAssert.assertThat(observations)
                .doesNotHaveAnyRemainingCurrentObservation()
                .hasNumberOfObservationsWithNameEqualTo("idem.call", 13)
                .hasNumberOfObservationsWithNameEqualTo("idem.wait", 1)
                .forAllObservationsWithNameEqualTo("idem.call", call -> call
                        .hasLowCardinalityKeyValue("idem.store", storeName()))
                .forAllObservationsWithNameEqualTo("idem.wait", wait -> wait
                        .hasLowCardinalityKeyValue("idem.operation", "m.wait")
                        .hasLowCardinalityKeyValue("idem.store", storeName())
                        .hasParentObservationContextMatching(WAITER_CALL, "the waiter's idem.call, which replayed"))
                .hasHandledContextsThatSatisfy(contexts -> {
                    Map<String, Long> outcomes = new TreeMap<>();
                    for (Observation.Context context : contexts) {
                        if ("idem.call".equals(context.getName())) {
                            String operation = context.getLowCardinalityKeyValue("idem.operation").getValue();
                            assertThat(context.getLowCardinalityKeyValue("idem.namespace").getValue())
                                    .isEqualTo(operation);
                            assertThat(context.getContextualName()).isEqualTo("idem " + operation);
                            outcomes.merge(context.getLowCardinalityKeyValue("idem.operation").getValue() + " "
                                    + context.getLowCardinalityKeyValue("idem.outcome").getValue(), 1L, Long::sum);
                        }
                        assertThat(context.getContextualName()).doesNotContain(KEY_MARK);
                        for (KeyValue tag : context.getAllKeyValues()) {
                            assertThat(tag.getKey() + "=" + tag.getValue()).doesNotContain(KEY_MARK);
                        }
                    }
                    assertThat(outcomes).containsExactlyInAnyOrderEntriesOf(calls);
                });
        for (Meter meter : meters.getMeters()) {
            assertThat(meter.getId().getName()).doesNotContain(KEY_MARK);
            for (Tag tag : meter.getId().getTags()) {
                assertThat(tag.getKey() + "=" + tag.getValue()).as(meter.getId().toString()).doesNotContain(KEY_MARK);
            }
        }
    }

    @Test
    void body_runsInTheScopeOfItsCallsObservation_soTracersNestItsSpans() {
        IdempotentOperation<String> op = operation("m.scope", String.class).build();
        AtomicReference<Observation> inBody = new AtomicReference<>();
        assertThat(op.execute(key("S"), "p", () -> {
            inBody.set(observations.getCurrentObservation());
            return "v";
        })).isEqualTo("v");

        assertThat(inBody.get()).isNotNull();
        assertThat(inBody.get().getContext()).isInstanceOfSatisfying(IdempotencyObservationContext.class, context -> {
            assertThat(context.getName()).isEqualTo("idem.call");
            assertThat(context.getOperation()).isEqualTo("m.scope");
            assertThat(context.getNamespace()).isEqualTo("m.scope");
            assertThat(context.getStore()).isEqualTo(storeName());
            assertThat(context.isAsync()).isFalse();
            assertThat(context.getOutcome()).isEqualTo(dev.idem.core.event.IdempotencyEvent.Type.EXECUTED);
        });
        assertThat(observations.getCurrentObservation()).as("the scope closed with the body").isNull();
        TestObservationRegistryAssert.assertThat(observations).doesNotHaveAnyRemainingCurrentObservation()
                .hasSingleObservationThat().hasNameEqualTo("idem.call")
                .hasLowCardinalityKeyValue("idem.outcome", "executed");
    }

    @Test
    void asyncCall_endsWhenItsStageCompletes_andHoldsItsClaimUntilThen() throws Exception {
        IdempotentOperation<String> op = operation("m.async", String.class).build();
        CompletableFuture<String> stage = new CompletableFuture<>();
        CompletableFuture<String> result = op.executeAsync(key("A"), "p", () -> stage);

        assertThat(result).isNotDone();
        assertThat(heldClaims()).as("held until the stage completes").isEqualTo(1.0);
        assertThat(meters.find("idem.call").timers()).as("not ended").isEmpty();
        assertThat(activeTasks("idem.call")).isEqualTo(1);

        stage.complete("done");
        assertThat(result.get(BOUND_SECONDS, TimeUnit.SECONDS)).isEqualTo("done");
        awaitCondition("the call ended", () -> heldClaims() == 0 && !meters.find("idem.call").timers().isEmpty());
        assertThat(callTimerCounts()).containsExactly(entry("m.async executed", 1L));
        assertThat(eventCounts()).containsExactly(entry("m.async executed", 1.0));

        assertThat(op.executeAsync(key("A"), "p", () -> CompletableFuture.completedFuture("again"))
                .get(BOUND_SECONDS, TimeUnit.SECONDS)).isEqualTo("done");
        awaitCondition("the replay ended", () -> callTimerCounts().size() == 2);
        assertThat(callTimerCounts()).containsExactlyInAnyOrderEntriesOf(
                Map.of("m.async executed", 1L, "m.async replayed", 1L));
        TestObservationRegistryAssert.assertThat(observations)
                .hasNumberOfObservationsWithNameEqualTo("idem.call", 2)
                .doesNotHaveAnyRemainingCurrentObservation();
    }

    // --- helpers ------------------------------------------------------------------------------------------------

    /** The {@code idem.events} counters as "operation event" to count; checks their namespace and store tags. */
    private Map<String, Double> eventCounts() {
        Map<String, Double> counts = new TreeMap<>();
        for (Counter counter : meters.find(MicrometerIdempotencyListener.EVENTS).counters()) {
            Meter.Id id = counter.getId();
            assertThat(id.getTag("idem.store")).as(id.toString()).isEqualTo(storeName());
            assertThat(id.getTag("idem.namespace")).as(id.toString()).isEqualTo(id.getTag("idem.operation"));
            counts.merge(id.getTag("idem.operation") + " " + id.getTag(MicrometerIdempotencyListener.EVENT_TAG),
                    counter.count(), Double::sum);
        }
        return counts;
    }

    /** The {@code idem.call} timers' counts as "operation outcome" to count, over their error tags. */
    private Map<String, Long> callTimerCounts() {
        Map<String, Long> counts = new TreeMap<>();
        for (Timer timer : meters.find("idem.call").timers()) {
            Meter.Id id = timer.getId();
            assertThat(id.getTag("idem.store")).as(id.toString()).isEqualTo(storeName());
            counts.merge(id.getTag("idem.operation") + " " + id.getTag("idem.outcome"), timer.count(), Long::sum);
        }
        return counts;
    }

    private Timer timer(String name, String operation, String outcome) {
        return meters.get(name).tag("idem.operation", operation).tag("idem.outcome", outcome).timer();
    }

    private double heldClaims() {
        return meters.get(MicrometerIdempotencyListener.CLAIMS_HELD).tag("idem.store", storeName()).gauge().value();
    }

    /** Running observations of a name: the meter handler's {@code .active} long task timers. */
    private int activeTasks(String name) {
        return meters.find(name + ".active").longTaskTimers().stream().mapToInt(LongTaskTimer::activeTasks).sum();
    }

    private String storedKey(String namespace, String key) {
        return StoreKeys.of(store.isShared() ? PREFIX : "", namespace, key);
    }

    private ClaimResult claimDirectly(String key, String token) {
        return store.delegate().claim(key, token, Fingerprint.NONE, clock.millis(), 60_000)
                .toCompletableFuture().join();
    }

    private <T> Future<T> inBackground(Callable<T> call) {
        return threads.submit(call);
    }

    private static <T> T result(Future<T> future) throws Exception {
        return future.get(BOUND_SECONDS, TimeUnit.SECONDS);
    }

    /** Waits, with a bound, until the condition holds. */
    static void awaitCondition(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(BOUND_SECONDS);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + BOUND_SECONDS + " s: " + what);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
    }

    private Gate gate() {
        Gate gate = new Gate();
        gates.add(gate);
        return gate;
    }

    /** Holds a body until the test opens it, and tells the test when the body is in. */
    static final class Gate {
        private final CountDownLatch entered = new CountDownLatch(1);
        private final CountDownLatch open = new CountDownLatch(1);

        int pass(int value) {
            entered.countDown();
            try {
                if (!open.await(BOUND_SECONDS, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("the test never opened the gate");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            return value;
        }

        void awaitEntered() throws InterruptedException {
            assertThat(entered.await(BOUND_SECONDS, TimeUnit.SECONDS)).as("the body started").isTrue();
        }

        void open() {
            open.countDown();
        }
    }
}
