package dev.idem.core;

import dev.idem.annotation.OnInFlight;
import dev.idem.annotation.OnStoreError;
import dev.idem.core.internal.Durations;
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

    private IdempotentOperation(Builder<T> b) {
        Class<? extends Throwable>[] replay = b.replayFailures;
        this.spec = new OperationSpec(b.namespace, b.namespace, b.store, b.ttl.toMillis(), b.lease.toMillis(),
                b.waitTimeout.toMillis(), b.onInFlight, b.onStoreError, b.keyRequired, replay, b.resultType, false,
                b.classLoader);
        this.asyncSpec = new OperationSpec(b.namespace, b.namespace, b.store, b.ttl.toMillis(), b.lease.toMillis(),
                b.waitTimeout.toMillis(), b.onInFlight, b.onStoreError, b.keyRequired, replay, b.resultType, true,
                b.classLoader);
        this.checkPayload = b.checkPayload;
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
        return uncheckedCall(key, payload, body::get, null);
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
        Engine.ReplayFlag flag = new Engine.ReplayFlag();
        T value = uncheckedCall(key, payload, body::get, flag);
        return new IdempotentResult<>(value, flag.replayed);
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
            return cast(run(spec, key, payload, body::call, null));
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
            Object result = run(asyncSpec, key, payload, body::get, null);
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

    private T uncheckedCall(String key, Object payload, Invocation body, Engine.ReplayFlag flag) {
        try {
            return cast(run(spec, key, payload, body, flag));
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            // A Supplier cannot throw a checked exception, but a replayed one can be: rethrow it as it was.
            throw Sneaky.<RuntimeException>rethrow(t);
        }
    }

    private Object run(OperationSpec s, String key, Object payload, Invocation body, Engine.ReplayFlag flag)
            throws Throwable {
        IdempotencyConfig config = Idempotency.config();
        if (!config.enabled()) {
            return body.proceed();
        }
        if (key == null) {
            return Engine.missingKey(config, s, "the key is null", body);
        }
        Fingerprint fingerprint = checkPayload ? Fingerprint.of(payload) : Fingerprint.NONE;
        return Engine.execute(config, s, key, fingerprint, body, flag);
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
        return "IdempotentOperation[" + spec.namespace + "]";
    }

    /**
     * Builds an {@link IdempotentOperation}; the defaults are those of {@code @Idempotent}. Setters validate at once
     * and throw {@link IllegalArgumentException} for an invalid value. Not thread-safe.
     *
     * @param <T> the result type
     */
    public static final class Builder<T> {
        private final String namespace;
        private final Type resultType;
        private Duration ttl = Duration.ofHours(24);
        private Duration lease = Duration.ofSeconds(30);
        private Duration waitTimeout = Duration.ofSeconds(10);
        private OnInFlight onInFlight = OnInFlight.WAIT;
        private OnStoreError onStoreError = OnStoreError.FAIL;
        private boolean keyRequired = true;
        private boolean checkPayload = true;
        private String store = "";
        private final ClassLoader classLoader = Thread.currentThread().getContextClassLoader();
        @SuppressWarnings("unchecked")
        private Class<? extends Throwable>[] replayFailures = new Class[0];

        private Builder(String namespace, Type resultType) {
            Objects.requireNonNull(namespace, "namespace");
            if (namespace.isBlank()) {
                throw new IllegalArgumentException("the namespace of an operation must not be blank");
            }
            this.namespace = namespace;
            this.resultType = Objects.requireNonNull(resultType, "resultType");
        }

        /**
         * How long a completed outcome is replayed. Default: 24 hours.
         *
         * @param ttl at least 1 ms
         * @return this builder
         */
        public Builder<T> ttl(Duration ttl) {
            this.ttl = Durations.requirePositive("ttl", ttl);
            return this;
        }

        /**
         * How long a claim lives without renewal (it is renewed while the body runs). Default: 30 seconds.
         *
         * @param lease at least 1 ms
         * @return this builder
         */
        public Builder<T> lease(Duration lease) {
            this.lease = Durations.requirePositive("lease", lease);
            return this;
        }

        /**
         * How long a duplicate waits for a running call. Default: 10 seconds.
         *
         * @param waitTimeout at least 1 ms
         * @return this builder
         */
        public Builder<T> waitTimeout(Duration waitTimeout) {
            this.waitTimeout = Durations.requirePositive("waitTimeout", waitTimeout);
            return this;
        }

        /**
         * What a duplicate does while the first call runs. Default: {@link OnInFlight#WAIT}.
         *
         * @param onInFlight the policy
         * @return this builder
         */
        public Builder<T> onInFlight(OnInFlight onInFlight) {
            this.onInFlight = Objects.requireNonNull(onInFlight, "onInFlight");
            return this;
        }

        /**
         * What happens when the store fails. Default: {@link OnStoreError#FAIL}.
         *
         * @param onStoreError the policy
         * @return this builder
         */
        public Builder<T> onStoreError(OnStoreError onStoreError) {
            this.onStoreError = Objects.requireNonNull(onStoreError, "onStoreError");
            return this;
        }

        /**
         * Whether a missing key is an error (default) or runs the body unprotected.
         *
         * @param keyRequired false to run unprotected without a key
         * @return this builder
         */
        public Builder<T> keyRequired(boolean keyRequired) {
            this.keyRequired = keyRequired;
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
            this.store = store;
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
            this.replayFailures = types.clone();
            return this;
        }

        /**
         * Builds the operation.
         *
         * @return the operation
         */
        public IdempotentOperation<T> build() {
            return new IdempotentOperation<>(this);
        }
    }
}
