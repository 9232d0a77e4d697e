package dev.idem.benchmarks.caffeine;

import dev.idem.benchmarks.ChargeRequest;
import dev.idem.benchmarks.Payments;
import dev.idem.benchmarks.Receipt;
import dev.idem.core.Idempotency;
import dev.idem.core.IdempotencyConfig;
import dev.idem.micrometer.MicrometerIdempotencyListener;
import dev.idem.store.caffeine.CaffeineIdempotencyStore;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What metrics cost on a replay (the woven aspect, Caffeine store, default fingerprint): no listener (as
 * {@link ReplayBenchmark#replay_idem}), idem-micrometer on a no-op observation registry (instrumented but switched
 * off), with the counter and gauge only, with {@link MicrometerIdempotencyListener#of} on a
 * {@link SimpleMeterRegistry} (timers recorded without observations, the counter and the gauge), and with an
 * observation registry whose {@link DefaultMeterObservationHandler} makes the timers (what an application with
 * tracing pays).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ObservedReplayBenchmark {
    /** Which listener the configuration has. */
    @Param({"none", "micrometer-noop", "micrometer-counters", "micrometer", "micrometer-observation"})
    public String metrics;

    private Payments payments;
    private ChargeRequest request;

    /** Configures idem with the listener of this trial and records the request once. */
    @Setup(Level.Trial)
    public void setUp() {
        IdempotencyConfig.Builder config = IdempotencyConfig.builder().defaultStore(CaffeineIdempotencyStore.create());
        switch (metrics) {
            case "none" -> { }
            case "micrometer-noop" -> config.listener(MicrometerIdempotencyListener.builder(ObservationRegistry.NOOP)
                    .build());
            case "micrometer-counters" -> config.listener(MicrometerIdempotencyListener.builder(ObservationRegistry.NOOP)
                    .meterRegistry(new SimpleMeterRegistry()).build());
            case "micrometer" -> config.listener(MicrometerIdempotencyListener.of(new SimpleMeterRegistry()));
            case "micrometer-observation" -> {
                SimpleMeterRegistry meters = new SimpleMeterRegistry();
                ObservationRegistry observations = ObservationRegistry.create();
                observations.observationConfig().observationHandler(new DefaultMeterObservationHandler(meters));
                config.listener(MicrometerIdempotencyListener.builder(observations).meterRegistry(meters).build());
            }
            default -> throw new IllegalArgumentException(metrics);
        }
        Idempotency.configure(config.build());
        payments = new Payments();
        request = new ChargeRequest("order-4711-2026-12-02", 1999, "EUR");
        payments.charge(request);
    }

    /** Restores the default configuration. */
    @TearDown(Level.Trial)
    public void tearDown() {
        Idempotency.reset();
    }

    /**
     * A replay.
     *
     * @return the replayed receipt
     */
    @Benchmark
    public Receipt replay_idem() {
        return payments.charge(request);
    }
}
