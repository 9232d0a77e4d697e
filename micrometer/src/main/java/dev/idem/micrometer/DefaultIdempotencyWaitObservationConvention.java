package dev.idem.micrometer;

import static dev.idem.micrometer.IdempotencyObservationDocumentation.LowCardinalityKeyNames.NAMESPACE;
import static dev.idem.micrometer.IdempotencyObservationDocumentation.LowCardinalityKeyNames.OPERATION;
import static dev.idem.micrometer.IdempotencyObservationDocumentation.LowCardinalityKeyNames.STORE;

import io.micrometer.common.KeyValues;

/**
 * The default convention of the {@code idem.wait} observation: named {@value #NAME}, contextually
 * {@code "idem wait " + operation}, tagged {@code idem.operation}, {@code idem.namespace} and {@code idem.store}.
 * Extend it to add tags. Thread-safe and stateless.
 */
public class DefaultIdempotencyWaitObservationConvention implements IdempotencyWaitObservationConvention {
    /** The observation's name, and so the timer's. */
    public static final String NAME = "idem.wait";

    /** A shared instance. */
    public static final DefaultIdempotencyWaitObservationConvention INSTANCE =
            new DefaultIdempotencyWaitObservationConvention();

    /** Creates the convention (see {@link #INSTANCE}). */
    public DefaultIdempotencyWaitObservationConvention() {
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
     * {@code "idem wait " + operation}.
     *
     * @param context the wait's context
     * @return the contextual name
     */
    @Override
    public String getContextualName(IdempotencyWaitContext context) {
        return "idem wait " + context.getCall().getOperation();
    }

    /**
     * The waiting call's operation, namespace and store.
     *
     * @param context the wait's context
     * @return the tags
     */
    @Override
    public KeyValues getLowCardinalityKeyValues(IdempotencyWaitContext context) {
        IdempotencyObservationContext call = context.getCall();
        return KeyValues.of(OPERATION.withValue(call.getOperation()), NAMESPACE.withValue(call.getNamespace()),
                STORE.withValue(call.getStore()));
    }
}
