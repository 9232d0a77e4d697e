package dev.idem.core;

/**
 * An idempotent call reached the same key again on the same thread while the first call with that key was still
 * running there: the method (or one it calls) calls itself with the same key. Waiting would mean waiting for itself
 * until {@code waitTimeout}, so this is thrown at once instead; the inner call does not run, the outer one goes on and
 * sees this exception from its inner call. A programming error, not a duplicate request: in HTTP terms a 500.
 *
 * <p>Detected for calls on one thread; an asynchronous body whose stage is still pending does not hold its key on
 * the thread that started it, so a later call there is an ordinary duplicate.
 */
public class IdempotencyReentrancyException extends IdempotencyException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what happened, naming the method
     */
    public IdempotencyReentrancyException(String message) {
        super(message);
    }
}
