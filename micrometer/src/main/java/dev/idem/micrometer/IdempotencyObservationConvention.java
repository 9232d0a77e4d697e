package dev.idem.micrometer;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * Names and tags the {@code idem.call} observation of an idempotent call. Implement it (or extend
 * {@link DefaultIdempotencyObservationConvention}) and pass it to
 * {@link MicrometerIdempotencyListener.Builder#convention}; the default is used otherwise.
 */
public interface IdempotencyObservationConvention extends ObservationConvention<IdempotencyObservationContext> {

    /**
     * Supports the contexts of idempotent calls.
     *
     * @param context a context
     * @return whether it is an {@link IdempotencyObservationContext}
     */
    @Override
    default boolean supportsContext(Observation.Context context) {
        return context instanceof IdempotencyObservationContext;
    }
}
