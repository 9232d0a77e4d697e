package dev.idem.micrometer;

import dev.idem.core.event.CallObservation;
import dev.idem.core.event.CallStart;
import dev.idem.core.event.IdempotencyEvent;
import dev.idem.core.event.IdempotencyListener;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import java.util.Objects;

/**
 * idem's {@link IdempotencyListener} for Micrometer. Install it with
 * {@link dev.idem.core.IdempotencyConfig.Builder#listener}:
 *
 * <pre>{@code
 * IdempotencyConfig.builder()
 *         .listener(MicrometerIdempotencyListener.builder(observationRegistry).meterRegistry(meterRegistry).build())
 *         ...
 * }</pre>
 *
 * <p>What it makes (names and tags in {@code docs/metrics.md}):
 * <ul>
 * <li>an {@code idem.call} observation per call ({@link IdempotencyObservationDocumentation#CALL}), from its start to
 * its end, tagged with its outcome; the method body runs in its scope, so with micrometer-tracing it is a span and
 * the body's spans nest under it; with a meter handler it is the {@code idem.call} timer;</li>
 * <li>an {@code idem.wait} observation ({@link IdempotencyObservationDocumentation#WAIT}) for the wait of a duplicate,
 * a child of its call's;</li>
 * <li>with a {@link Builder#meterRegistry meter registry}: the counter {@value #EVENTS} of every decision by type
 * ({@value #EVENT_TAG}), operation, namespace and store, including those that belong to no call (a lease renewal's
 * {@code LEASE_LOST} or {@code STORE_ERROR}), and the gauge {@value #CLAIMS_HELD} of the claims this process holds
 * (bodies running under a claim, until their call ends) per store.</li>
 * </ul>
 * With {@link ObservationRegistry#NOOP} (or a registry without handlers) and no meter registry, a call costs one
 * check. The key is never a tag: the SPI does not hand it over.
 *
 * <p>This class is thread-safe. Use one per meter registry: a second one would find the first one's gauges there.
 */
public final class MicrometerIdempotencyListener implements IdempotencyListener {
    /** The counter of decisions. */
    public static final String EVENTS = "idem.events";
    /** The tag of {@value #EVENTS} that names the decision, lower case with dashes ({@code lease-lost}). */
    public static final String EVENT_TAG = "idem.event";
    /** The gauge of the claims this process holds. */
    public static final String CLAIMS_HELD = "idem.claims.held";

    private final ObservationRegistry observationRegistry;
    private final IdempotencyObservationConvention convention;
    private final IdempotencyWaitObservationConvention waitConvention;
    private final EventCounters counters;
    private final HeldClaims heldClaims;
    /** The timers recorded without observations, or null. */
    private final CallTimers timers;

    private MicrometerIdempotencyListener(Builder builder) {
        this.observationRegistry = builder.observationRegistry;
        this.convention = builder.convention;
        this.waitConvention = builder.waitConvention;
        this.counters = builder.meterRegistry == null ? null : new EventCounters(builder.meterRegistry);
        this.heldClaims = builder.meterRegistry == null ? null : new HeldClaims(builder.meterRegistry);
        if (builder.timers && builder.meterRegistry == null) {
            throw new IllegalStateException("timers(true) records into the meter registry: give one with "
                    + "meterRegistry(...)");
        }
        this.timers = builder.timers ? new CallTimers(builder.meterRegistry) : null;
    }

    /**
     * Starts building a listener that reports to an observation registry (with the handlers the application
     * registered on it: meters, tracing).
     *
     * @param observationRegistry where calls are observed; {@link ObservationRegistry#NOOP} for none
     * @return the builder
     */
    public static Builder builder(ObservationRegistry observationRegistry) {
        return new Builder(observationRegistry);
    }

    /**
     * A listener for plain Micrometer, without observations: the {@code idem.call} and {@code idem.wait} timers
     * (as a {@code DefaultMeterObservationHandler} would name and tag them, without its {@code .active} long task
     * timers) recorded straight into {@code meterRegistry}, which costs a fraction of an observation, and the
     * {@value #EVENTS} counter and {@value #CLAIMS_HELD} gauge. Equivalent to
     * {@code builder(ObservationRegistry.NOOP).meterRegistry(meterRegistry).timers(true).build()}. With an
     * application's {@code ObservationRegistry} (Spring Boot's), use {@link #builder} instead, so that tracing sees
     * the calls too.
     *
     * @param meterRegistry where the meters go
     * @return the listener
     */
    public static MicrometerIdempotencyListener of(MeterRegistry meterRegistry) {
        Objects.requireNonNull(meterRegistry, "meterRegistry");
        return builder(ObservationRegistry.NOOP).meterRegistry(meterRegistry).timers(true).build();
    }

