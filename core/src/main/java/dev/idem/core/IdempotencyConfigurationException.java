package dev.idem.core;

/**
 * Invalid configuration: a bad duration or expression on an {@code @Idempotent} method (the message names the
 * method, the attribute and the text), an unknown store name, or no store at all. The method body never runs.
 */
public class IdempotencyConfigurationException extends IdempotencyException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what happened, naming the method and key where known
     */
    public IdempotencyConfigurationException(String message) {
        super(message);
    }

    /**
     * Creates the exception with a cause.
     *
     * @param message what happened, naming the method and key where known
     * @param cause the underlying failure
     */
    public IdempotencyConfigurationException(String message, Throwable cause) {
        super(message, cause);
    }
}
