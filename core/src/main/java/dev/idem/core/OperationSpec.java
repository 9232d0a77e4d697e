package dev.idem.core;

import com.fasterxml.jackson.databind.JavaType;
import dev.idem.annotation.OnInFlight;
import dev.idem.annotation.OnStoreError;
import dev.idem.core.internal.OutcomeCodec;
import dev.idem.core.spi.StoreKeys;
import java.lang.reflect.Type;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Everything the engine needs to know about one idempotent method or operation, resolved once: durations in
 * milliseconds, policies, the result type. Immutable (but for a log-once flag).
 */
final class OperationSpec {
    final String operation;
    final String namespace;
    final String storeName;
    final long ttlMillis;
    final long leaseMillis;
    final long waitTimeoutMillis;
    final OnInFlight onInFlight;
    final OnStoreError onStoreError;
    final boolean keyRequired;
    final Class<? extends Throwable>[] replayFailures;
    /** The type of the recorded value: the return type, or the value type of a CompletionStage. */
    final Type valueType;
    /** Whether the body returns a CompletionStage whose completion is the outcome. */
    final boolean async;
    /** Where the method's own classes are: used to find a replayed failure's class by name. */
    final ClassLoader classLoader;
    private volatile JavaType javaType;
    /** The stored key's prefix and namespace part, for the prefix it was made with (compared by identity). */
    private volatile KeyBase keyBase;
    final AtomicBoolean missingKeyLogged = new AtomicBoolean();

    OperationSpec(String operation, String namespace, String storeName, long ttlMillis, long leaseMillis,
            long waitTimeoutMillis, OnInFlight onInFlight, OnStoreError onStoreError, boolean keyRequired,
            Class<? extends Throwable>[] replayFailures, Type valueType, boolean async, ClassLoader classLoader) {
        this.operation = operation;
        this.namespace = namespace;
        this.storeName = storeName;
        this.ttlMillis = ttlMillis;
        this.leaseMillis = leaseMillis;
        this.waitTimeoutMillis = waitTimeoutMillis;
        this.onInFlight = onInFlight;
        this.onStoreError = onStoreError;
        this.keyRequired = keyRequired;
        this.replayFailures = replayFailures.clone();
        this.valueType = valueType;
        this.async = async;
        this.classLoader = classLoader;
    }

    JavaType javaType() {
        JavaType t = javaType;
        if (t == null) {
            t = OutcomeCodec.javaType(valueType);
            javaType = t;
        }
        return t;
    }

    /**
     * The escaped {@code prefix:namespace:} part of this operation's stored keys, computed once per prefix.
     *
     * @param config the configuration in force
     * @param shared whether the store is shared (only a shared store gets the global prefix)
     */
    String keyBase(IdempotencyConfig config, boolean shared) {
        String prefix = shared ? config.keyPrefix() : "";
        KeyBase k = keyBase;
        if (k == null || k.prefix != prefix) {
            k = new KeyBase(prefix, StoreKeys.base(prefix, namespace));
            keyBase = k;
        }
        return k.base;
    }

    private record KeyBase(String prefix, String base) {
    }

    boolean isReplayed(Throwable failure) {
        for (Class<? extends Throwable> type : replayFailures) {
            if (type.isInstance(failure)) {
                return true;
            }
        }
        return false;
    }
}
