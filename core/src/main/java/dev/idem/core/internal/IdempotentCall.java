package dev.idem.core.internal;

import dev.idem.annotation.OnInFlight;
import dev.idem.annotation.OnStoreError;
import dev.idem.core.IdempotencyConfig;
import dev.idem.core.IdempotencyConfigurationException;
import dev.idem.core.IdempotencyInProgressException;
import dev.idem.core.IdempotencyKeyException;
import dev.idem.core.IdempotencyKeyReuseException;
import dev.idem.core.IdempotencyReentrancyException;
import dev.idem.core.IdempotencyReplayException;
import dev.idem.core.IdempotencyStoreException;
import dev.idem.core.event.CallObservation;
import dev.idem.core.event.IdempotencyEvent.Type;
import dev.idem.core.spi.ClaimResult;
import dev.idem.core.spi.Fingerprint;
import dev.idem.core.spi.IdempotencyStore;
import dev.idem.core.spi.Outcome;
import dev.idem.core.spi.StoreKey;
import dev.idem.core.spi.StoreKeys;
import dev.idem.core.spi.StoredRecord;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;

/**
 * The engine: one idempotent call, from the caller's key to the value it returns. It is the one implementation of the
 * semantics table, shared by every entry point (the aspect, Spring AOP, the programmatic API), so that they cannot
 * drift apart. The state of a call lives in this object's fields; each method below is one step of the story.
 *
 * <h2>How a call goes</h2>
 * <ol>
 * <li>Before anything touches the store, the call's fingerprint is checked: a payload without a canonical form fails
 * here, as a configuration error, whatever the store and the store-error policy. A call that claims the key freezes
 * its fingerprint (a snapshot, or the hash) before its body runs and can change the arguments. A key that this thread already holds
 * (the method reached itself) fails here too, at once.</li>
 * <li>One atomic {@link IdempotencyStore#claim} either claims the key ({@code IN_FLIGHT} with a fresh owner token)
 * or returns the live record. This is the only store operation of a replay: one round trip on a remote store, one
 * lock-free read on the local one.</li>
 * <li>A live record is checked against the caller's fingerprint on every path that could return its outcome
 * (completed, after a wait). A completed one is replayed; an in-flight one is waited for ({@code WAIT}: on the
 * store's settle stage, never by polling, and never past the holder's remaining lease as the store reported it, so a
 * dead holder's key is taken over as soon as its lease lapses) or refused ({@code REJECT}).</li>
 * <li>The claimer renews its lease in the background while the body runs, then records the outcome with
 * {@link IdempotencyStore#complete}, which only the current owner token can do: a holder whose lease lapsed can never
 * overwrite a newer owner. A non-replayed exception releases the claim instead, so the next call runs again.</li>
 * </ol>
 *
 * <h2>Threads</h2>
 * Store operations are asynchronous. The engine waits for them only on the caller's own thread, for a synchronous
 * call (and for the claim of an asynchronous one), and then without heeding the interrupt flag: an interrupt is not a
 * store failure, so the outcome is still recorded and the flag is left set for the caller. When an asynchronous body's
 * stage completes, on whatever thread (a store's I/O thread, an event loop), the engine only starts the store
 * operation and completes the caller's future when it answers, handing that completion to the configured executor
 * when the answer arrives on another thread, so the caller's continuations never run on a store's I/O thread. The
 * engine holds no locks, which suits virtual threads.
 *
 * <p>Error policy: a store failure before the body runs fails closed ({@link IdempotencyStoreException}) unless the
 * method chose {@code PROCEED}; a store failure after the body ran never costs the caller its result or its
 * exception: it is logged and reported.
 */
public final class IdempotentCall {
    private static final long SETTLE_FAILURE_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private final IdempotencyConfig config;
    private final OperationSpec spec;
    private final String callerKey;
    private final Fingerprint fingerprint;
    private final Body body;
    /** When the call started, for the events' latency: 0 when nobody listens. */
    private final long start;
    /** What follows this call for the listeners, or null when none does. */
    private final CallObservation observation;
    /** The type of the last event of this call, for the observation's end. */
    private Type lastType;
    /** Whether the observation was told that a wait started and not yet that it ended. */
    private boolean waiting;
    private IdempotencyStore store;
    /** The stored key: the method's base (prefix, namespace) and the caller's key ({@link StoreKeys}). */
    private StoreKey key;
    private String token;
    private boolean replayed;
    /** Why the call has no key, or null. */
    private String missingKey;
    /** When a duplicate stops waiting ({@link System#nanoTime}), or 0 before it first waits. */
    private long waitDeadline;

