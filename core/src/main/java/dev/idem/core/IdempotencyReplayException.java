package dev.idem.core;

/**
 * A recorded outcome exists for the key but cannot be replayed, for example because the store could not encode
 * it when it was recorded (not serializable, or larger than the limit). The method body does not run again: the first
 * call did happen and its caller got its result.
 */
public class IdempotencyReplayException extends IdempotencyException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what happened, naming the method and key where known
     */
    public IdempotencyReplayException(String message) {
        super(message);
    }

    /**
     * Creates the exception with a cause.
     *
     * @param message what happened, naming the method and key where known
     * @param cause the underlying failure
     */
    public IdempotencyReplayException(String message, Throwable cause) {
        super(message, cause);
    }
}
