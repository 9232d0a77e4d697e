package dev.idem.micrometer;

import io.micrometer.observation.Observation;
import java.util.Objects;

/**
 * The context of an {@code idem.wait} observation: a duplicate call waiting for the call that holds its key. Its
 * observation is a child of the call's {@code idem.call} observation, whose context {@link #getCall()} returns.
 */
public class IdempotencyWaitContext extends Observation.Context {
    private final IdempotencyObservationContext call;

    /**
     * Creates the context of a call's wait.
     *
     * @param call the context of the waiting call
     */
    public IdempotencyWaitContext(IdempotencyObservationContext call) {
        this.call = Objects.requireNonNull(call, "call");
    }

    /**
     * The context of the call that waits.
     *
     * @return the call's context
     */
    public IdempotencyObservationContext getCall() {
        return call;
    }
}
