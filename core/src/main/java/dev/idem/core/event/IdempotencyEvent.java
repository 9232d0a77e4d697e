package dev.idem.core.event;

import java.util.Objects;

/**
 * One decision of the engine, as seen by an {@link IdempotencyListener}. Immutable.
 *
 * @param type what happened
 * @param operation the method ({@code Class#method}) or the programmatic operation's namespace
 * @param namespace the key namespace
 * @param store the name of the store the method uses ({@code @Idempotent(store = ...)}), {@code "default"} for the
 *     default store
 * @param latencyNanos the time the call had spent in idem and the method when this happened, in nanoseconds (0 for
 *     an event that belongs to no call, as a lease renewal's)
 * @param detail a human-readable detail (the key is not included: it may carry personal data), possibly empty
 */
public record IdempotencyEvent(Type type, String operation, String namespace, String store, long latencyNanos,
        String detail) {

    /** The name {@link #store()} gives the default store. */
    public static final String DEFAULT_STORE = "default";

    /** The kinds of decision. */
    public enum Type {
        /** The first call with a key ran the method and recorded its outcome. */
        EXECUTED,
        /** A repeat call got the recorded outcome (a value or a replayed failure) without running the method. */
        REPLAYED,
        /**
         * A duplicate waited for the call holding its key, and the wait is over: a {@link #REPLAYED} event follows
         * (or {@link #EXECUTED}, {@link #RELEASED}... when the holder released the key and this call claimed it).
         * A wait that ends without an outcome (timeout, interrupt) is reported as {@link #REJECTED} instead.
         */
        WAITED,
        /**
         * The call was refused and the method did not run: a duplicate while the first call runs ({@code REJECT}, the
         * wait timed out or was interrupted), a re-entrant call, a missing, blank or too long key (with
         * {@code keyRequired = true}), a key the store refused, a payload without a canonical form, or a recorded
         * outcome that cannot be replayed. The detail says which.
         */
        REJECTED,
        /** The key was reused with a different payload. */
        MISMATCH,
        /** The method threw a non-replayed exception (or its result matched {@code unless}); the claim was released. */
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
     * @param store the store's name, {@link #DEFAULT_STORE} for the default one
     * @param latencyNanos the latency in nanoseconds
     * @param detail a detail, possibly empty
     */
    public IdempotencyEvent {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(store, "store");
        detail = detail == null ? "" : detail;
    }

    /**
     * Creates an event of the default store (the form before events named their store).
     *
     * @param type what happened
     * @param operation the method or operation name
     * @param namespace the key namespace
     * @param latencyNanos the latency in nanoseconds
     * @param detail a detail, possibly empty
     */
    public IdempotencyEvent(Type type, String operation, String namespace, long latencyNanos, String detail) {
        this(type, operation, namespace, DEFAULT_STORE, latencyNanos, detail);
    }
}
