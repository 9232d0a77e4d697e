package dev.idem.core;

import dev.idem.annotation.Idempotent;
import dev.idem.annotation.OnInFlight;
import dev.idem.annotation.OnStoreError;
import dev.idem.core.internal.Body;
import dev.idem.core.internal.CallResult;
import dev.idem.core.internal.Capture;
import dev.idem.core.internal.Durations;
import dev.idem.core.internal.IdempotentCall;
import dev.idem.core.internal.OperationSpec;
import dev.idem.core.internal.PayloadFingerprint;
import dev.idem.core.spi.Fingerprint;
import java.lang.reflect.Type;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * The programmatic API: an idempotent operation with exactly the semantics of an {@code @Idempotent} method, for
 * code that is not woven. Build one per operation, once, and keep it:
 *
 * <pre>{@code
 * IdempotentOperation<Receipt> charge = Idempotency.operation("payments.charge", Receipt.class)
 *         .ttl(Duration.ofHours(24))
 *         .replayFailures(PaymentDeclinedException.class)
 *         .build();
 *
 * Receipt receipt = charge.execute(request.id(), request, () -> gateway.charge(request));
 * IdempotentResult<Receipt> result = charge.call(request.id(), request, () -> gateway.charge(request));
 * if (result.replayed()) { ... }
 * }</pre>
 *
 * <p>The {@code key} is the caller's key (the namespace keeps operations apart); the {@code payload} is what must
 * match on a replay (the request), compared by value. Immutable and thread-safe.
 *
 * @param <T> the result type
 */
public final class IdempotentOperation<T> {
    private final OperationSpec spec;
    private final boolean checkPayload;
    private final OperationSpec asyncSpec;

    private IdempotentOperation(OperationSpec spec, boolean checkPayload) {
        this.spec = spec;
        this.asyncSpec = spec.asAsync();
        this.checkPayload = checkPayload;
    }

    static <T> Builder<T> builder(String namespace, Type resultType) {
        return new Builder<>(namespace, resultType);
    }

    /**
     * Runs the body once per key and returns its recorded outcome to every repeat.
     *
     * @param key the idempotency key; null, empty or blank is an {@link IdempotencyKeyException} (or an unprotected
     *     run with {@link Builder#keyRequired(boolean) keyRequired(false)})
     * @param payload what must match on a replay, compared by value; ignored with
     *     {@link Builder#checkPayload(boolean) checkPayload(false)}
     * @param body the operation
     * @return the result of this run or of the recorded one
     * @throws IdempotencyException on a key reuse, a duplicate in flight, a store failure or a bad key
     */
    public T execute(String key, Object payload, Supplier<? extends T> body) {
        return cast(uncheckedCall(key, payload, body::get).value());
    }

    /**
     * Like {@link #execute}, and tells whether the outcome was replayed.
     *
     * @param key the idempotency key
     * @param payload what must match on a replay
     * @param body the operation
     * @return the result and whether it was replayed
     */
    public IdempotentResult<T> call(String key, Object payload, Supplier<? extends T> body) {
        CallResult result = uncheckedCall(key, payload, body::get);
        return new IdempotentResult<>(cast(result.value()), result.replayed());
    }

