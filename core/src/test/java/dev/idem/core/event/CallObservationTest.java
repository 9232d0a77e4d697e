package dev.idem.core.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.idem.annotation.Idempotent;
import dev.idem.annotation.OnInFlight;
import dev.idem.annotation.OnStoreError;
import dev.idem.core.Idempotency;
import dev.idem.core.IdempotencyConfig;
import dev.idem.core.IdempotencyConfigurationException;
import dev.idem.core.IdempotencyInProgressException;
import dev.idem.core.IdempotencyKeyException;
import dev.idem.core.IdempotencyKeyReuseException;
import dev.idem.core.IdempotencyReplayException;
import dev.idem.core.IdempotentOperation;
import dev.idem.core.event.IdempotencyEvent.Type;
import dev.idem.core.spi.Outcome;
import dev.idem.core.testing.InMemoryStore;
import dev.idem.core.weaving.IdempotentMethod;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What a listener sees of each call: {@link IdempotencyListener#onCallStart} and the {@link CallObservation}
 * callbacks in order, with the call's events in between, and an event for every way a call can end, including those
 * that once ended silently (missing or too long key, no canonical form, a recorded outcome that cannot be replayed,
 * a waiter that claimed the key after its holder released it).
 */
class CallObservationTest {

    /** Records every callback as a line, in order, across listeners and threads. */
    static final class Recorder implements IdempotencyListener {
        final String name;
        final List<String> log;
        /** Lines of this thread are left out (the holder's, in the tests of waiters). */
        volatile Thread ignored;

        Recorder(String name, List<String> log) {
            this.name = name;
            this.log = new java.util.AbstractList<>() {
                @Override
                public boolean add(String line) {
                    return Thread.currentThread() == ignored || log.add(line);
                }

                @Override
                public String get(int index) {
                    return log.get(index);
                }

                @Override
                public int size() {
                    return log.size();
                }
            };
        }

        @Override
        public void onEvent(IdempotencyEvent event) {
            log.add(name + " event " + event.type() + (event.detail().isEmpty() ? "" : " (" + event.detail() + ")")
                    + " store=" + event.store());
        }

        @Override
        public CallObservation onCallStart(CallStart call) {
            log.add(name + " start " + call.operation() + " store=" + call.store() + " async=" + call.async());
            return new CallObservation() {
                @Override
                public void onWaitStart() {
                    log.add(name + " wait start");
                }

                @Override
                public void onWaitEnd() {
                    log.add(name + " wait end");
                }

                @Override
                public void onEvent(IdempotencyEvent event) {
                    if (event.type() == Type.UNPROTECTED) {
                        log.add(name + " observed UNPROTECTED");
                    }
                }

                @Override
                public void onBodyStart() {
                    log.add(name + " body start");
                }

                @Override
                public void onBodyEnd() {
                    log.add(name + " body end");
                }

                @Override
                public void onEnd(Type outcome, Throwable error) {
                    log.add(name + " end " + outcome + (error == null ? "" : " " + error.getClass().getSimpleName()));
                }
            };
        }
    }

    private final List<String> log = new CopyOnWriteArrayList<>();

    @AfterEach
    void reset() {
        Idempotency.reset();
    }

    private InMemoryStore configure(InMemoryStore store, IdempotencyListener... listeners) {
        IdempotencyConfig.Builder b = IdempotencyConfig.builder().defaultStore(store).store("named", store);
        for (IdempotencyListener l : listeners) {
            b.listener(l);
        }
        Idempotency.configure(b.build());
        return store;
    }

    private List<String> drain() {
        List<String> copy = new ArrayList<>(log);
        log.clear();
        return copy;
    }

    @Test
    void executedThenReplayed_inOrder_withTheStoreName() {
        configure(InMemoryStore.keepingObjects(), new Recorder("a", log));
        IdempotentOperation<String> op = Idempotency.operation("ns", String.class).store("named").build();

        assertThat(op.execute("k", "p", () -> "r")).isEqualTo("r");
        assertThat(drain()).containsExactly("a start ns store=named async=false", "a body start", "a body end",
                "a event EXECUTED store=named", "a end EXECUTED");

        assertThat(op.execute("k", "p", () -> "other")).isEqualTo("r");
        assertThat(drain()).containsExactly("a start ns store=named async=false", "a event REPLAYED store=named",
                "a end REPLAYED");
    }

    @Test
    void theDefaultStore_isNamedDefault() {
        configure(InMemoryStore.keepingObjects(), new Recorder("a", log));
        Idempotency.operation("ns", String.class).build().execute("k", "p", () -> "r");
        assertThat(drain()).contains("a event EXECUTED store=default");
    }

    @Test
    void severalListeners_startInOrder_andEndInReverse() {
        configure(InMemoryStore.keepingObjects(), new Recorder("a", log), event -> { }, new Recorder("b", log));
        Idempotency.operation("ns", String.class).build().execute("k", "p", () -> "r");
        assertThat(drain()).containsExactly("a start ns store=default async=false",
                "b start ns store=default async=false", "a body start", "b body start", "b body end", "a body end",
                "a event EXECUTED store=default", "b event EXECUTED store=default", "b end EXECUTED",
                "a end EXECUTED");
    }

    @Test
    void aFailingObservation_neverBreaksTheCall() {
        IdempotencyListener broken = new IdempotencyListener() {
            @Override
            public void onEvent(IdempotencyEvent event) {
                throw new IllegalStateException("listener bug");
            }

            @Override
            public CallObservation onCallStart(CallStart call) {
                return new CallObservation() {
                    @Override
                    public void onBodyStart() {
                        throw new IllegalStateException("observation bug");
                    }

                    @Override
                    public void onEnd(Type outcome, Throwable error) {
                        throw new IllegalStateException("observation bug");
                    }
                };
            }
        };
        InMemoryStore store = configure(InMemoryStore.keepingObjects(), broken, new Recorder("a", log));
        assertThat(Idempotency.operation("ns", String.class).build().execute("k", "p", () -> "r")).isEqualTo("r");
        assertThat(store.completions()).isEqualTo(1);
        assertThat(drain()).contains("a body start", "a end EXECUTED");
    }

    @Test
    void aListenerThatThrowsAtStart_isSkipped() {
        IdempotencyListener broken = new IdempotencyListener() {
            @Override
            public void onEvent(IdempotencyEvent event) {
            }

            @Override
            public CallObservation onCallStart(CallStart call) {
                throw new IllegalStateException("bug");
            }
        };
        configure(InMemoryStore.keepingObjects(), broken, new Recorder("a", log));
        assertThat(Idempotency.operation("ns", String.class).build().execute("k", "p", () -> "r")).isEqualTo("r");
        assertThat(drain()).contains("a end EXECUTED");
    }

    @Test
    void aNonReplayedException_releases_andTheEndCarriesIt() {
        configure(InMemoryStore.keepingObjects(), new Recorder("a", log));
        assertThatThrownBy(() -> Idempotency.operation("ns", String.class).build().execute("k", "p", () -> {
            throw new IllegalStateException("boom");
        })).isInstanceOf(IllegalStateException.class);
        assertThat(drain()).containsExactly("a start ns store=default async=false", "a body start", "a body end",
                "a event RELEASED (java.lang.IllegalStateException) store=default",
                "a end RELEASED IllegalStateException");
    }

    @Test
    void keyReuse_isAMismatch_endingWithTheException() {
        configure(InMemoryStore.keepingObjects(), new Recorder("a", log));
        IdempotentOperation<String> op = Idempotency.operation("ns", String.class).build();
        op.execute("k", "p1", () -> "r");
        drain();
        assertThatThrownBy(() -> op.execute("k", "p2", () -> "r")).isInstanceOf(IdempotencyKeyReuseException.class);
        assertThat(drain()).containsExactly("a start ns store=default async=false",
                "a event MISMATCH (COMPLETED) store=default", "a end MISMATCH IdempotencyKeyReuseException");
    }

    @Test
    void storeErrorWithProceed_runsTheBodyInsideTheObservation_unprotected() {
        configure(InMemoryStore.keepingObjects().failClaims(new IllegalStateException("down")),
                new Recorder("a", log));
        IdempotentOperation<String> op = Idempotency.operation("ns", String.class)
                .onStoreError(OnStoreError.PROCEED).build();
        assertThat(op.execute("k", "p", () -> "r")).isEqualTo("r");
        assertThat(drain()).containsExactly("a start ns store=default async=false",
                "a event STORE_ERROR (claim: java.lang.IllegalStateException: down) store=default",
                "a event UNPROTECTED (store error) store=default", "a observed UNPROTECTED", "a body start", "a body end",
                "a end UNPROTECTED");
    }

    /** Methods whose calls end without running: each must be reported. */
    static class Service {
        @Idempotent(key = "#id")
        public String required(String id) {
            return "r";
        }

        @Idempotent(key = "#id", keyRequired = false)
        public String optional(String id) {
            return "r";
        }

        @Idempotent(key = "#id", fingerprint = "#payload")
        public String withPayload(String id, Object payload) {
            return "r";
        }
    }

    private static IdempotentMethod method(String name, Class<?>... parameters) throws NoSuchMethodException {
        return IdempotentMethod.of(Service.class.getDeclaredMethod(name, parameters));
    }

    @Test
    void aMissingKey_isRejected_orUnprotectedWhenNotRequired() throws Throwable {
        configure(InMemoryStore.keepingObjects(), new Recorder("a", log));
        IdempotentMethod required = method("required", String.class);
        assertThatThrownBy(() -> required.invoke(new Object[] {null}, () -> "r"))
                .isInstanceOf(IdempotencyKeyException.class);
        assertThat(drain()).containsExactly("a start " + Service.class.getName() + "#required store=default "
                + "async=false", "a event REJECTED (missing key) store=default",
                "a end REJECTED IdempotencyKeyException");

        assertThat(method("optional", String.class).invoke(new Object[] {null}, () -> "ran")).isEqualTo("ran");
        assertThat(drain()).containsExactly("a start " + Service.class.getName() + "#optional store=default "
                + "async=false", "a event UNPROTECTED (missing key) store=default", "a observed UNPROTECTED", "a body start", "a body end",
                "a end UNPROTECTED");
    }

    @Test
    void aBlankOrTooLongKey_isRejected() throws Throwable {
        Idempotency.configure(IdempotencyConfig.builder().defaultStore(InMemoryStore.keepingObjects())
                .maxKeyLength(3).listener(new Recorder("a", log)).build());
        IdempotentMethod required = method("required", String.class);
        assertThatThrownBy(() -> required.invoke(new Object[] {"  "}, () -> "r"))
                .isInstanceOf(IdempotencyKeyException.class);
        assertThat(drain()).contains("a event REJECTED (missing key) store=default");
        assertThatThrownBy(() -> required.invoke(new Object[] {"abcd"}, () -> "r"))
                .isInstanceOf(IdempotencyKeyException.class);
        assertThat(drain()).contains("a event REJECTED (key too long) store=default",
                "a end REJECTED IdempotencyKeyException");
    }

    @Test
    void aPayloadWithoutCanonicalForm_isRejected() throws Throwable {
        configure(InMemoryStore.keepingObjects(), new Recorder("a", log));
        List<Object> noForm = new ArrayList<>();
        noForm.add(noForm); // a cycle has no canonical form
        assertThatThrownBy(() -> method("withPayload", String.class, Object.class)
                .invoke(new Object[] {"k", noForm}, () -> "r"))
                .isInstanceOf(IdempotencyConfigurationException.class);
        assertThat(drain()).contains("a event REJECTED (no canonical form) store=default",
                "a end REJECTED IdempotencyConfigurationException");
    }

    @Test
    void aRecordedOutcomeThatCannotBeReplayed_isRejected() {
        InMemoryStore store = configure(InMemoryStore.encoding(), new Recorder("a", log));
        IdempotentOperation<Thread> op = Idempotency.operation("ns", Thread.class).build();
        assertThat(op.execute("k", "p", Thread::currentThread)).isSameAs(Thread.currentThread()); // unencodable
        assertThat(store.onlyRecord().outcome().kind()).isEqualTo(Outcome.Kind.UNENCODABLE);
        drain();
        assertThatThrownBy(() -> op.execute("k", "p", Thread::currentThread))
                .isInstanceOf(IdempotencyReplayException.class);
        assertThat(drain()).containsExactly("a start ns store=default async=false",
                "a event REJECTED (unencodable outcome) store=default", "a end REJECTED IdempotencyReplayException");
    }

    @Test
    void aWaiter_isToldWhenItsWaitStartsAndEnds_thenReplays() throws Exception {
        Recorder recorder = new Recorder("a", log);
        configure(InMemoryStore.keepingObjects(), recorder);
        IdempotentOperation<String> op = Idempotency.operation("ns", String.class).waitTimeout(java.time.Duration.ofSeconds(20)).build();
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<String> first = pool.submit(() -> op.execute("k", "p", () -> {
                recorder.ignored = Thread.currentThread();
                holding.countDown();
                await(release);
                return "r";
            }));
            assertThat(holding.await(10, TimeUnit.SECONDS)).isTrue();
            drain();
            CompletableFuture<String> second = CompletableFuture.supplyAsync(() -> op.execute("k", "p", () -> "x"));
            awaitLine("a wait start");
            release.countDown();
            assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo("r");
            assertThat(second.get(10, TimeUnit.SECONDS)).isEqualTo("r");
        } finally {
            pool.shutdownNow();
        }
        List<String> lines = drain();
        assertThat(lines).containsExactly("a start ns store=default async=false", "a wait start", "a wait end", "a event WAITED store=default",
                "a event REPLAYED store=default", "a end REPLAYED");
    }

    @Test
    void aWaiterThatClaimsAfterTheHolderReleased_reportsWaited_thenRunsTheBody() throws Exception {
        Recorder recorder = new Recorder("a", log);
        configure(InMemoryStore.keepingObjects(), recorder);
        IdempotentOperation<String> op = Idempotency.operation("ns", String.class).waitTimeout(java.time.Duration.ofSeconds(20)).build();
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<?> first = pool.submit(() -> {
                try {
                    op.execute("k", "p", () -> {
                        recorder.ignored = Thread.currentThread();
                holding.countDown();
                        await(release);
                        throw new IllegalStateException("released");
                    });
                } catch (IllegalStateException expected) {
                    // the holder fails: its claim is released
                }
            });
            assertThat(holding.await(10, TimeUnit.SECONDS)).isTrue();
            drain();
            CompletableFuture<String> second = CompletableFuture.supplyAsync(() -> op.execute("k", "p", () -> "mine"));
            awaitLine("a wait start");
            release.countDown();
            first.get(10, TimeUnit.SECONDS);
            assertThat(second.get(10, TimeUnit.SECONDS)).isEqualTo("mine");
        } finally {
            pool.shutdownNow();
        }
        List<String> lines = drain();
        assertThat(lines).containsExactly("a start ns store=default async=false", "a wait start", "a wait end", "a event WAITED (then claimed) store=default",
                "a body start", "a body end", "a event EXECUTED store=default", "a end EXECUTED");
    }

    @Test
    void aRejectedDuplicate_endsWithTheInProgressException() throws Exception {
        configure(InMemoryStore.keepingObjects(), new Recorder("a", log));
        IdempotentOperation<String> op = Idempotency.operation("ns", String.class)
                .onInFlight(OnInFlight.REJECT).build();
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<String> first = pool.submit(() -> op.execute("k", "p", () -> {
                holding.countDown();
                await(release);
                return "r";
            }));
            assertThat(holding.await(10, TimeUnit.SECONDS)).isTrue();
            drain();
            assertThatThrownBy(() -> op.execute("k", "p", () -> "x"))
                    .isInstanceOf(IdempotencyInProgressException.class);
            assertThat(drain()).containsExactly("a start ns store=default async=false",
                    "a event REJECTED (in flight) store=default", "a end REJECTED IdempotencyInProgressException");
            release.countDown();
            assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo("r");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aWaitThatTimesOut_endsTheWaitThenRejects() throws Exception {
        configure(InMemoryStore.keepingObjects(), new Recorder("a", log));
        IdempotentOperation<String> op = Idempotency.operation("ns", String.class).waitTimeout(java.time.Duration.ofMillis(50)).build();
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<String> first = pool.submit(() -> op.execute("k", "p", () -> {
                holding.countDown();
                await(release);
                return "r";
            }));
            assertThat(holding.await(10, TimeUnit.SECONDS)).isTrue();
            drain();
            assertThatThrownBy(() -> op.execute("k", "p", () -> "x"))
                    .isInstanceOf(IdempotencyInProgressException.class);
            assertThat(drain()).containsExactly("a start ns store=default async=false", "a wait start",
                    "a wait end", "a event REJECTED (wait timed out) store=default",
                    "a end REJECTED IdempotencyInProgressException");
            release.countDown();
            first.get(10, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void anAsynchronousCall_endsWhenItsStageCompletes_onThatThread() throws Exception {
        configure(InMemoryStore.keepingObjects(), new Recorder("a", log));
        IdempotentOperation<String> op = Idempotency.operation("ns", String.class).build();
        CompletableFuture<String> body = new CompletableFuture<>();
        CompletionStage<String> result = op.executeAsync("k", "p", () -> body);
        assertThat(drain()).containsExactly("a start ns store=default async=true", "a body start", "a body end");
        body.complete("r");
        assertThat(result.toCompletableFuture().get(10, TimeUnit.SECONDS)).isEqualTo("r");
        awaitLine("a end EXECUTED");
        assertThat(drain()).containsExactly("a event EXECUTED store=default", "a end EXECUTED");

        assertThat(op.executeAsync("k", "p", () -> body).toCompletableFuture().get(10, TimeUnit.SECONDS))
                .isEqualTo("r");
        assertThat(drain()).containsExactly("a start ns store=default async=true", "a event REPLAYED store=default",
                "a end REPLAYED");
    }

    @Test
    void nobodyListening_meansNoObservation() {
        InMemoryStore store = configure(InMemoryStore.keepingObjects());
        assertThat(Idempotency.operation("ns", String.class).build().execute("k", "p", () -> "r")).isEqualTo("r");
        assertThat(store.completions()).isEqualTo(1);
        assertThat(log).isEmpty();
    }

    private void awaitLine(String line) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!log.contains(line)) {
            assertThat(System.nanoTime() - deadline).as("waiting for '" + line + "' in " + log).isNegative();
            Thread.sleep(5); // poll interval of a bounded condition wait
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("not released in time");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
