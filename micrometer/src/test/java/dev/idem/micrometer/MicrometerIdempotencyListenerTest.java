package dev.idem.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
    void of_meterRegistry_timesCallsWithoutObservations_asAMeterHandlerWould() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        IdempotentOperation<Integer> op = configure(MicrometerIdempotencyListener.of(meters));
        op.execute("k", "p", () -> 1);
        op.execute("k", "p", () -> 2);

        assertThat(meters.get("idem.call").tags("idem.operation", "payments", "idem.namespace", "payments",
                "idem.store", "default", "idem.outcome", "executed", "error", "none").timer().count()).isEqualTo(1);
        assertThat(meters.get("idem.call").tag("idem.outcome", "replayed").timer().count()).isEqualTo(1);
        assertThat(meters.get(MicrometerIdempotencyListener.EVENTS)
                .tag(MicrometerIdempotencyListener.EVENT_TAG, "replayed").counter().count()).isEqualTo(1.0);
        assertThat(meters.find("idem.call.active").longTaskTimers()).isEmpty(); // no observation, no handler
        assertThatThrownBy(() -> op.execute("k", "other payload", () -> 3))
                .isInstanceOf(dev.idem.core.IdempotencyKeyReuseException.class);
        assertThat(meters.get("idem.call").tags("idem.outcome", "mismatch", "error",
                "IdempotencyKeyReuseException").timer().count()).isEqualTo(1);
    }

    @Test
    void directTimers_andAHandlerTimer_haveTheSameNameAndTags() {
        SimpleMeterRegistry direct = new SimpleMeterRegistry();
        configure(MicrometerIdempotencyListener.of(direct)).execute("k", "p", () -> 1);
        Idempotency.reset();
        SimpleMeterRegistry handled = new SimpleMeterRegistry();
        ObservationRegistry observations = ObservationRegistry.create();
        observations.observationConfig().observationHandler(
                new io.micrometer.core.instrument.observation.DefaultMeterObservationHandler(handled));
        configure(MicrometerIdempotencyListener.builder(observations).meterRegistry(handled).build())
                .execute("k", "p", () -> 1);
        assertThat(direct.get("idem.call").timer().getId()).isEqualTo(handled.get("idem.call").timer().getId());
    }

    @Test
    void directTimers_timeAWait_andTheGaugeCountsTheHeldClaim() throws Exception {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        java.util.concurrent.CountDownLatch waiting = new java.util.concurrent.CountDownLatch(1);
        dev.idem.core.event.IdempotencyListener waitSpy = new dev.idem.core.event.IdempotencyListener() {
            @Override
            public void onEvent(IdempotencyEvent event) {
            }

            @Override
            public CallObservation onCallStart(CallStart call) {
                return new CallObservation() {
                    @Override
                    public void onWaitStart() {
                        waiting.countDown();
                    }
                };
            }
        };
        Idempotency.configure(IdempotencyConfig.builder().defaultStore(CaffeineIdempotencyStore.create())
                .listener(MicrometerIdempotencyListener.of(meters)).listener(waitSpy).build());
        IdempotentOperation<Integer> op = Idempotency.operation("payments", Integer.class)
                .waitTimeout(java.time.Duration.ofSeconds(20)).build();
        java.util.concurrent.CountDownLatch running = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CompletableFuture<Integer> first = java.util.concurrent.CompletableFuture.supplyAsync(
                () -> op.execute("k", "p", () -> {
                    running.countDown();
                    try {
                        return release.await(10, java.util.concurrent.TimeUnit.SECONDS) ? 1 : -1;
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                }));
        assertThat(running.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(meters.get(MicrometerIdempotencyListener.CLAIMS_HELD).gauge().value()).isEqualTo(1.0);
        java.util.concurrent.CompletableFuture<Integer> second = java.util.concurrent.CompletableFuture.supplyAsync(
                () -> op.execute("k", "p", () -> 2));
        assertThat(waiting.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        release.countDown();
        assertThat(first.get(10, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(1);
        assertThat(second.get(10, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(1);
        assertThat(meters.get(MicrometerIdempotencyListener.CLAIMS_HELD).gauge().value()).isZero();
        assertThat(meters.get("idem.wait").tags("idem.operation", "payments", "error", "none").timer().count())
                .isEqualTo(1);
        assertThat(meters.get("idem.call").tag("idem.outcome", "executed").timer().count()).isEqualTo(1);
        assertThat(meters.get("idem.call").tag("idem.outcome", "replayed").timer().count()).isEqualTo(1);
    }

    @Test
    void timersWithoutAMeterRegistry_areRefused() {
        assertThatThrownBy(() -> MicrometerIdempotencyListener.builder(ObservationRegistry.NOOP).timers(true).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("meterRegistry");
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
