package dev.idem.core;

import dev.idem.annotation.OnInFlight;
import dev.idem.annotation.OnStoreError;
import dev.idem.core.IdempotencyEvent.Type;
import dev.idem.core.internal.OutcomeCodec;
import dev.idem.core.spi.ClaimResult;
import dev.idem.core.spi.Fingerprint;
import dev.idem.core.spi.IdempotencyStore;
import dev.idem.core.spi.Outcome;
import dev.idem.core.spi.StoreKeys;
import dev.idem.core.spi.StoredRecord;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;

/**
 * The engine: one implementation of the semantics table, shared by every entry point (the aspect, the programmatic
 * API), so that they cannot drift apart.
 *
 * <h2>How a call goes</h2>
 * <ol>
 * <li>Before anything touches the store, the call's fingerprint is frozen: a payload without a canonical form fails
 * here, as a configuration error, whatever the store and the store-error policy. A key that this thread already holds
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
final class Engine {
    static final System.Logger LOG = System.getLogger("dev.idem");
    private static final long SETTLE_FAILURE_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    /** The keys this thread holds while their synchronous bodies run: re-entrant calls are refused at once. */
    private static final ThreadLocal<HeldKeys> HELD = ThreadLocal.withInitial(HeldKeys::new);

    private Engine() {
    }

    /** Receives whether the outcome was replayed; only the programmatic API asks. */
    static final class ReplayFlag {
        boolean replayed;
    }

    /**
     * Runs one call.
     *
     * @param config the configuration in force
     * @param spec the method's settings
     * @param key the resolved key, not null (missing keys go through {@link #missingKey})
     * @param fingerprint the call's payload fingerprint
     * @param body the method body
     * @param flag receives whether the outcome was replayed, or null
     */
    static Object execute(IdempotencyConfig config, OperationSpec spec, String key, Fingerprint fingerprint,
            Invocation body, ReplayFlag flag) throws Throwable {
        ReplayFlag captured = Idempotency.CAPTURE.get();
        if (captured == null) {
            return executeOnce(config, spec, key, fingerprint, body, flag);
        }
        // Report this call to Idempotency.capture, and hide the flag from the idempotent calls the body makes.
        Idempotency.CAPTURE.remove();
        try {
            Object result = executeOnce(config, spec, key, fingerprint, body, flag == null ? captured : flag);
            if (flag != null) {
                captured.replayed = flag.replayed;
            }
            return result;
        } finally {
            Idempotency.CAPTURE.set(captured);
        }
    }

    private static Object executeOnce(IdempotencyConfig config, OperationSpec spec, String key,
            Fingerprint fingerprint, Invocation body, ReplayFlag flag) throws Throwable {
        if (key.isBlank()) {
            return missingKey(config, spec, "the key is " + (key.isEmpty() ? "empty" : "blank"), body);
        }
        if (key.length() > config.maxKeyLength()) {
            throw new IdempotencyKeyException("the key of " + spec.operation + " is " + key.length()
                    + " characters long, more than the limit of " + config.maxKeyLength()
                    + " (IdempotencyConfig.Builder#maxKeyLength)");
        }
        IdempotencyStore store = config.store(spec.storeName, spec.operation);
        freeze(spec, fingerprint);
        String fullKey = spec.keyBase(config, store.isShared()) + StoreKeys.escapeKey(key);
        HeldKeys held = HELD.get();
        if (held.contains(store, fullKey)) {
            emit(config, Type.REJECTED, spec, 0, "re-entrant call");
            throw new IdempotencyReentrancyException("a call of " + spec.operation + " reached the same key again on "
                    + "the same thread while the first call with that key was still running there (the method calls "
                    + "itself with the same key); the inner call did not run");
        }
        return new Call(config, spec, store, fullKey, fingerprint, body, flag, held).run();
    }

    /** Freezes the fingerprint before the claim: a payload without a canonical form is the caller's error. */
    private static void freeze(OperationSpec spec, Fingerprint fingerprint) {
        try {
            fingerprint.freeze();
        } catch (IllegalArgumentException e) {
            throw noCanonicalForm(spec, e);
        }
    }

    private static IdempotencyConfigurationException noCanonicalForm(OperationSpec spec, IllegalArgumentException e) {
        return new IdempotencyConfigurationException("the fingerprint payload of " + spec.operation + ": "
                + e.getMessage() + "; choose the payload with @Idempotent(fingerprint = ...), or \"none\"; the method "
                + "did not run", e);
    }

    /** A missing key: an exception, or with keyRequired = false an unprotected run. */
    static Object missingKey(IdempotencyConfig config, OperationSpec spec, String why, Invocation body)
            throws Throwable {
        if (spec.keyRequired) {
            throw new IdempotencyKeyException("the idempotency key of " + spec.operation + " is missing: " + why
                    + "; the method did not run");
        }
        if (spec.missingKeyLogged.compareAndSet(false, true)) {
            LOG.log(System.Logger.Level.WARNING, "the idempotency key of {0} is missing ({1}); running it "
                    + "unprotected because keyRequired = false (logged once per method)", spec.operation, why);
        }
        emit(config, Type.UNPROTECTED, spec, 0, "missing key");
        return body.proceed();
    }

    /** One call that reached the store: its state lives here, not in argument lists. */
    private static final class Call {
        private final IdempotencyConfig config;
        private final OperationSpec spec;
        private final IdempotencyStore store;
        private final String key;
        private final Fingerprint fingerprint;
        private final Invocation body;
        private final ReplayFlag flag;
        private final HeldKeys held;
        private final long start;
        private String token;

        Call(IdempotencyConfig config, OperationSpec spec, IdempotencyStore store, String key,
                Fingerprint fingerprint, Invocation body, ReplayFlag flag, HeldKeys held) {
            this.config = config;
            this.spec = spec;
            this.store = store;
            this.key = key;
            this.fingerprint = fingerprint;
            this.body = body;
            this.flag = flag;
            this.held = held;
            this.start = config.listenerArray().length == 0 ? 0 : System.nanoTime();
        }

        Object run() throws Throwable {
            token = Tokens.current();
            long waitDeadline = 0;
            boolean waited = false;
            while (true) {
                ClaimResult claim;
                try {
                    claim = join(store.claim(key, token, fingerprint, config.clock().millis(), spec.leaseMillis));
                } catch (RuntimeException e) {
                    Tokens.retire(); // the store may have applied the claim after all: never offer this token again
                    return storeFailed("claim", e);
                }
                if (claim == ClaimResult.CLAIMED) {
                    Tokens.retire();
                    return runFirst();
                }
                StoredRecord record = (StoredRecord) claim;
                if (!matches(record.fingerprint())) {
                    emit(config, Type.MISMATCH, spec, start, record.state().name());
                    throw new IdempotencyKeyReuseException("the key of " + spec.operation
                            + " was already used with a different payload (fingerprint); the method did not run. "
                            + "Use a new key for a new request.");
                }
                if (!record.isInFlight()) {
                    if (waited) {
                        emit(config, Type.WAITED, spec, start, "");
                    }
                    return replay(record.outcome());
                }
                if (spec.onInFlight == OnInFlight.REJECT) {
                    emit(config, Type.REJECTED, spec, start, "in flight");
                    throw new IdempotencyInProgressException("a call of " + spec.operation
                            + " with the same key is still running (onInFlight = REJECT); the method did not run. "
                            + "Retry later.");
                }
                CompletionStage<?> settled;
                try {
                    settled = store.whenSettled(key);
                } catch (RuntimeException e) {
                    return storeFailed("wait", e);
                }
                long nanoNow = System.nanoTime();
                if (!waited) {
                    waited = true;
                    waitDeadline = nanoNow + TimeUnit.MILLISECONDS.toNanos(spec.waitTimeoutMillis);
                }
                long remaining = waitDeadline - nanoNow;
                if (remaining <= 0) {
                    emit(config, Type.REJECTED, spec, start, "wait timed out");
                    throw new IdempotencyInProgressException("a call of " + spec.operation
                            + " with the same key was still running after waiting " + spec.waitTimeoutMillis
                            + " ms (waitTimeout); the method did not run. Retry later.");
                }
                // Never wait past the holder's lease as the store judged it: if it died, its key is free then.
                long untilLeaseEnd = TimeUnit.MILLISECONDS.toNanos(record.leaseRemainingMillis() + 1);
                awaitSettled(settled, Math.min(remaining, untilLeaseEnd));
            }
        }

        private boolean matches(Fingerprint recorded) {
            try {
                return recorded.matches(fingerprint);
            } catch (IllegalArgumentException e) {
                throw noCanonicalForm(spec, e);
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
                emit(config, Type.REJECTED, spec, start, "interrupted while waiting");
                throw new IdempotencyInProgressException("interrupted while waiting for a running call of "
                        + spec.operation + " with the same key; the method did not run", e);
            }
        }

        private Object storeFailed(String operation, Throwable e) throws Throwable {
            emit(config, Type.STORE_ERROR, spec, start, operation + ": " + e);
            if (spec.onStoreError == OnStoreError.PROCEED && !causedByInterrupt(e)) {
                LOG.log(System.Logger.Level.WARNING, "idempotency store failed during " + operation + " for "
                        + spec.operation + "; running it unprotected (onStoreError = PROCEED)", e);
                emit(config, Type.UNPROTECTED, spec, start, "store error");
                return body.proceed();
            }
            // A store that failed because of the caller's interrupt is not "unreachable": never run unprotected then.
            throw new IdempotencyStoreException("the idempotency store failed during " + operation + " for "
                    + spec.operation + "; the method did not run (onStoreError = "
                    + (spec.onStoreError == OnStoreError.PROCEED ? "PROCEED, but the failure came from an interrupt"
                            : "FAIL") + "): " + e.getMessage(), e);
        }

        private Object runFirst() throws Throwable {
            LeaseRenewal renewal = LeaseRenewal.start(config, spec, store, key, token);
            Object result;
            held.push(store, key);
            try {
                result = body.proceed();
            } catch (Throwable failure) {
                held.pop();
                renewal.stop();
                join(settleFailure(failure));
                throw failure;
            }
            held.pop();
            if (spec.async) {
                return runAsync(renewal, result);
            }
            renewal.stop();
            CompletionStage<Void> recorded;
            try {
                recorded = recordValue(result);
            } catch (Error linkage) {
                join(release("the outcome could not be encoded: " + linkage));
                throw linkage;
            }
            join(recorded);
            return result;
        }

        private Object runAsync(LeaseRenewal renewal, Object result) {
            if (result == null) {
                renewal.stop();
                join(release("null stage"));
                LOG.log(System.Logger.Level.WARNING, "{0} returned a null CompletionStage; nothing was recorded",
                        spec.operation);
                return null;
            }
            CompletableFuture<Object> out = new CompletableFuture<>();
            ((CompletionStage<?>) result).whenComplete((value, error) -> {
                renewal.stop();
                Throwable cause = error == null ? null : unwrap(error);
                CompletionStage<Void> recorded;
                try {
                    recorded = cause == null ? recordValue(value) : settleFailure(cause);
                } catch (Error linkage) {
                    recorded = release("the outcome could not be encoded: " + linkage);
                    cause = linkage;
                }
                Throwable failure = cause;
                CompletableFuture<Void> done = recorded.toCompletableFuture();
                if (done.isDone()) {
                    finish(out, value, failure);
                } else {
                    // The store answers on its own thread: complete the caller's future elsewhere, so that the
                    // caller's continuations never run on (and never block) a store's I/O thread.
                    done.whenCompleteAsync((ignored, never) -> finish(out, value, failure), config.asyncExecutor());
                }
            });
            return out;
        }

        private void finish(CompletableFuture<Object> out, Object value, Throwable failure) {
            if (failure == null) {
                out.complete(value);
            } else {
                out.completeExceptionally(failure);
            }
        }

        /** Records a returned value; never fails (a store failure is logged and reported). */
        private CompletionStage<Void> recordValue(Object value) {
            Outcome outcome = store.keepsObjects() ? Outcome.value(value) : encode(value);
            return record(outcome);
        }

        /** Records a replayed failure, or releases the claim for any other. Never fails. */
        private CompletionStage<Void> settleFailure(Throwable failure) {
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
                stage = store.complete(key, token, fingerprint, outcome, config.clock().millis(), spec.ttlMillis);
            } catch (RuntimeException e) {
                stage = CompletableFuture.failedFuture(e);
            }
            return stage.handle((recorded, error) -> {
                if (error != null) {
                    // The caller keeps its result; the claim lapses with its lease.
                    LOG.log(System.Logger.Level.ERROR, "the outcome of " + spec.operation + " could not be "
                            + "recorded: the store failed; the caller gets its result, and the key is blocked until "
                            + "its lease lapses", unwrap(error));
                    emit(config, Type.STORE_ERROR, spec, start, "complete: " + unwrap(error));
                } else if (recorded) {
                    emit(config, Type.EXECUTED, spec, start, "");
                } else {
                    LOG.log(System.Logger.Level.ERROR, "the outcome of {0} was not recorded: its lease ({1} ms) "
                            + "lapsed while the method ran and the key may have been claimed by another call; the "
                            + "caller gets its result. Raise the lease if the method can run that long.",
                            spec.operation, spec.leaseMillis);
                    emit(config, Type.LEASE_LOST, spec, start, "complete");
                }
                return null;
            });
        }

        /** Releases the claim; never fails (a store failure is logged: the key is blocked until its lease lapses). */
        private CompletionStage<Void> release(String why) {
            CompletionStage<Boolean> stage;
            try {
                stage = store.release(key, token, config.clock().millis());
            } catch (RuntimeException e) {
                stage = CompletableFuture.failedFuture(e);
            }
            return stage.handle((released, error) -> {
                if (error != null) {
                    LOG.log(System.Logger.Level.ERROR, "the claim of " + spec.operation + " could not be "
                            + "released: the store failed; the key stays blocked until its lease lapses",
                            unwrap(error));
                    emit(config, Type.STORE_ERROR, spec, start, "release: " + unwrap(error));
                } else {
                    emit(config, Type.RELEASED, spec, start, why);
                }
                return null;
            });
        }

        private Outcome encode(Object value) {
            byte[] bytes;
            try {
                bytes = OutcomeCodec.encodeVerified(value, spec.javaType(), spec.valueType);
            } catch (Exception | StackOverflowError e) {
                String reason = "the result of type " + spec.valueType.getTypeName() + " cannot be encoded: "
                        + (e instanceof IllegalArgumentException ? e.getMessage() : e.toString());
                LOG.log(System.Logger.Level.WARNING, "{0}: {1}; the caller gets its result, a replay will fail",
                        spec.operation, reason);
                return Outcome.unencodable(reason);
            }
            if (bytes.length > config.maxOutcomeBytes()) {
                String reason = "the encoded result is " + bytes.length + " bytes, more than the limit of "
                        + config.maxOutcomeBytes() + " (IdempotencyConfig.Builder#maxOutcomeBytes)";
                LOG.log(System.Logger.Level.WARNING, "{0}: {1}; the caller gets its result, a replay will fail",
                        spec.operation, reason);
                return Outcome.unencodable(reason);
            }
            return Outcome.encodedValue(bytes);
        }

        private Object replay(Outcome outcome) throws Throwable {
            if (flag != null) {
                flag.replayed = true;
            }
            Object value;
            switch (outcome.kind()) {
                case VALUE -> value = outcome.value();
                case ENCODED_VALUE -> {
                    try {
                        value = OutcomeCodec.decode(outcome.bytes(), spec.javaType());
                    } catch (Exception e) {
                        throw new IdempotencyReplayException("the recorded outcome of " + spec.operation
                                + " cannot be decoded as " + spec.valueType.getTypeName()
                                + " (did the return type change?); the method is not run again", e);
                    }
                }
                case FAILURE -> {
                    emit(config, Type.REPLAYED, spec, start, "failure");
                    return replayFailure(outcome.failure());
                }
                case ENCODED_FAILURE -> {
                    emit(config, Type.REPLAYED, spec, start, "failure");
                    return replayFailure(rebuildFailure(outcome));
                }
                case UNENCODABLE -> throw new IdempotencyReplayException("a call of " + spec.operation
                        + " with this key already ran, but its outcome could not be recorded (" + outcome.reason()
                        + "); the method is not run again");
                default -> throw new IllegalStateException("unknown outcome " + outcome);
            }
            emit(config, Type.REPLAYED, spec, start, "");
            return spec.async ? CompletableFuture.completedFuture(value) : value;
        }

        private Object replayFailure(Throwable failure) throws Throwable {
            if (spec.async) {
                return CompletableFuture.failedFuture(failure);
            }
            throw failure;
        }

        private Throwable rebuildFailure(Outcome outcome) {
            String type = outcome.failureType();
            String message = outcome.bytes() == null ? null : new String(outcome.bytes(), StandardCharsets.UTF_8);
            Class<? extends Throwable> failureClass = replayedClass(type);
            if (failureClass == null) {
                return new IdempotencyReplayException("the recorded failure " + type + " of " + spec.operation
                        + " is not among its replayFailures any more: " + message + "; the method is not run again");
            }
            try {
                return failureClass.getConstructor(String.class).newInstance(message);
            } catch (ReflectiveOperationException | RuntimeException e) {
                try {
                    return failureClass.getConstructor().newInstance();
                } catch (ReflectiveOperationException | RuntimeException e2) {
                    return new IdempotencyReplayException("the recorded failure " + type + " of " + spec.operation
                            + " cannot be rebuilt: it needs a public constructor taking a String message, or none; "
                            + "the method is not run again");
                }
            }
        }

        /** The class named by a stored failure, only if it is one of the method's replayed types (or a subtype). */
        private Class<? extends Throwable> replayedClass(String type) {
            for (Class<? extends Throwable> allowed : spec.replayFailures) {
                if (allowed.getName().equals(type)) {
                    return allowed;
                }
            }
            // A subtype: look it up where the method's classes are (a JDK type's own loader cannot see them).
            // Loading without initializing runs no code; only a replayed type's subclass is accepted.
            for (ClassLoader loader : new ClassLoader[] {spec.classLoader,
                    Thread.currentThread().getContextClassLoader(), Engine.class.getClassLoader()}) {
                Class<?> loaded;
                try {
                    loaded = Class.forName(type, false, loader);
                } catch (ClassNotFoundException | LinkageError e) {
                    continue;
                }
                for (Class<? extends Throwable> allowed : spec.replayFailures) {
                    if (allowed.isAssignableFrom(loaded)) {
                        return loaded.asSubclass(Throwable.class);
                    }
                }
            }
            return null;
        }
    }

    /**
     * Waits for a store's answer on the caller's own thread, without heeding interrupts: {@link CompletableFuture#join}
     * keeps waiting when the thread is interrupted and sets the flag again before it returns. The store bounds the
     * wait with its own timeout.
     *
     * @throws RuntimeException the store's failure, unwrapped
     */
    static <T> T join(CompletionStage<T> stage) {
        CompletableFuture<T> future = stage.toCompletableFuture();
        try {
            return future.join();
        } catch (CompletionException e) {
            Throwable cause = unwrap(e);
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw e;
        }
    }

    static Throwable unwrap(Throwable error) {
        Throwable t = error;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    private static boolean causedByInterrupt(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof InterruptedException || t instanceof java.nio.channels.ClosedByInterruptException) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    static void emit(IdempotencyConfig config, Type type, OperationSpec spec, long start, String detail) {
        IdempotencyListener[] listeners = config.listenerArray();
        if (listeners.length == 0) {
            return;
        }
        IdempotencyEvent event = new IdempotencyEvent(type, spec.operation, spec.namespace,
                start == 0 ? 0 : System.nanoTime() - start, detail);
        for (IdempotencyListener listener : listeners) {
            try {
                listener.onEvent(event);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "an IdempotencyListener failed", e);
            }
        }
    }

    /**
     * The (store, key) pairs whose synchronous bodies run on this thread, innermost last. Nesting is shallow, so a
     * small array beats a set; the replay path only reads its size.
     */
    static final class HeldKeys {
        private Object[] entries = new Object[8];
        private int size;

        boolean contains(IdempotencyStore store, String key) {
            for (int i = 0; i < size; i += 2) {
                if (entries[i] == store && entries[i + 1].equals(key)) {
                    return true;
                }
            }
            return false;
        }

        void push(IdempotencyStore store, String key) {
            if (size == entries.length) {
                entries = java.util.Arrays.copyOf(entries, size * 2);
            }
            entries[size++] = store;
            entries[size++] = key;
        }

        void pop() {
            entries[--size] = null;
            entries[--size] = null;
        }
    }
}