    /**
     * Counts the decision in {@value #EVENTS}, if a meter registry was given.
     *
     * @param event what happened
     */
    @Override
    public void onEvent(IdempotencyEvent event) {
        if (counters != null) {
            counters.count(event);
        }
    }

    /**
     * Starts the call's {@code idem.call} observation, and follows the call for its wait, its scope and the
     * {@value #CLAIMS_HELD} gauge.
     *
     * @param call what is known of the call
     * @return the call's observation; {@link CallObservation#NONE} when nothing observes
     */
    @Override
    public CallObservation onCallStart(CallStart call) {
        boolean observed = !observationRegistry.isNoop();
        if (!observed && heldClaims == null) {
            return CallObservation.NONE;
        }
        if (!observed) {
            return new MeteredCall(heldClaims.of(call.store()), timers == null ? null : timers.of(call));
        }
        IdempotencyObservationContext context = new IdempotencyObservationContext(call);
        Observation observation = observed
                ? Observation.createNotStarted(convention, DefaultIdempotencyObservationConvention.INSTANCE,
                        () -> context, observationRegistry).start()
                : Observation.NOOP;
        return new MicrometerCallObservation(this, context, observation,
                heldClaims == null ? null : heldClaims.of(call.store()));
    }

    /** Starts the wait of a call as a child of its observation; {@link Observation#NOOP} if it is not observed. */
    Observation startWait(IdempotencyObservationContext call, Observation parent) {
        if (parent.isNoop()) {
            return Observation.NOOP;
        }
        IdempotencyWaitContext context = new IdempotencyWaitContext(call);
        return Observation.createNotStarted(waitConvention, DefaultIdempotencyWaitObservationConvention.INSTANCE,
                () -> context, observationRegistry).parentObservation(parent).start();
    }

    @Override
    public String toString() {
        return "MicrometerIdempotencyListener[meters=" + (counters != null) + "]";
    }

    /**
     * Builds a {@link MicrometerIdempotencyListener}; from {@link MicrometerIdempotencyListener#builder}. Not
     * thread-safe.
     */
    public static final class Builder {
        private final ObservationRegistry observationRegistry;
        private MeterRegistry meterRegistry;
        private IdempotencyObservationConvention convention;
        private IdempotencyWaitObservationConvention waitConvention;
        private boolean timers;

        private Builder(ObservationRegistry observationRegistry) {
            this.observationRegistry = Objects.requireNonNull(observationRegistry, "observationRegistry");
        }

        /**
         * Where the {@value #EVENTS} counter and the {@value #CLAIMS_HELD} gauge go; without one there are none
         * (the observations' own meters come from the observation registry's handlers).
         *
         * @param meterRegistry the meter registry
         * @return this builder
         */
        public Builder meterRegistry(MeterRegistry meterRegistry) {
            this.meterRegistry = Objects.requireNonNull(meterRegistry, "meterRegistry");
            return this;
        }

        /**
         * Names and tags the {@code idem.call} observation instead of
         * {@link DefaultIdempotencyObservationConvention}.
         *
         * @param convention the convention
         * @return this builder
         */
        public Builder convention(IdempotencyObservationConvention convention) {
            this.convention = Objects.requireNonNull(convention, "convention");
            return this;
        }

        /**
         * Names and tags the {@code idem.wait} observation instead of
         * {@link DefaultIdempotencyWaitObservationConvention}.
         *
         * @param waitConvention the convention
         * @return this builder
         */
        public Builder waitConvention(IdempotencyWaitObservationConvention waitConvention) {
            this.waitConvention = Objects.requireNonNull(waitConvention, "waitConvention");
            return this;
        }

        /**
         * Records the {@code idem.call} and {@code idem.wait} timers straight into the
         * {@link #meterRegistry meter registry}, without observations, when the observation registry is
         * {@link ObservationRegistry#NOOP}: the same names and tags as a {@code DefaultMeterObservationHandler} would
         * give them, at a fraction of an observation's cost. Default: false. Do not combine it with an observation
         * registry whose meter handler records into the same meter registry: idem observes calls there instead
         * (this setting then does nothing), so that a timer is never recorded twice.
         *
         * @param timers true to record the timers without observations
         * @return this builder
         */
        public Builder timers(boolean timers) {
            this.timers = timers;
            return this;
        }

        /**
         * Builds the listener.
         *
         * @return the listener
         * @throws IllegalStateException with {@link #timers timers(true)} but no meter registry
         */
        public MicrometerIdempotencyListener build() {
            return new MicrometerIdempotencyListener(this);
        }
    }
}
