package dev.idem.core.event;

import java.util.Objects;

/**
 * What is known of a call when it starts, given to {@link IdempotencyListener#onCallStart}. Immutable. It carries
 * no key: a key may hold personal data and has unbounded cardinality.
 *
 * @param operation the method ({@code Class#method}) or the programmatic operation's namespace
 * @param namespace the key namespace
 * @param store the name of the store the method uses, {@link IdempotencyEvent#DEFAULT_STORE} for the default one
 * @param async whether the method returns a {@code CompletionStage} (the call ends when the stage completes)
 */
public record CallStart(String operation, String namespace, String store, boolean async) {

    /**
     * Creates the description of a call.
     *
     * @param operation the method or operation name
     * @param namespace the key namespace
     * @param store the store's name
     * @param async whether the call ends when its stage completes
     */
    public CallStart {
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(store, "store");
    }
}
