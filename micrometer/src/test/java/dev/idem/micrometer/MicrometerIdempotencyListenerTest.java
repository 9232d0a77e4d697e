package dev.idem.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.idem.core.Idempotency;
import dev.idem.core.IdempotencyConfig;
import dev.idem.core.IdempotentOperation;
import dev.idem.core.event.CallObservation;
import dev.idem.core.event.CallStart;
import dev.idem.core.event.IdempotencyEvent;
import dev.idem.store.caffeine.CaffeineIdempotencyStore;
import io.micrometer.common.KeyValues;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The listener's own settings: no-op registries, the plain-Micrometer shortcut, conventions, calls-less events. */
class MicrometerIdempotencyListenerTest {
    private static final CallStart CALL = new CallStart("Payments#charge", "payments", "default", false);

    @AfterEach
    void reset() {
        Idempotency.reset();
    }

    private static IdempotentOperation<Integer> configure(MicrometerIdempotencyListener listener) {
        Idempotency.configure(IdempotencyConfig.builder()
                .defaultStore(CaffeineIdempotencyStore.create())
                .listener(listener)
                .build());
        return Idempotency.operation("payments", Integer.class).build();
    }

    @Test
    void noopRegistry_withoutMeters_followsNoCall() {
        assertThat(MicrometerIdempotencyListener.builder(ObservationRegistry.NOOP).build().onCallStart(CALL))
                .isSameAs(CallObservation.NONE);
        assertThat(MicrometerIdempotencyListener.builder(ObservationRegistry.create()).build().onCallStart(CALL))
                .as("a registry without handlers").isSameAs(CallObservation.NONE);
    }

    @Test
    void noopRegistry_withMeters_stillCountsAndGauges() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        IdempotentOperation<Integer> op = configure(
                MicrometerIdempotencyListener.builder(ObservationRegistry.NOOP).meterRegistry(meters).build());
        assertThat(op.execute("k", "p", () -> {
            assertThat(meters.get(MicrometerIdempotencyListener.CLAIMS_HELD).gauge().value()).isEqualTo(1.0);
            return 1;
        })).isEqualTo(1);

        assertThat(meters.get(MicrometerIdempotencyListener.EVENTS)
                .tag(MicrometerIdempotencyListener.EVENT_TAG, "executed").counter().count()).isEqualTo(1.0);
        assertThat(meters.get(MicrometerIdempotencyListener.CLAIMS_HELD).tag("idem.store", "default").gauge().value())
                .isZero();
        assertThat(meters.find("idem.call").timers()).as("no observation handler, no timer").isEmpty();
    }

    @Test
    void of_meterRegistry_timesCallsThroughAMeterHandler() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        IdempotentOperation<Integer> op = configure(MicrometerIdempotencyListener.of(meters));
        op.execute("k", "p", () -> 1);
        op.execute("k", "p", () -> 2);

        assertThat(meters.get("idem.call").tags("idem.operation", "payments", "idem.namespace", "payments",
                "idem.store", "default", "idem.outcome", "executed", "error", "none").timer().count()).isEqualTo(1);
        assertThat(meters.get("idem.call").tag("idem.outcome", "replayed").timer().count()).isEqualTo(1);
        assertThat(meters.get(MicrometerIdempotencyListener.EVENTS)
                .tag(MicrometerIdempotencyListener.EVENT_TAG, "replayed").counter().count()).isEqualTo(1.0);
        assertThat(meters.get("idem.call.active").longTaskTimer().activeTasks()).isZero();
    }

    @Test
    void conventions_renameAndRetagTheObservations() {
        TestObservationRegistry observations = TestObservationRegistry.create();
        IdempotentOperation<Integer> op = configure(MicrometerIdempotencyListener.builder(observations)
                .convention(new DefaultIdempotencyObservationConvention() {
                    @Override
                    public String getName() {
                        return "payments.idem";
                    }

                    @Override
                    public KeyValues getLowCardinalityKeyValues(IdempotencyObservationContext context) {
                        return super.getLowCardinalityKeyValues(context).and("team", "payments");
                    }
                })
                .build());
        op.execute("k", "p", () -> 1);

        TestObservationRegistryAssert.assertThat(observations).hasSingleObservationThat()
                .hasNameEqualTo("payments.idem")
                .hasContextualNameEqualTo("idem payments")
                .hasLowCardinalityKeyValue("team", "payments")
                .hasLowCardinalityKeyValue("idem.outcome", "executed");
    }

    @Test
    void eventsOfNoCall_areCounted() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        MicrometerIdempotencyListener listener = MicrometerIdempotencyListener.of(meters);
        // what a lease renewal reports: it belongs to no call
        listener.onEvent(new IdempotencyEvent(IdempotencyEvent.Type.LEASE_LOST, "Payments#charge", "payments", "redis",
                0, "renew"));
        listener.onEvent(new IdempotencyEvent(IdempotencyEvent.Type.STORE_ERROR, "Payments#charge", "payments",
                "redis", 0, "renew: timeout"));
        listener.onEvent(new IdempotencyEvent(IdempotencyEvent.Type.STORE_ERROR, "Payments#charge", "payments",
                "redis", 0, "renew: timeout"));

        assertThat(meters.get(MicrometerIdempotencyListener.EVENTS).tags(MicrometerIdempotencyListener.EVENT_TAG,
                "lease-lost", "idem.operation", "Payments#charge", "idem.namespace", "payments", "idem.store", "redis")
                .counter().count()).isEqualTo(1.0);
        assertThat(meters.get(MicrometerIdempotencyListener.EVENTS)
                .tag(MicrometerIdempotencyListener.EVENT_TAG, "store-error").counter().count()).isEqualTo(2.0);
        assertThat(meters.find("idem.call").timers()).isEmpty();
    }
}
