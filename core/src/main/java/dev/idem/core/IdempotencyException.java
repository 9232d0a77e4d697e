package dev.idem.core;

/**
 * The root of every exception idem throws. Unchecked; each failure mode has its own subtype, so callers can catch
 * exactly what they handle: {@link IdempotencyKeyReuseException}, {@link IdempotencyInProgressException},
 * {@link IdempotencyKeyException}, {@link IdempotencyStoreException}, {@link IdempotencyConfigurationException},
 * {@link IdempotencyReplayException} and {@link IdempotencyReentrancyException}.
 */
public class IdempotencyException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what happened
     */
    public IdempotencyException(String message) {
        super(message);
    }

    /**
     * Creates the exception with a cause.
     *
     * @param message what happened
     * @param cause the underlying failure
     */
    public IdempotencyException(String message, Throwable cause) {
        super(message, cause);
    }
}
