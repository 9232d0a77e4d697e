package dev.idem.core;

/**
 * The result of an idempotent call, with whether it was replayed: an HTTP layer uses {@link #replayed()} to set the
 * {@code Idempotent-Replayed} header.
 *
 * @param value the result of the method, possibly null
 * @param replayed true if the method did not run for this call and the value is the recorded outcome of an earlier
 *     one
 * @param <T> the result type
 */
public record IdempotentResult<T>(T value, boolean replayed) {
}
