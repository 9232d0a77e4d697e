package dev.idem.core.internal;

/**
 * What one idempotent call gave: the value for the caller (for an asynchronous body, its future) and whether it was
 * replayed rather than run.
 *
 * @param value the result, as the entry point returns it
 * @param replayed true if a recorded outcome was returned without running the body
 */
public record CallResult(Object value, boolean replayed) {

    /**
     * A result of a body that ran (or ran unprotected).
     *
     * @param value the result
     * @return the result, not replayed
     */
    static CallResult ran(Object value) {
        return new CallResult(value, false);
    }

    /**
     * A replayed result.
     *
     * @param value the recorded result
     * @return the result, replayed
     */
    static CallResult replayed(Object value) {
        return new CallResult(value, true);
    }
}
