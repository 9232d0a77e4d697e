package dev.idem.core.event;

/**
 * Receives every decision the engine makes, for metrics and audit. Install with
 * {@link dev.idem.core.IdempotencyConfig.Builder#listener(IdempotencyListener)}.
 *
 * <p>Called synchronously on the calling thread (or the thread completing an asynchronous result): keep it fast and
 * never throw; an exception from a listener is logged and otherwise ignored. Implementations must be thread-safe.
 */
@FunctionalInterface
public interface IdempotencyListener {

    /**
     * Called for each decision.
     *
     * @param event what happened
     */
    void onEvent(IdempotencyEvent event);
}
