package dev.idem.annotation;

/**
 * What a duplicate call does when it arrives while the first call with the same key is still running.
 *
 * @see Idempotent#onInFlight()
 */
public enum OnInFlight {
    /**
     * Block, without polling, until the first call completes and then return its recorded outcome; give up with an
     * {@code IdempotencyInProgressException} after {@link Idempotent#waitTimeout()}. If the first call fails with an
     * exception that is not replayed, its claim is released and the waiting call runs the method itself.
     */
    WAIT,
    /** Fail at once with an {@code IdempotencyInProgressException}; the caller may retry later. */
    REJECT
}
