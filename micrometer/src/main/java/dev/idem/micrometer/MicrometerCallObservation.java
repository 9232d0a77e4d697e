package dev.idem.micrometer;

import dev.idem.core.event.CallObservation;
import dev.idem.core.event.IdempotencyEvent;
import io.micrometer.observation.Observation;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One call's {@code idem.call} observation, started by the listener; the engine drives it. The body runs inside its
 * scope, opened and closed on the body's thread; a wait is a child observation. The engine calls these in order and
 * {@link #onEnd} last (possibly on another thread, after the others), so plain fields suffice.
 */
final class MicrometerCallObservation implements CallObservation {
    private final MicrometerIdempotencyListener listener;
    private final IdempotencyObservationContext context;
    private final Observation observation;
    /** This store's count of held claims, or null without a meter registry. */
    private final AtomicInteger heldClaims;
    private Observation wait;
    private Observation.Scope scope;
    private boolean holding;
    /** Whether the engine announced that the body runs without a claim ({@code UNPROTECTED}). */
    private boolean unprotected;

    MicrometerCallObservation(MicrometerIdempotencyListener listener, IdempotencyObservationContext context,
            Observation observation, AtomicInteger heldClaims) {
        this.listener = listener;
        this.context = context;
        this.observation = observation;
        this.heldClaims = heldClaims;
    }

    @Override
    public void onWaitStart() {
        if (wait == null) {
            wait = listener.startWait(context, observation);
        }
    }

    @Override
    public void onWaitEnd() {
        stopWait();
    }

    private void stopWait() {
        if (wait != null) {
            wait.stop();
            wait = null;
        }
    }

    @Override
    public void onEvent(IdempotencyEvent event) {
        if (event.type() == IdempotencyEvent.Type.UNPROTECTED) {
            unprotected = true; // the body that follows holds no claim
        }
    }

    @Override
    public void onBodyStart() {
        if (heldClaims != null && !holding && !unprotected) {
            holding = true;
            heldClaims.incrementAndGet();
        }
        scope = observation.openScope();
    }

    @Override
    public void onBodyEnd() {
        if (scope != null) {
            scope.close();
            scope = null;
        }
    }

    @Override
    public void onEnd(IdempotencyEvent.Type outcome, Throwable error) {
        stopWait(); // the engine ends a wait first; this only keeps a timer from running on forever
        if (holding) {
            holding = false;
            heldClaims.decrementAndGet();
        }
        context.setOutcome(outcome);
        if (error != null) {
            observation.error(error);
        }
        observation.stop();
    }
}
