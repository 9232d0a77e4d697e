package dev.idem.core.event;

/**
 * Follows one call from start to end, for timers and traces: what {@link IdempotencyListener#onCallStart} returns.
 * Every method has an empty default; {@link #NONE} observes nothing.
 *
 * <p>The engine calls these in this order: {@link #onWaitStart} and then {@link #onWaitEnd} at most once each, when
 * the call waits for another call holding its key; {@link #onBodyStart} and {@link #onBodyEnd} at most once each,
 * around the method body, on the thread that runs it (an asynchronous body's synchronous part: the body's own
 * spans start inside this, so a tracer nests them under the call); and {@link #onEnd} exactly once, last, when the
 * caller gets its value or exception (for an asynchronous method, when its stage completes, on that thread). The
 * events of the call are delivered in between, to {@link #onEvent} as well as to the listeners. A method that throws is logged
 * and otherwise ignored. One instance serves one call; it need not be thread-safe, but {@link #onEnd} of an
 * asynchronous call can run on another thread than the others (after them).
 */
public interface CallObservation {

    /** Observes nothing. */
    CallObservation NONE = new CallObservation() {
    };

    /** The call starts waiting for another call that holds its key. */
    default void onWaitStart() {
    }

    /** The wait is over: the holder settled, the wait timed out or was interrupted, or the store failed. */
    default void onWaitEnd() {
    }

    /**
     * An event of this call, after the listeners' {@link IdempotencyListener#onEvent} got it: for example
     * {@link IdempotencyEvent.Type#UNPROTECTED} just before a body that runs without a claim.
     *
     * @param event the event
     */
    default void onEvent(IdempotencyEvent event) {
    }

    /**
     * The method body starts, on this thread: the call claimed the key, or it runs unprotected (an
     * {@link IdempotencyEvent.Type#UNPROTECTED} event came just before).
     */
    default void onBodyStart() {
    }

    /** The body returned or threw, on the thread that called {@link #onBodyStart}. */
    default void onBodyEnd() {
    }

    /**
     * The call is over.
     *
     * @param outcome the call's decision: the type of its last event ({@link IdempotencyEvent.Type#EXECUTED},
     *     {@link IdempotencyEvent.Type#REPLAYED}, {@link IdempotencyEvent.Type#REJECTED}...); {@code EXECUTED} for a
     *     value or failure the store has not yet confirmed
     * @param error what the caller gets thrown (the method's exception, a replayed one or an idem exception), or null
     */
    default void onEnd(IdempotencyEvent.Type outcome, Throwable error) {
    }
}
