package dev.idem.core;

/**
 * The store failed or could not be reached. Thrown before the method body runs (fail closed), unless the
 * method opted into {@code OnStoreError.PROCEED}.
 */
public class IdempotencyStoreException extends IdempotencyException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what happened, naming the method and key where known
     */
    public IdempotencyStoreException(String message) {
        super(message);
    }

    /**
     * Creates the exception with a cause.
     *
     * @param message what happened, naming the method and key where known
     * @param cause the underlying failure
     */
    public IdempotencyStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
