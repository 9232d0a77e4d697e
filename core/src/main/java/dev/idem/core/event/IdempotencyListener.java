package dev.idem.core.event;

/**
 * Receives every decision the engine makes, for metrics and audit, and optionally follows each call
 * ({@link #onCallStart}), for timers and traces. Install with
 * {@link dev.idem.core.IdempotencyConfig.Builder#listener(IdempotencyListener)}; {@code idem-micrometer} binds it to
 * Micrometer.
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

    /**
     * Called when an idempotent call starts, before its key is read; the observation returned follows that call to its
     * end. The default follows nothing.
     *
     * @param call what is known of the call
     * @return the call's observation, {@link CallObservation#NONE} (not null) to follow nothing
     */
    default CallObservation onCallStart(CallStart call) {
        return CallObservation.NONE;
    }
}