    /**
     * One call; nothing happens until {@link #execute()}.
     *
     * @param config the configuration in force
     * @param spec the method's settings
     * @param key the caller's key, not null (a call without one is made by {@link #withoutKey})
     * @param fingerprint the call's payload fingerprint
     * @param body the method body
     */
    public IdempotentCall(IdempotencyConfig config, OperationSpec spec, String key, Fingerprint fingerprint,
            Body body) {
        this.config = config;
        this.spec = spec;
        this.callerKey = key;
        this.fingerprint = fingerprint;
        this.body = body;
        if (config.listeners().isEmpty()) {
            this.start = 0;
            this.observation = null;
        } else {
            this.start = System.nanoTime();
            this.observation = Events.observe(config, spec);
        }
    }

    /**
     * A call without a key: its {@link #execute()} throws an {@link IdempotencyKeyException}, or with
     * {@code keyRequired = false} runs the body unprotected.
     *
     * @param config the configuration in force
     * @param spec the method's settings
     * @param why why there is no key, for the message
     * @param body the method body
     * @return the call
     */
    public static IdempotentCall withoutKey(IdempotencyConfig config, OperationSpec spec, String why, Body body) {
        IdempotentCall call = new IdempotentCall(config, spec, null, Fingerprint.NONE, body);
        call.missingKey = why;
        return call;
    }

    private CallResult runWithoutKey(String why) throws Throwable {
        if (spec.keyRequired()) {
            emit(Type.REJECTED, "missing key");
            throw new IdempotencyKeyException("the idempotency key of " + spec.operation() + " is missing: " + why
                    + "; the method did not run");
        }
        if (spec.memo().missingKeyLogged.compareAndSet(false, true)) {
            Events.LOG.log(System.Logger.Level.WARNING, "the idempotency key of {0} is missing ({1}); running it "
                    + "unprotected because keyRequired = false (logged once per method)", spec.operation(), why);
        }
        emit(Type.UNPROTECTED, "missing key");
        return CallResult.ran(runObserved());
    }

    /**
     * Runs the call: claims the key, then runs the body and records its outcome, or replays, waits or refuses.
     *
     * @return the value for the caller and whether it was replayed
     * @throws Throwable what the body throws (or a replayed failure), unchanged, or an {@code IdempotencyException}
     */
    public CallResult execute() throws Throwable {
        if (observation == null) {
            return run();
        }
        CallResult result;
        try {
            result = run();
        } catch (Throwable failure) {
            end(failure);
            throw failure;
        }
        if (spec.async() && result.value() instanceof CompletionStage<?> stage) {
            stage.whenComplete((value, error) -> end(error == null ? null : Stages.unwrap(error)));
        } else {
            end(null);
        }
        return result;
    }

    /** Tells the observation that the call is over, with the type of its last event. */
    private void end(Throwable error) {
        endWait();
        Type outcome = lastType == null ? Type.EXECUTED : lastType;
        Events.tell(observation, o -> o.onEnd(outcome, error));
    }

    private void endWait() {
        if (waiting) {
            waiting = false;
            Events.tell(observation, CallObservation::onWaitEnd);
        }
    }

    /** Runs the body, inside the observation's body callbacks when there is one. */
    private Object runObserved() throws Throwable {
        if (observation == null) {
            return body.run();
        }
        Events.tell(observation, CallObservation::onBodyStart);
        try {
            return body.run();
        } finally {
            Events.tell(observation, CallObservation::onBodyEnd);
        }
    }

