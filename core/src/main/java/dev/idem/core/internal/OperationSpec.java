package dev.idem.core.internal;

import com.fasterxml.jackson.databind.JavaType;
import dev.idem.annotation.Idempotent;
import dev.idem.annotation.OnInFlight;
import dev.idem.annotation.OnStoreError;
import dev.idem.core.IdempotencyConfig;
import dev.idem.core.event.CallStart;
import dev.idem.core.event.IdempotencyEvent;
import dev.idem.core.spi.StoreKey;
import java.lang.reflect.Type;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;

/**
 * Everything the engine needs to know about one idempotent method or operation, resolved once: durations in
 * milliseconds, policies, the result type. Built only by {@link #builder}, whose defaults are the annotation's.
 * Immutable, but for what it computes once and keeps ({@link Memo}).
 *
 * @param operation the method ({@code Class#method}) or the operation's namespace, for messages and events
 * @param namespace keeps this operation's keys apart from others'
 * @param storeName the named store, empty for the default one
 * @param ttlMillis how long a completed record lives
 * @param leaseMillis how long a claim lives without renewal
 * @param waitTimeoutMillis how long a duplicate waits
 * @param onInFlight what a duplicate does while the first call runs
 * @param onStoreError what happens when the store fails before the body ran
 * @param keyRequired whether a missing key is an error
 * @param replayFailures the exception types that are recorded and replayed
 * @param valueType the type of the recorded value: the return type, or the value type of a CompletionStage
 * @param async whether the body returns a CompletionStage whose completion is the outcome
 * @param classLoader where the method's own classes are: used to find a replayed failure's class by name
 * @param unless the condition on a returned value under which it is not recorded (the claim is released), or null
 * @param memo what is computed once and kept
 */
