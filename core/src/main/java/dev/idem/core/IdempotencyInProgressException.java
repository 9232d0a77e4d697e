package dev.idem.core;

/**
 * A call with the same key is still running: thrown at once with {@code OnInFlight.REJECT}, or after
 * {@code waitTimeout} with {@code OnInFlight.WAIT}. The method body did not run for this call; retrying later is safe.
 * In HTTP terms: 409 Conflict.
 */
public class IdempotencyInProgressException extends IdempotencyException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what happened, naming the method and key where known
     */
    public IdempotencyInProgressException(String message) {
        super(message);
    }

    /**
     * Creates the exception with a cause.
     *
     * @param message what happened, naming the method and key where known
     * @param cause the underlying failure
     */
    public IdempotencyInProgressException(String message, Throwable cause) {
        super(message, cause);
    }
}