    private CallResult run() throws Throwable {
        if (missingKey != null) {
            return runWithoutKey(missingKey);
        }
        if (callerKey.isBlank()) {
            return runWithoutKey("the key is " + (callerKey.isEmpty() ? "empty" : "blank"));
        }
        if (callerKey.length() > config.maxKeyLength()) {
            emit(Type.REJECTED, "key too long");
            throw new IdempotencyKeyException("the key of " + spec.operation() + " is " + callerKey.length()
                    + " characters long, more than the limit of " + config.maxKeyLength()
                    + " (IdempotencyConfig.Builder#maxKeyLength)");
        }
        resolveKey();
        checkFingerprint();
        HeldKeys held = HeldKeys.current();
        if (held.contains(store, key)) {
            emit(Type.REJECTED, "re-entrant call");
            throw new IdempotencyReentrancyException("a call of " + spec.operation() + " reached the same key again "
                    + "on the same thread while the first call with that key was still running there (the method "
                    + "calls itself with the same key); the inner call did not run");
        }
        Object value = claimAndRun(held);
        return new CallResult(value, replayed);
    }

    /** The store, and the stored key: escaped prefix (for a shared store), namespace and caller's key. */
    private void resolveKey() {
        try {
            store = StoreLookup.storeOf(config, spec.storeName(), spec.operation());
        } catch (IdempotencyConfigurationException e) {
            emit(Type.REJECTED, "no store");
            throw e;
        }
        key = spec.keyBase(config, store.isShared()).key(callerKey);
    }

    /**
     * The {@code nowMillis} for a store operation: the engine's clock for a store that judges expiry by it, else 0
     * without reading the clock ({@link IdempotencyStore#usesEngineClock()}).
     */
    static long now(IdempotencyStore store, IdempotencyConfig config) {
        return store.usesEngineClock() ? config.clock().millis() : 0;
    }

    /** Checks the fingerprint before the claim: a payload without a canonical form is the caller's error. */
    private void checkFingerprint() {
        if (fingerprint instanceof PayloadFingerprint payload) {
            try {
                payload.check();
            } catch (IllegalArgumentException e) {
                throw noCanonicalForm(e);
            }
        }
    }

    private IdempotencyConfigurationException noCanonicalForm(IllegalArgumentException e) {
        emit(Type.REJECTED, "no canonical form");
        return new IdempotencyConfigurationException("the fingerprint payload of " + spec.operation() + ": "
                + e.getMessage() + "; choose the payload with @Idempotent(fingerprint = ...), or \"none\"; the method "
                + "did not run", e);
    }

    /**
     * Claims the key or reads its record, until the body runs, the outcome is replayed or the call is refused. The
     * most frequent answer, a completed record of the same payload given at once (a local store's replay), is
     * replayed here; every other goes to {@link #claimLoop}. Keeping this path short keeps it small enough for the
     * JIT to compile it into the caller whatever else it compiled first.
     */
    private Object claimAndRun(HeldKeys held) throws Throwable {
        token = Tokens.current(held);
        CompletableFuture<ClaimResult> first = claimStage();
        if (first.isDone() && !first.isCompletedExceptionally() && first.getNow(null) instanceof StoredRecord record
                && !record.isInFlight() && matches(record.fingerprint())) {
            return replay(record.outcome());
        }
        return claimLoop(held, first);
    }