public record OperationSpec(String operation, String namespace, String storeName, long ttlMillis, long leaseMillis,
        long waitTimeoutMillis, OnInFlight onInFlight, OnStoreError onStoreError, boolean keyRequired,
        Class<? extends Throwable>[] replayFailures, Type valueType, boolean async, ClassLoader classLoader,
        Predicate<Object> unless, Memo memo) {

    /** The defaults of {@code @Idempotent}, in milliseconds. */
    static final long DEFAULT_TTL_MILLIS = Durations.parse(Idempotent.DEFAULT_TTL).toMillis();
    static final long DEFAULT_LEASE_MILLIS = Durations.parse(Idempotent.DEFAULT_LEASE).toMillis();
    static final long DEFAULT_WAIT_TIMEOUT_MILLIS = Durations.parse(Idempotent.DEFAULT_WAIT_TIMEOUT).toMillis();

    /**
     * Starts a spec with the annotation's defaults.
     *
     * @param operation the method or operation, for messages
     * @param namespace the key namespace
     * @param valueType the recorded value's type
     * @return the builder
     */
    public static Builder builder(String operation, String namespace, Type valueType) {
        return new Builder(operation, namespace, valueType);
    }

    /**
     * The same spec for a body that returns a CompletionStage of the same value type.
     *
     * @return the asynchronous variant
     */
    public OperationSpec asAsync() {
        return new OperationSpec(operation, namespace, storeName, ttlMillis, leaseMillis, waitTimeoutMillis,
                onInFlight, onStoreError, keyRequired, replayFailures, valueType, true, classLoader, unless, new Memo());
    }

    /**
     * Decodes a recorded value. A store that hands out the same recorded bytes again (a near-cache hit) gets the same
     * value again without a decode, but only for a deeply immutable value ({@link Values#isDeeplyImmutable}), which
     * callers can share without seeing each other's changes; any other value is decoded anew for every replay.
     */
    Object decode(byte[] bytes) throws Exception {
        Decoded last = memo.lastDecoded;
        if (last != null && last.bytes == bytes) {
            return last.value;
        }
        Object value = OutcomeCodec.decode(bytes, codec());
        if (Values.isDeeplyImmutable(value) && !(value instanceof Object[])) {
            memo.lastDecoded = new Decoded(bytes, value);
        }
        return value;
    }

    private record Decoded(byte[] bytes, Object value) {
    }

    /** The reader and writer of the recorded value's type, made once. */
    OutcomeCodec.Codec codec() {
        OutcomeCodec.Codec c = memo.codec;
        if (c == null) {
            c = OutcomeCodec.codec(javaType());
            memo.codec = c;
        }
        return c;
    }

    /** The Jackson type of the recorded value, made once. */
    JavaType javaType() {
        JavaType t = memo.javaType;
        if (t == null) {
            t = OutcomeCodec.javaType(valueType);
            memo.javaType = t;
        }
        return t;
    }

    /** The name of the store in events: the named store, or {@link IdempotencyEvent#DEFAULT_STORE}. */
    String storeLabel() {
        return storeName.isEmpty() ? IdempotencyEvent.DEFAULT_STORE : storeName;
    }

    /** What listeners are told when a call of this operation starts, made once. */
    CallStart callStart() {
        CallStart c = memo.callStart;
        if (c == null) {
            c = new CallStart(operation, namespace, storeLabel(), async);
            memo.callStart = c;
        }
        return c;
    }

    /**
     * The escaped {@code prefix:namespace:} part of this operation's stored keys, computed once per prefix.
     *
     * @param config the configuration in force
     * @param shared whether the store is shared (only a shared store gets the global prefix)
     */
    StoreKey.Base keyBase(IdempotencyConfig config, boolean shared) {
        String prefix = shared ? config.keyPrefix() : "";
        KeyBase k = memo.keyBase;
        if (k == null || k.prefix != prefix) {
            k = new KeyBase(prefix, StoreKey.base(prefix, namespace));
            memo.keyBase = k;
        }
        return k.base;
    }

    boolean isReplayed(Throwable failure) {
        for (Class<? extends Throwable> type : replayFailures) {
            if (type.isInstance(failure)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return "OperationSpec[" + operation + "]";
    }

    private record KeyBase(String prefix, StoreKey.Base base) {
    }

    /** What a spec computes on first use and keeps; written racily, which is harmless (same values). */
    public static final class Memo {
        private volatile JavaType javaType;
        private volatile OutcomeCodec.Codec codec;
        /** The last replayed encoded outcome whose value is deeply immutable, and that value; or null. */
        private volatile Decoded lastDecoded;
        private volatile KeyBase keyBase;
        /** The call start that listeners are told of, made once. */
        private volatile CallStart callStart;
        /** Whether a missing key was logged already (once per method). */
        final AtomicBoolean missingKeyLogged = new AtomicBoolean();

        Memo() {
        }
    }

    /** Builds a spec; the defaults are those of {@code @Idempotent}. Not thread-safe. */
    public static final class Builder {
        private final String operation;
        private final String namespace;
        private final Type valueType;
        private String storeName = "";
        private long ttlMillis = DEFAULT_TTL_MILLIS;
        private long leaseMillis = DEFAULT_LEASE_MILLIS;
        private long waitTimeoutMillis = DEFAULT_WAIT_TIMEOUT_MILLIS;
        private OnInFlight onInFlight = OnInFlight.WAIT;
        private OnStoreError onStoreError = OnStoreError.FAIL;
        private boolean keyRequired = true;
        @SuppressWarnings("unchecked")
        private Class<? extends Throwable>[] replayFailures = new Class[0];
        private boolean async;
        private ClassLoader classLoader;
        private Predicate<Object> unless;

        private Builder(String operation, String namespace, Type valueType) {
            this.operation = Objects.requireNonNull(operation, "operation");
            this.namespace = Objects.requireNonNull(namespace, "namespace");
            this.valueType = Objects.requireNonNull(valueType, "valueType");
        }

        /**
         * Sets the named store, empty for the default one.
         *
         * @param name the named store, empty for the default one
         * @return this builder
         */
        public Builder store(String name) {
            this.storeName = Objects.requireNonNull(name, "store");
            return this;
        }

        /**
         * Sets the ttl, validated by the caller.
         *
         * @param millis the ttl, validated by the caller
         * @return this builder
         */
        public Builder ttlMillis(long millis) {
            this.ttlMillis = millis;
            return this;
        }

        /**
         * Sets the lease, validated by the caller.
         *
         * @param millis the lease, validated by the caller
         * @return this builder
         */
        public Builder leaseMillis(long millis) {
            this.leaseMillis = millis;
            return this;
        }

        /**
         * Sets the wait timeout, validated by the caller.
         *
         * @param millis the wait timeout, validated by the caller
         * @return this builder
         */
        public Builder waitTimeoutMillis(long millis) {
            this.waitTimeoutMillis = millis;
            return this;
        }

        /**
         * Sets what a duplicate does.
         *
         * @param policy what a duplicate does
         * @return this builder
         */
        public Builder onInFlight(OnInFlight policy) {
            this.onInFlight = Objects.requireNonNull(policy, "onInFlight");
            return this;
        }

        /**
         * Sets what a store failure does.
         *
         * @param policy what a store failure does
         * @return this builder
         */
        public Builder onStoreError(OnStoreError policy) {
            this.onStoreError = Objects.requireNonNull(policy, "onStoreError");
            return this;
        }

        /**
         * Sets whether a missing key is an error.
         *
         * @param required whether a missing key is an error
         * @return this builder
         */
        public Builder keyRequired(boolean required) {
            this.keyRequired = required;
            return this;
        }

        /**
         * Sets the replayed exception types.
         *
         * @param types the replayed exception types
         * @return this builder
         */
        public Builder replayFailures(Class<? extends Throwable>[] types) {
            this.replayFailures = types.clone();
            return this;
        }

        /**
         * Sets whether the body returns a CompletionStage.
         *
         * @param async whether the body returns a CompletionStage
         * @return this builder
         */
        public Builder async(boolean async) {
            this.async = async;
            return this;
        }

        /**
         * Sets where the method's classes are.
         *
         * @param loader where the method's classes are
         * @return this builder
         */
        public Builder classLoader(ClassLoader loader) {
            this.classLoader = loader;
            return this;
        }

        /**
         * Sets the condition under which a returned value is not recorded.
         *
         * @param condition the condition, or null to record every value
         * @return this builder
         */
        public Builder unless(Predicate<Object> condition) {
            this.unless = condition;
            return this;
        }

        /**
         * Builds the spec.
         *
         * @return the spec
         */
        public OperationSpec build() {
            return new OperationSpec(operation, namespace, storeName, ttlMillis, leaseMillis, waitTimeoutMillis,
                    onInFlight, onStoreError, keyRequired, replayFailures.clone(), valueType, async, classLoader,
                    unless, new Memo());
        }
    }
}
