package dev.idem.core.event;

import java.util.Objects;

/**
 * One decision of the engine, as seen by an {@link IdempotencyListener}. Immutable.
 *
 * @param type what happened
 * @param operation the method ({@code Class#method}) or the programmatic operation's namespace
 * @param namespace the key namespace
 * @param latencyNanos the time the call spent in idem and the method, in nanoseconds
 * @param detail a human-readable detail (the key is not included: it may carry personal data), possibly empty
 */
public record IdempotencyEvent(Type type, String operation, String namespace, long latencyNanos, String detail) {

    /** The kinds of decision. */
    public enum Type {
        /** The first call with a key ran the method and recorded its outcome. */
        EXECUTED,
        /** A repeat call got the recorded outcome without running the method. */
        REPLAYED,
        /** A duplicate waited for the first call; a {@link #REPLAYED} or {@link #EXECUTED} event follows. */
        WAITED,
        /** A duplicate was refused while the first call runs ({@code REJECT}, or the wait timed out). */
        REJECTED,
        /** The key was reused with a different payload. */
        MISMATCH,
        /** The method threw a non-replayed exception; the claim was released. */
        RELEASED,
        /** The claim's lease lapsed while the method ran; its outcome could not be recorded. */
        LEASE_LOST,
        /** The store failed. */
        STORE_ERROR,
        /** The method ran without protection: store error with {@code PROCEED}, or no key with
         * {@code keyRequired = false}. */
        UNPROTECTED
    }

    /**
     * Creates an event.
     *
     * @param type what happened
     * @param operation the method or operation name
     * @param namespace the key namespace
     * @param latencyNanos the latency in nanoseconds
     * @param detail a detail, possibly empty
     */
    public IdempotencyEvent {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(namespace, "namespace");
        detail = detail == null ? "" : detail;
    }
}