    /** The store's claim, as a future; a store that throws gives a failed one (handled as a failed claim). */
    private CompletableFuture<ClaimResult> claimStage() {
        try {
            return store.claim(key, token, fingerprint, now(store, config), spec.leaseMillis()).toCompletableFuture();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** The claim's answer {@code first}, then each re-read after a wait, until the call runs, replays or is refused. */
    private Object claimLoop(HeldKeys held, CompletableFuture<ClaimResult> first) throws Throwable {
        CompletableFuture<ClaimResult> next = first;
        while (true) {
            ClaimResult claim;
            try {
                CompletableFuture<ClaimResult> stage = next != null ? next : claimStage();
                next = null;
                claim = Stages.join(stage);
            } catch (RuntimeException e) {
                Tokens.retire(held); // the store may have applied the claim after all: never offer this token again
                return onStoreFailure("claim", e);
            }
            if (claim == ClaimResult.CLAIMED) {
                Tokens.retire(held);
                if (waitDeadline != 0) {
                    emit(Type.WAITED, "then claimed"); // the holder released the key, or its lease lapsed
                }
                if (fingerprint instanceof PayloadFingerprint payload) {
                    payload.freeze(); // before the body can change its arguments; checked, so it cannot fail
                }
                return runBody(held);
            }
            StoredRecord record = (StoredRecord) claim;
            requireSamePayload(record);
            if (!record.isInFlight()) {
                if (waitDeadline != 0) {
                    emit(Type.WAITED, "");
                }
                return replay(record.outcome());
            }
            CompletionStage<?> settled;
            try {
                settled = store.whenSettled(key);
            } catch (RuntimeException e) {
                return onStoreFailure("wait", e);
            }
            waitForHolder(record, settled);
        }
    }

    private void requireSamePayload(StoredRecord record) {
        if (!matches(record.fingerprint())) {
            emit(Type.MISMATCH, record.state().name());
            throw new IdempotencyKeyReuseException("the key of " + spec.operation()
                    + " was already used with a different payload (fingerprint); the method did not run. "
                    + "Use a new key for a new request.");
        }
    }

    /**
     * Another call holds the key: refuse ({@code REJECT}, or the wait is over), or wait until its record settles, but
     * never past its lease as the store judged it (if the holder died, its key is free then); the caller re-reads.
     */
    private void waitForHolder(StoredRecord record, CompletionStage<?> settled) {
        if (spec.onInFlight() == OnInFlight.REJECT) {
            emit(Type.REJECTED, "in flight");
            throw new IdempotencyInProgressException("a call of " + spec.operation()
                    + " with the same key is still running (onInFlight = REJECT); the method did not run. "
                    + "Retry later.");
        }
        long nanoNow = System.nanoTime();
        if (waitDeadline == 0) {
            waitDeadline = (nanoNow + TimeUnit.MILLISECONDS.toNanos(spec.waitTimeoutMillis())) | 1; // never 0
            if (observation != null) {
                waiting = true;
                Events.tell(observation, CallObservation::onWaitStart);
            }
        }
        long remaining = waitDeadline - nanoNow;
        if (remaining <= 0) {
            emit(Type.REJECTED, "wait timed out");
            throw new IdempotencyInProgressException("a call of " + spec.operation()
                    + " with the same key was still running after waiting " + spec.waitTimeoutMillis()
                    + " ms (waitTimeout); the method did not run. Retry later.");
        }
        long untilLeaseEnd = TimeUnit.MILLISECONDS.toNanos(record.leaseRemainingMillis() + 1);
        awaitSettled(settled, Math.min(remaining, untilLeaseEnd));
    }

    private boolean matches(Fingerprint recorded) {
        try {
            return recorded.matches(fingerprint);
        } catch (IllegalArgumentException e) {
            throw noCanonicalForm(e);
        }
    }

    private void awaitSettled(CompletionStage<?> settled, long nanos) {
        try {
            settled.toCompletableFuture().get(nanos, TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            // re-read the record
        } catch (ExecutionException e) {
            // The store could not watch the key (a shared store's subscription failed): re-read after a short
            // pause rather than at once, so that a broken notification channel does not turn into a busy loop.
            LockSupport.parkNanos(Math.min(nanos, SETTLE_FAILURE_PAUSE_NANOS));
        } catch (InterruptedException e) {
            // The caller asked to stop waiting: honour it, keep its flag, run nothing.
            Thread.currentThread().interrupt();
            emit(Type.REJECTED, "interrupted while waiting");
            throw new IdempotencyInProgressException("interrupted while waiting for a running call of "
                    + spec.operation() + " with the same key; the method did not run", e);
        }
    }

    /** The store failed before the body ran: fail closed, or with {@code PROCEED} run unprotected. */
    private Object onStoreFailure(String operation, Throwable e) throws Throwable {
        if (e instanceof IllegalArgumentException refused) {
            // The store cannot hold this key: the caller's error, whatever the store-error policy.
            emit(Type.REJECTED, "key refused by the store");
            throw new IdempotencyKeyException("the idempotency store refused the key of " + spec.operation() + ": "
                    + refused.getMessage() + "; the method did not run", refused);
        }
        emit(Type.STORE_ERROR, operation + ": " + e);
        if (spec.onStoreError() == OnStoreError.PROCEED && !Stages.causedByInterrupt(e)) {
            Events.LOG.log(System.Logger.Level.WARNING, "idempotency store failed during " + operation + " for "
                    + spec.operation() + "; running it unprotected (onStoreError = PROCEED)", e);
            emit(Type.UNPROTECTED, "store error");
            return runObserved();
        }
        // A store that failed because of the caller's interrupt is not "unreachable": never run unprotected then.
        throw new IdempotencyStoreException("the idempotency store failed during " + operation + " for "
                + spec.operation() + "; the method did not run (onStoreError = "
                + (spec.onStoreError() == OnStoreError.PROCEED ? "PROCEED, but the failure came from an interrupt"
                        : "FAIL") + "): " + e.getMessage(), e);
    }

    /** The key is ours: run the body under a renewed lease, then record its outcome or release the key. */
    private Object runBody(HeldKeys held) throws Throwable {
        LeaseRenewal renewal = LeaseRenewal.start(config, spec, store, key, token);
        Object result;
        held.push(store, key);
        try {
            result = runObserved();
        } catch (Throwable failure) {
            held.pop();
            renewal.stop();
            Stages.join(recordOrRelease(failure));
            throw failure;
        }
        held.pop();
        if (spec.async()) {
            return whenStageCompletes(renewal, result);
        }
        renewal.stop();
        CompletionStage<Void> recorded;
        try {
            recorded = recordValue(result);
        } catch (Error linkage) {
            Stages.join(release("the outcome could not be encoded: " + linkage));
            throw linkage;
        }
        Stages.join(recorded);
        return result;
    }

    /** An asynchronous body: record (or release) when its stage completes, on whatever thread that is. */
    private Object whenStageCompletes(LeaseRenewal renewal, Object result) {
        if (result == null) {
            renewal.stop();
            Stages.join(release("null stage"));
            Events.LOG.log(System.Logger.Level.WARNING, "{0} returned a null CompletionStage; nothing was recorded",
                    spec.operation());
            return null;
        }
        CompletableFuture<Object> out = new CompletableFuture<>();
        ((CompletionStage<?>) result).whenComplete((value, error) -> {
            renewal.stop();
            Throwable cause = error == null ? null : Stages.unwrap(error);
            CompletionStage<Void> recorded;
            try {
                recorded = cause == null ? recordValue(value) : recordOrRelease(cause);
            } catch (Error linkage) {
                recorded = release("the outcome could not be encoded: " + linkage);
                cause = linkage;
            }
            Throwable failure = cause;
            CompletableFuture<Void> done = recorded.toCompletableFuture();
            if (done.isDone()) {
                complete(out, value, failure);
            } else {
                // The store answers on its own thread: complete the caller's future elsewhere, so that the
                // caller's continuations never run on (and never block) a store's I/O thread.
                done.whenCompleteAsync((ignored, never) -> complete(out, value, failure), config.asyncExecutor());
            }
        });
        return out;
    }

    private static void complete(CompletableFuture<Object> out, Object value, Throwable failure) {
        if (failure == null) {
            out.complete(value);
        } else {
            out.completeExceptionally(failure);
        }
    }

    /** Records a returned value; never fails (a store failure is logged and reported). */
    private CompletionStage<Void> recordValue(Object value) {
        Predicate<Object> unless = spec.unless();
        if (unless != null) {
            boolean notRecorded;
            try {
                notRecorded = unless.test(value);
            } catch (RuntimeException e) {
                Events.LOG.log(System.Logger.Level.ERROR, "the unless condition of " + spec.operation() + " failed; "
                        + "the caller gets its result, the claim is released and nothing is recorded", e);
                return release("unless failed: " + e);
            }
            if (notRecorded) {
                return release("unless");
            }
        }
        Outcome outcome = store.keepsObjects() ? Outcome.value(value) : encode(value);
        return record(outcome);
    }

    /** Records a replayed failure, or releases the claim for any other. Never fails. */
    private CompletionStage<Void> recordOrRelease(Throwable failure) {
        if (spec.isReplayed(failure)) {
            Outcome outcome = store.keepsObjects()
                    ? Outcome.failure(failure)
                    : Outcome.encodedFailure(failure.getClass().getName(), failure.getMessage());
            return record(outcome);
        }
        return release(failure.getClass().getName());
    }

    private CompletionStage<Void> record(Outcome outcome) {
        CompletionStage<Boolean> stage;
        try {
            stage = store.complete(key, token, fingerprint, outcome, now(store, config), spec.ttlMillis());
        } catch (RuntimeException e) {
            stage = CompletableFuture.failedFuture(e);
        }
        CompletableFuture<Boolean> future = stage.toCompletableFuture();
        if (future.isDone()) { // a local store answers at once: no dependent stage, no closure
            Throwable error = Stages.failureOf(future);
            try {
                recorded(error == null ? future.join() : null, error);
            } catch (RuntimeException e) {
                return CompletableFuture.failedFuture(e); // as handle would have
            }
            return Stages.DONE;
        }
        return stage.handle((recorded, error) -> {
            recorded(recorded, error);
            return null;
        });
    }

    private void recorded(Boolean recorded, Throwable error) {
        if (error != null) {
            // The caller keeps its result; the claim lapses with its lease.
            Events.LOG.log(System.Logger.Level.ERROR, "the outcome of " + spec.operation() + " could not be "
                    + "recorded: the store failed; the caller gets its result, and the key is blocked until "
                    + "its lease lapses", Stages.unwrap(error));
            emit(Type.STORE_ERROR, "complete: " + Stages.unwrap(error));
        } else if (recorded) {
            emit(Type.EXECUTED, "");
        } else {
            Events.LOG.log(System.Logger.Level.ERROR, "the outcome of {0} was not recorded: its lease ({1} ms) "
                    + "lapsed while the method ran and the key may have been claimed by another call; the "
                    + "caller gets its result. Raise the lease if the method can run that long.",
                    spec.operation(), spec.leaseMillis());
            emit(Type.LEASE_LOST, "complete");
        }
    }

    /** Releases the claim; never fails (a store failure is logged: the key is blocked until its lease lapses). */
    private CompletionStage<Void> release(String why) {
        CompletionStage<Boolean> stage;
        try {
            stage = store.release(key, token, now(store, config));
        } catch (RuntimeException e) {
            stage = CompletableFuture.failedFuture(e);
        }
        CompletableFuture<Boolean> future = stage.toCompletableFuture();
        if (future.isDone()) {
            try {
                released(why, Stages.failureOf(future));
            } catch (RuntimeException e) {
                return CompletableFuture.failedFuture(e); // as handle would have
            }
            return Stages.DONE;
        }
        return stage.handle((released, error) -> {
            released(why, error);
            return null;
        });
    }

    private void released(String why, Throwable error) {
        if (error != null) {
            Events.LOG.log(System.Logger.Level.ERROR, "the claim of " + spec.operation() + " could not be "
                    + "released: the store failed; the key stays blocked until its lease lapses",
                    Stages.unwrap(error));
            emit(Type.STORE_ERROR, "release: " + Stages.unwrap(error));
        } else {
            emit(Type.RELEASED, why);
        }
    }

    /** Encodes a value for a shared store; a value that does not round-trip is recorded as unencodable. */
    private Outcome encode(Object value) {
        byte[] bytes;
        try {
            bytes = OutcomeCodec.encodeVerified(value, spec.codec(), spec.valueType());
        } catch (Exception | StackOverflowError e) {
            String reason = "the result of type " + spec.valueType().getTypeName() + " cannot be encoded: "
                    + (e instanceof IllegalArgumentException ? e.getMessage() : e.toString());
            Events.LOG.log(System.Logger.Level.WARNING, "{0}: {1}; the caller gets its result, a replay will fail",
                    spec.operation(), reason);
            return Outcome.unencodable(reason);
        }
        if (bytes.length > config.maxOutcomeBytes()) {
            String reason = "the encoded result is " + bytes.length + " bytes, more than the limit of "
                    + config.maxOutcomeBytes() + " (IdempotencyConfig.Builder#maxOutcomeBytes)";
            Events.LOG.log(System.Logger.Level.WARNING, "{0}: {1}; the caller gets its result, a replay will fail",
                    spec.operation(), reason);
            return Outcome.unencodable(reason);
        }
        return Outcome.encodedValue(bytes);
    }

    /** Returns a recorded outcome: a value, or a replayed failure, as the body would have. */
    private Object replay(Outcome outcome) throws Throwable {
        if (outcome.kind() == Outcome.Kind.VALUE) { // a local store's: the common case, kept short
            return replayed(outcome.value());
        }
        return replayEncodedOrFailure(outcome);
    }

    /** Returns a replayed value as the method returns it. */
    private Object replayed(Object value) {
        replayed = true;
        emit(Type.REPLAYED, "");
        return spec.async() ? CompletableFuture.completedFuture(value) : value;
    }

    private Object replayEncodedOrFailure(Outcome outcome) throws Throwable {
        replayed = true; // a replayed failure too (an asynchronous one is returned as a failed stage)
        Object value;
        switch (outcome.kind()) {
            case VALUE -> value = outcome.value();
            case ENCODED_VALUE -> {
                try {
                    value = spec.decode(outcome.bytes());
                } catch (Exception e) {
                    emit(Type.REJECTED, "undecodable outcome");
                    throw new IdempotencyReplayException("the recorded outcome of " + spec.operation()
                            + " cannot be decoded as " + spec.valueType().getTypeName()
                            + " (did the return type change?); the method is not run again", e);
                }
            }
            case FAILURE -> {
                emit(Type.REPLAYED, "failure");
                return replayFailure(outcome.failure());
            }
            case ENCODED_FAILURE -> {
                emit(Type.REPLAYED, "failure");
                return replayFailure(rebuildFailure(outcome));
            }
            case UNENCODABLE -> {
                emit(Type.REJECTED, "unencodable outcome");
                throw new IdempotencyReplayException("a call of " + spec.operation()
                    + " with this key already ran, but its outcome could not be recorded (" + outcome.reason()
                    + "); the method is not run again");
            }
            default -> throw new IllegalStateException("unknown outcome " + outcome);
        }
        return replayed(value);
    }

    private Object replayFailure(Throwable failure) throws Throwable {
        if (spec.async()) {
            return CompletableFuture.failedFuture(failure);
        }
        throw failure;
    }

    private Throwable rebuildFailure(Outcome outcome) {
        String type = outcome.failureType();
        String message = outcome.bytes() == null ? null : new String(outcome.bytes(), StandardCharsets.UTF_8);
        Class<? extends Throwable> failureClass = replayedClass(type);
        if (failureClass == null) {
            return new IdempotencyReplayException("the recorded failure " + type + " of " + spec.operation()
                    + " is not among its replayFailures any more: " + message + "; the method is not run again");
        }
        try {
            return failureClass.getConstructor(String.class).newInstance(message);
        } catch (ReflectiveOperationException | RuntimeException e) {
            try {
                return failureClass.getConstructor().newInstance();
            } catch (ReflectiveOperationException | RuntimeException e2) {
                return new IdempotencyReplayException("the recorded failure " + type + " of " + spec.operation()
                        + " cannot be rebuilt: it needs a public constructor taking a String message, or none; "
                        + "the method is not run again");
            }
        }
    }

    /** The class named by a stored failure, only if it is one of the method's replayed types (or a subtype). */
    private Class<? extends Throwable> replayedClass(String type) {
        for (Class<? extends Throwable> allowed : spec.replayFailures()) {
            if (allowed.getName().equals(type)) {
                return allowed;
            }
        }
        // A subtype: look it up where the method's classes are (a JDK type's own loader cannot see them).
        // Loading without initializing runs no code; only a replayed type's subclass is accepted.
        for (ClassLoader loader : new ClassLoader[] {spec.classLoader(),
                Thread.currentThread().getContextClassLoader(), IdempotentCall.class.getClassLoader()}) {
            Class<?> loaded;
            try {
                loaded = Class.forName(type, false, loader);
            } catch (ClassNotFoundException | LinkageError e) {
                continue;
            }
            for (Class<? extends Throwable> allowed : spec.replayFailures()) {
                if (allowed.isAssignableFrom(loaded)) {
                    return loaded.asSubclass(Throwable.class);
                }
            }
        }
        return null;
    }

    private void emit(Type type, String detail) {
        if (observation != null) {
            endWait();
            lastType = type;
        }
        Events.emit(config, type, spec, start, detail, observation);
    }
}
