package dev.idem.micrometer;

import dev.idem.core.event.CallStart;
import dev.idem.core.event.IdempotencyEvent;
import io.micrometer.observation.Observation;
import java.util.Objects;

/**
 * The context of an {@code idem.call} observation: what is known of one idempotent call, and at its end its outcome.
 * An {@link IdempotencyObservationConvention} reads it to name and tag the observation. It carries no key: a key may
 * hold personal data and has unbounded cardinality.
 *
 * <p>The getters follow Micrometer's naming ({@code getX}), as {@link Observation.Context}'s own do. The outcome is
 * written once, by the thread that ends the call, before the observation stops.
 */
public class IdempotencyObservationContext extends Observation.Context {
    private final CallStart call;
    private volatile IdempotencyEvent.Type outcome;

    /**
     * Creates the context of a call.
     *
     * @param call what the engine said of the call when it started
     */
    public IdempotencyObservationContext(CallStart call) {
        this.call = Objects.requireNonNull(call, "call");
    }

    /**
     * The method ({@code Class#method}) or the programmatic operation's namespace.
     *
     * @return the operation
     */
    public String getOperation() {
        return call.operation();
    }

    /**
     * The key namespace.
     *
     * @return the namespace
     */
    public String getNamespace() {
        return call.namespace();
    }

    /**
     * The name of the store the method uses, {@link IdempotencyEvent#DEFAULT_STORE} for the default one.
     *
     * @return the store's name
     */
    public String getStore() {
        return call.store();
    }

    /**
     * Whether the method returns a {@code CompletionStage}: the call then ends when the stage completes.
     *
     * @return true for an asynchronous method
     */
    public boolean isAsync() {
        return call.async();
    }

    /**
     * The call's outcome: the type of its last decision ({@code EXECUTED}, {@code REPLAYED}, {@code REJECTED}...).
     *
     * @return the outcome, or null while the call runs
     */
    public IdempotencyEvent.Type getOutcome() {
        return outcome;
    }

    /**
     * Sets the call's outcome; the listener does so when the call ends.
     *
     * @param outcome the outcome
     */
    public void setOutcome(IdempotencyEvent.Type outcome) {
        this.outcome = outcome;
    }
}
