package dev.idem.micrometer;

import static dev.idem.micrometer.IdempotencyObservationDocumentation.LowCardinalityKeyNames.NAMESPACE;
import static dev.idem.micrometer.IdempotencyObservationDocumentation.LowCardinalityKeyNames.OPERATION;
import static dev.idem.micrometer.IdempotencyObservationDocumentation.LowCardinalityKeyNames.OUTCOME;
import static dev.idem.micrometer.IdempotencyObservationDocumentation.LowCardinalityKeyNames.STORE;

import dev.idem.core.event.IdempotencyEvent;
import io.micrometer.common.KeyValues;

/**
 * The default convention of the {@code idem.call} observation: named {@value #NAME}, contextually
 * {@code "idem " + operation} (a span's name), tagged {@code idem.operation}, {@code idem.namespace},
 * {@code idem.store} and, once the call ended, {@code idem.outcome} (the outcome lower case with dashes:
 * {@code lease-lost}). Extend it to add tags. Thread-safe and stateless.
 */
public class DefaultIdempotencyObservationConvention implements IdempotencyObservationConvention {
    /** The observation's name, and so the timer's. */
    public static final String NAME = "idem.call";

    /** A shared instance. */
    public static final DefaultIdempotencyObservationConvention INSTANCE = new DefaultIdempotencyObservationConvention();

    /** Creates the convention (see {@link #INSTANCE}). */
    public DefaultIdempotencyObservationConvention() {
    }

    /**
     * {@value #NAME}.
     *
     * @return the name
     */
    @Override
    public String getName() {
        return NAME;
    }

    /**
     * {@code "idem " + operation}, for example {@code idem PaymentService#charge}.
     *
     * @param context the call's context
     * @return the contextual name
     */
    @Override
    public String getContextualName(IdempotencyObservationContext context) {
        return "idem " + context.getOperation();
    }

    /**
     * Operation, namespace and store; the outcome too once the call ended.
     *
     * @param context the call's context
     * @return the tags
     */
    @Override
    public KeyValues getLowCardinalityKeyValues(IdempotencyObservationContext context) {
        KeyValues tags = KeyValues.of(OPERATION.withValue(context.getOperation()),
                NAMESPACE.withValue(context.getNamespace()), STORE.withValue(context.getStore()));
        IdempotencyEvent.Type outcome = context.getOutcome();
        return outcome == null ? tags : tags.and(OUTCOME.withValue(Names.of(outcome)));
    }
}
