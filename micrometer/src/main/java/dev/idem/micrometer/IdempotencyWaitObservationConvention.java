package dev.idem.micrometer;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * Names and tags the {@code idem.wait} observation of a duplicate's wait. Implement it (or extend
 * {@link DefaultIdempotencyWaitObservationConvention}) and pass it to
 * {@link MicrometerIdempotencyListener.Builder#waitConvention}; the default is used otherwise.
 */
public interface IdempotencyWaitObservationConvention extends ObservationConvention<IdempotencyWaitContext> {

    /**
     * Supports the contexts of waits.
     *
     * @param context a context
     * @return whether it is an {@link IdempotencyWaitContext}
     */
    @Override
    default boolean supportsContext(Observation.Context context) {
        return context instanceof IdempotencyWaitContext;
    }
}
