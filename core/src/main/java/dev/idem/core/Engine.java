package dev.idem.core;

import dev.idem.annotation.OnInFlight;
import dev.idem.annotation.OnStoreError;
import dev.idem.core.IdempotencyEvent.Type;
import dev.idem.core.internal.OutcomeCodec;
import dev.idem.core.spi.ClaimResult;
import dev.idem.core.spi.Fingerprint;
import dev.idem.core.spi.IdempotencyStore;
import dev.idem.core.spi.Outcome;
import dev.idem.core.spi.StoredRecord;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;

/**
 * The engine: one implementation of the semantics table, shared by every entry point (the aspect, the programmatic
 * API), so that they cannot drift apart.
 *
 * <h2>How a call goes</h2>
 * <ol>
 * <li>One atomic {@link IdempotencyStore#claim} either claims the key ({@code IN_FLIGHT} with a fresh owner token)
 * or returns the live record. This is the only store operation of a replay: one round trip on a remote store, one
 * lock-free read on the local one.</li>
 * <li>A live record is checked against the caller's fingerprint on every path that could return its outcome
 * (completed, after a wait). A completed one is replayed; an in-flight one is waited for ({@code WAIT}: on the
 * store's settle future, never by polling, and never past the holder's lease, so a dead holder's key is taken over
 * as soon as its lease lapses) or refused ({@code REJECT}).</li>
 * <li>The claimer freezes its fingerprint (before the body can change its arguments), renews its lease in the
 * background while the body runs, then records the outcome with {@link IdempotencyStore#complete}, which only the
 * current owner token can do: a holder whose lease lapsed can never overwrite a newer owner. A non-replayed exception
 * releases the claim instead, so the next call runs again.</li>
 * </ol>
 *
 * <p>Error policy: a store failure before the body runs fails closed ({@link IdempotencyStoreException}) unless the
 * method chose {@code PROCEED}; a store failure after the body ran never costs the caller its result or its
 * exception: it is logged and reported. The engine holds no locks; the only blocking is a waiter's bounded wait on a
 * future, which is friendly to virtual threads.
 */
final class Engine {
    static final System.Logger LOG = System.getLogger("dev.idem");
    private static final long SETTLE_FAILURE_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

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
        String fullKey = store.isShared()
                ? config.keyPrefix() + spec.namespace + ':' + key
                : spec.namespace + ':' + key;
        long start = config.listenerArray().length == 0 ? 0 : System.nanoTime();
        String token = Tokens.current();
        long waitDeadline = 0;
        boolean waited = false;
        while (true) {
            long now = config.clock().millis();
            ClaimResult claim;
            try {
                claim = store.claim(fullKey, token, fingerprint, now, spec.leaseMillis);
            } catch (RuntimeException e) {
                Tokens.retire(); // the store may have applied the claim after all: never offer this token again
                return storeFailed(config, spec, "claim", e, body, start);
            }
            if (claim == ClaimResult.CLAIMED) {
                Tokens.retire();
                return runFirst(config, spec, store, fullKey, token, fingerprint, body, start);
            }
            StoredRecord record = (StoredRecord) claim;
            if (record.fingerprint().isFrozen() && !matches(spec, record.fingerprint(), fingerprint)) {
                emit(config, Type.MISMATCH, spec, start, record.state().name());
                throw new IdempotencyKeyReuseException("the key of " + spec.operation
                        + " was already used with a different payload (fingerprint); the method did not run. "
                        + "Use a new key for a new request.");
            }
            if (!record.isInFlight()) {
                if (waited) {
                    emit(config, Type.WAITED, spec, start, "");
                }
                return replay(config, spec, record.outcome(), flag, start);
            }
            if (spec.onInFlight == OnInFlight.REJECT) {
                emit(config, Type.REJECTED, spec, start, "in flight");
                throw new IdempotencyInProgressException("a call of " + spec.operation
                        + " with the same key is still running (onInFlight = REJECT); the method did not run. "
                        + "Retry later.");
            }
            Future<?> settled;
            try {
                settled = store.whenSettled(fullKey);
            } catch (RuntimeException e) {
                return storeFailed(config, spec, "wait", e, body, start);
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
            // Never wait past the holder's lease: if it died, its key is free when the lease lapses.
            long untilLeaseEnd = TimeUnit.MILLISECONDS.toNanos(
                    Math.max(1, record.expiresAtMillis() - config.clock().millis() + 1));
            awaitQuietly(settled, Math.min(remaining, untilLeaseEnd), spec);
        }
    }

