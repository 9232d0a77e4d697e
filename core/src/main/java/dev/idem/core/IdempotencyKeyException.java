package dev.idem.core;

/**
 * The key of a call is missing (null, empty, blank, or a null met on the expression's path: the message names
 * the null segment) or longer than the configured limit. The method body does not run.
 */
public class IdempotencyKeyException extends IdempotencyException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what happened, naming the method and key where known
     */
    public IdempotencyKeyException(String message) {
        super(message);
    }

    /**
     * Creates the exception with a cause.
     *
     * @param message what happened, naming the method and key where known
     * @param cause the underlying failure
     */
    public IdempotencyKeyException(String message, Throwable cause) {
        super(message, cause);
    }
}
