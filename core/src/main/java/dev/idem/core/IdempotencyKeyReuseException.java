package dev.idem.core;

/**
 * The key was already used with a different payload (fingerprint). The method body does not run and the
 * existing record is left untouched. In HTTP terms: 422 Unprocessable Content.
 */
public class IdempotencyKeyReuseException extends IdempotencyException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what happened, naming the method and key where known
     */
    public IdempotencyKeyReuseException(String message) {
        super(message);
    }

    /**
     * Creates the exception with a cause.
     *
     * @param message what happened, naming the method and key where known
     * @param cause the underlying failure
     */
    public IdempotencyKeyReuseException(String message, Throwable cause) {
        super(message, cause);
    }
}
