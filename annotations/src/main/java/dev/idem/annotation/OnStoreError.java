package dev.idem.annotation;

/**
 * What a call does when the idempotency store cannot be reached or fails.
 *
 * @see Idempotent#onStoreError()
 */
public enum OnStoreError {
    /** Fail closed: throw {@code IdempotencyStoreException} before the method body runs. The default. */
    FAIL,
    /**
     * Fail open: run the method unprotected, as if it were not annotated. The event is logged and reported to
     * listeners. Choose this only where a duplicate execution is cheaper than an outage.
     */
    PROCEED
}
