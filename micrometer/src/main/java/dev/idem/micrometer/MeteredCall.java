package dev.idem.micrometer;

import dev.idem.core.event.CallObservation;
import dev.idem.core.event.IdempotencyEvent;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One call followed without an observation (the observation registry is a no-op): the held-claims gauge and, with
 * {@code timers(true)}, the {@code idem.call} and {@code idem.wait} timers recorded straight into the meter registry.
 * The engine calls these in order and {@link #onEnd} last (possibly on another thread, after the others), so plain
 * fields suffice.
 */
final class MeteredCall implements CallObservation {
    private final AtomicInteger heldClaims;
    /** The method's timers, or null without {@code timers(true)}. */
    private final CallTimers.Row timers;
    private final long start;
    private long waitStart;
    private boolean unprotected;
    private boolean holding;

    MeteredCall(AtomicInteger heldClaims, CallTimers.Row timers) {
        this.heldClaims = heldClaims;
        this.timers = timers;
        this.start = timers == null ? 0 : System.nanoTime();
    }

    @Override
    public void onWaitStart() {
        if (timers != null && waitStart == 0) {
            waitStart = System.nanoTime() | 1; // never 0
        }
    }

    @Override
    public void onWaitEnd() {
        stopWait();
    }

    private void stopWait() {
        if (waitStart != 0) {
            timers.recordWait(System.nanoTime() - waitStart);
            waitStart = 0;
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
        if (!holding && !unprotected) {
            holding = true;
            heldClaims.incrementAndGet();
        }
    }

    @Override
    public void onEnd(IdempotencyEvent.Type outcome, Throwable error) {
        if (holding) {
            holding = false;
            heldClaims.decrementAndGet();
        }
        if (timers != null) {
            stopWait();
            timers.recordCall(outcome, error, System.nanoTime() - start);
        }
    }
}