    /**
     * Like {@link #execute}, for a body that throws checked exceptions; they propagate unchanged.
     *
     * @param key the idempotency key
     * @param payload what must match on a replay
     * @param body the operation
     * @return the result of this run or of the recorded one
     * @throws Exception what the body throws, or an {@link IdempotencyException}
     */
    public T executeChecked(String key, Object payload, Callable<? extends T> body) throws Exception {
        try {
            return cast(run(spec, key, payload, body::call).value());
        } catch (Exception | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /**
     * Runs an asynchronous body once per key. The claim is held until the body's stage completes, and its value (or
     * replayed failure) is what repeats get. A duplicate that must wait blocks the calling thread up to the wait
     * timeout.
     *
     * @param key the idempotency key
     * @param payload what must match on a replay
     * @param body starts the operation
     * @return a future of the result of this run or of the recorded one
     */
    public CompletableFuture<T> executeAsync(String key, Object payload,
            Supplier<? extends CompletionStage<T>> body) {
        try {
            Object result = run(asyncSpec, key, payload, body::get).value();
            @SuppressWarnings("unchecked")
            CompletableFuture<T> future = result instanceof CompletableFuture<?> f ? (CompletableFuture<T>) f
                    : result == null ? null : ((CompletionStage<T>) result).toCompletableFuture();
            return future;
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    private CallResult uncheckedCall(String key, Object payload, Body body) {
        try {
            return run(spec, key, payload, body);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            // A Supplier cannot throw a checked exception, but a replayed one can be: rethrow it as it was.
            throw Sneaky.<RuntimeException>rethrow(t);
        }
    }

    private CallResult run(OperationSpec s, String key, Object payload, Body body) throws Throwable {
        IdempotencyConfig config = Idempotency.config();
        if (!config.enabled()) {
            return new CallResult(body.run(), false);
        }
        IdempotentCall call = key == null ? IdempotentCall.withoutKey(config, s, "the key is null", body)
                : new IdempotentCall(config, s, key, checkPayload ? PayloadFingerprint.of(payload) : Fingerprint.NONE,
                        body);
        return Capture.around(call);
    }

    @SuppressWarnings("unchecked")
    private static <T> T cast(Object value) {
        return (T) value;
    }

    /** Rethrows a checked exception without declaring it. */
    private static final class Sneaky {
        @SuppressWarnings("unchecked")
        static <E extends Throwable> E rethrow(Throwable t) throws E {
            throw (E) t;
        }
    }

    @Override
    public String toString() {
        return "IdempotentOperation[" + spec.namespace() + "]";
    }

    /**
     * Builds an {@link IdempotentOperation}; the defaults are those of {@code @Idempotent}. Setters validate at once
     * and throw {@link IllegalArgumentException} for an invalid value. Not thread-safe.
     *
     * @param <T> the result type
     */
    public static final class Builder<T> {
        private final OperationSpec.Builder spec;
        private boolean checkPayload = true;

        private Builder(String namespace, Type resultType) {
            Objects.requireNonNull(namespace, "namespace");
            if (namespace.isBlank()) {
                throw new IllegalArgumentException("the namespace of an operation must not be blank");
            }
            this.spec = OperationSpec.builder(namespace, namespace, Objects.requireNonNull(resultType, "resultType"))
                    .classLoader(Thread.currentThread().getContextClassLoader());
        }

        /**
         * How long a completed outcome is replayed. Default: {@value Idempotent#DEFAULT_TTL}.
         *
         * @param ttl at least 1 ms
         * @return this builder
         */
        public Builder<T> ttl(Duration ttl) {
            spec.ttlMillis(Durations.requirePositive("ttl", ttl).toMillis());
            return this;
        }

        /**
         * How long a claim lives without renewal (it is renewed while the body runs). Default:
         * {@value Idempotent#DEFAULT_LEASE}.
         *
         * @param lease at least 1 ms
         * @return this builder
         */
        public Builder<T> lease(Duration lease) {
            spec.leaseMillis(Durations.requirePositive("lease", lease).toMillis());
            return this;
        }

        /**
         * How long a duplicate waits for a running call. Default: {@value Idempotent#DEFAULT_WAIT_TIMEOUT}.
         *
         * @param waitTimeout at least 1 ms
         * @return this builder
         */
        public Builder<T> waitTimeout(Duration waitTimeout) {
            spec.waitTimeoutMillis(Durations.requirePositive("waitTimeout", waitTimeout).toMillis());
            return this;
        }

        /**
         * What a duplicate does while the first call runs. Default: {@link OnInFlight#WAIT}.
         *
         * @param onInFlight the policy
         * @return this builder
         */
        public Builder<T> onInFlight(OnInFlight onInFlight) {
            spec.onInFlight(onInFlight);
            return this;
        }

        /**
         * What happens when the store fails. Default: {@link OnStoreError#FAIL}.
         *
         * @param onStoreError the policy
         * @return this builder
         */
        public Builder<T> onStoreError(OnStoreError onStoreError) {
            spec.onStoreError(onStoreError);
            return this;
        }

        /**
         * Whether a missing key is an error (default) or runs the body unprotected.
         *
         * @param keyRequired false to run unprotected without a key
         * @return this builder
         */
        public Builder<T> keyRequired(boolean keyRequired) {
            spec.keyRequired(keyRequired);
            return this;
        }

        /**
         * Whether the payload must match on a replay. Default: true.
         *
         * @param checkPayload false to replay whatever the payload
         * @return this builder
         */
        public Builder<T> checkPayload(boolean checkPayload) {
            this.checkPayload = checkPayload;
            return this;
        }

        /**
         * The named store to use. Default: the default store.
         *
         * @param store the store name, not blank
         * @return this builder
         */
        public Builder<T> store(String store) {
            Objects.requireNonNull(store, "store");
            if (store.isBlank()) {
                throw new IllegalArgumentException("a store name must not be blank");
            }
            spec.store(store);
            return this;
        }

        /**
         * Exception types that are recorded and replayed; any other exception releases the key.
         *
         * @param types the exception types
         * @return this builder
         */
        @SafeVarargs
        public final Builder<T> replayFailures(Class<? extends Throwable>... types) {
            for (Class<? extends Throwable> type : types) {
                Objects.requireNonNull(type, "a replayed failure type must not be null");
            }
            spec.replayFailures(types);
            return this;
        }

        /**
         * A condition on the result under which it is not recorded: the claim is released instead, so the next call
         * with the key runs the body again (as {@code @Idempotent(unless = ...)}). The caller always gets its result;
         * a condition that throws is logged and the claim released. Default: none, every result is recorded.
         *
         * @param condition true for a result that must not be recorded, such as a refused form
         * @return this builder
         */
        @SuppressWarnings("unchecked")
        public Builder<T> unless(java.util.function.Predicate<? super T> condition) {
            Objects.requireNonNull(condition, "condition");
            spec.unless(value -> ((java.util.function.Predicate<Object>) condition).test(value));
            return this;
        }

        /**
         * Builds the operation.
         *
         * @return the operation
         */
        public IdempotentOperation<T> build() {
            return new IdempotentOperation<>(spec.build(), checkPayload);
        }
    }
}