    private static boolean matches(OperationSpec spec, Fingerprint recorded, Fingerprint candidate) {
        try {
            return recorded.matches(candidate);
        } catch (IllegalArgumentException e) {
            throw new IdempotencyConfigurationException("the fingerprint payload of " + spec.operation
                    + " has no canonical form (" + e.getMessage()
                    + "); choose the payload with @Idempotent(fingerprint = ...), or \"none\"", e);
        }
    }

    private static void awaitQuietly(Future<?> settled, long nanos, OperationSpec spec) {
        try {
            settled.get(nanos, TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            // re-read the record
        } catch (ExecutionException e) {
            // The store could not watch the key (a shared store's subscription failed): re-read after a short
            // pause rather than at once, so that a broken notification channel does not turn into a busy loop.
            LockSupport.parkNanos(Math.min(nanos, SETTLE_FAILURE_PAUSE_NANOS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IdempotencyInProgressException("interrupted while waiting for a running call of "
                    + spec.operation + " with the same key; the method did not run");
        }
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

    private static Object storeFailed(IdempotencyConfig config, OperationSpec spec, String operation,
            RuntimeException e, Invocation body, long start) throws Throwable {
        emit(config, Type.STORE_ERROR, spec, start, operation + ": " + e);
        if (spec.onStoreError == OnStoreError.PROCEED) {
            LOG.log(System.Logger.Level.WARNING, "idempotency store failed during " + operation + " for "
                    + spec.operation + "; running it unprotected (onStoreError = PROCEED)", e);
            emit(config, Type.UNPROTECTED, spec, start, "store error");
            return body.proceed();
        }
        throw new IdempotencyStoreException("the idempotency store failed during " + operation + " for "
                + spec.operation + "; the method did not run (onStoreError = FAIL): " + e.getMessage(), e);
    }

    private static Object runFirst(IdempotencyConfig config, OperationSpec spec, IdempotencyStore store,
            String fullKey, String token, Fingerprint fingerprint, Invocation body, long start) throws Throwable {
        try {
            fingerprint.freeze();
        } catch (IllegalArgumentException e) {
            releaseQuietly(store, fullKey, token, spec);
            throw new IdempotencyConfigurationException("the fingerprint payload of " + spec.operation
                    + " has no canonical form (" + e.getMessage()
                    + "); choose the payload with @Idempotent(fingerprint = ...), or \"none\"", e);
        }
        LeaseRenewal renewal = LeaseRenewal.start(config, spec, store, fullKey, token);
        Object result;
        try {
            result = body.proceed();
        } catch (Throwable failure) {
            renewal.stop();
            failed(config, spec, store, fullKey, token, fingerprint, failure, start);
            throw failure;
        }
        if (spec.async) {
            if (result == null) {
                renewal.stop();
                releaseQuietly(store, fullKey, token, spec);
                LOG.log(System.Logger.Level.WARNING, "{0} returned a null CompletionStage; nothing was recorded",
                        spec.operation);
                return null;
            }
            CompletableFuture<Object> out = new CompletableFuture<>();
            ((CompletionStage<?>) result).whenComplete((value, error) -> {
                renewal.stop();
                if (error == null) {
                    completed(config, spec, store, fullKey, token, fingerprint, value, start);
                    out.complete(value);
                } else {
                    Throwable cause = unwrap(error);
                    failed(config, spec, store, fullKey, token, fingerprint, cause, start);
                    out.completeExceptionally(cause);
                }
            });
            return out;
        }
        renewal.stop();
        completed(config, spec, store, fullKey, token, fingerprint, result, start);
        return result;
    }

    private static Throwable unwrap(Throwable error) {
        Throwable t = error;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    private static void completed(IdempotencyConfig config, OperationSpec spec, IdempotencyStore store,
            String fullKey, String token, Fingerprint fingerprint, Object value, long start) {
        Outcome outcome = store.keepsObjects() ? Outcome.value(value) : encode(config, spec, value);
        record(config, spec, store, fullKey, token, fingerprint, outcome, start);
    }

    private static void failed(IdempotencyConfig config, OperationSpec spec, IdempotencyStore store,
            String fullKey, String token, Fingerprint fingerprint, Throwable failure, long start) {
        if (spec.isReplayed(failure)) {
            Outcome outcome = store.keepsObjects()
                    ? Outcome.failure(failure)
                    : Outcome.encodedFailure(failure.getClass().getName(), failure.getMessage());
            record(config, spec, store, fullKey, token, fingerprint, outcome, start);
            return;
        }
        releaseQuietly(store, fullKey, token, spec);
        emit(config, Type.RELEASED, spec, start, failure.getClass().getName());
    }

    private static void record(IdempotencyConfig config, OperationSpec spec, IdempotencyStore store,
            String fullKey, String token, Fingerprint fingerprint, Outcome outcome, long start) {
        boolean recorded;
        try {
            recorded = store.complete(fullKey, token, fingerprint, outcome, config.clock().millis(), spec.ttlMillis);
        } catch (RuntimeException e) {
            // The caller keeps its result; the claim lapses with its lease.
            LOG.log(System.Logger.Level.ERROR, "the outcome of " + spec.operation + " could not be recorded: the "
                    + "store failed; the caller gets its result, and the key is blocked until its lease lapses", e);
            emit(config, Type.STORE_ERROR, spec, start, "complete: " + e);
            return;
        }
        if (recorded) {
            emit(config, Type.EXECUTED, spec, start, "");
        } else {
            LOG.log(System.Logger.Level.ERROR, "the outcome of {0} was not recorded: its lease ({1} ms) lapsed "
                    + "while the method ran and the key may have been claimed by another call; the caller gets "
                    + "its result. Raise the lease if the method can run that long.", spec.operation,
                    spec.leaseMillis);
            emit(config, Type.LEASE_LOST, spec, start, "complete");
        }
    }

    private static void releaseQuietly(IdempotencyStore store, String fullKey, String token, OperationSpec spec) {
        try {
            store.release(fullKey, token);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "the claim of " + spec.operation + " could not be released: the "
                    + "store failed; the key stays blocked until its lease lapses", e);
        }
    }

    private static Outcome encode(IdempotencyConfig config, OperationSpec spec, Object value) {
        byte[] bytes;
        try {
            bytes = OutcomeCodec.encode(value, spec.javaType());
            OutcomeCodec.decode(bytes, spec.javaType()); // a value that cannot be read back must not be recorded
        } catch (Exception | StackOverflowError e) {
            String reason = "the result of type " + spec.valueType.getTypeName() + " cannot be encoded: " + e;
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

    private static Object replay(IdempotencyConfig config, OperationSpec spec, Outcome outcome, ReplayFlag flag,
            long start) throws Throwable {
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
                return failed(spec, outcome.failure());
            }
            case ENCODED_FAILURE -> {
                emit(config, Type.REPLAYED, spec, start, "failure");
                return failed(spec, rebuildFailure(spec, outcome));
            }
            case UNENCODABLE -> throw new IdempotencyReplayException("a call of " + spec.operation
                    + " with this key already ran, but its outcome could not be recorded (" + outcome.reason()
                    + "); the method is not run again");
            default -> throw new IllegalStateException("unknown outcome " + outcome);
        }
        emit(config, Type.REPLAYED, spec, start, "");
        return spec.async ? CompletableFuture.completedFuture(value) : value;
    }

    private static Object failed(OperationSpec spec, Throwable failure) throws Throwable {
        if (spec.async) {
            return CompletableFuture.failedFuture(failure);
        }
        throw failure;
    }

    private static Throwable rebuildFailure(OperationSpec spec, Outcome outcome) {
        String type = outcome.failureType();
        String message = outcome.bytes() == null ? null : new String(outcome.bytes(), StandardCharsets.UTF_8);
        Class<? extends Throwable> failureClass = replayedClass(spec, type);
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
    private static Class<? extends Throwable> replayedClass(OperationSpec spec, String type) {
        for (Class<? extends Throwable> allowed : spec.replayFailures) {
            if (allowed.getName().equals(type)) {
                return allowed;
            }
        }
        // A subtype: look it up where the method's classes are (a JDK type's own loader cannot see them). Loading
        // without initializing runs no code; only a replayed type's subclass is accepted.
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
}
