package dev.idem.benchmarks.redis;

import dev.idem.benchmarks.ChargeRequest;
import dev.idem.benchmarks.Receipt;
import java.io.IOException;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

/**
 * The replay case on Redis, measured by its subclasses in one mode each ({@link ReplayBenchmark}: throughput,
 * {@link ReplayLatencyBenchmark}: latency): the same request again, recorded once before the trial, from 1, 16 and 64
 * caller threads. {@code replay<threads>_idem} calls the woven {@link RedisPayments#charge} (one {@code EVALSHA}
 * that reads the record); {@code replay<threads>_floor} is raw Redisson on the same client: one {@code GET} and the
 * receipt decoded ({@link RedisFloor#replay}). Every trial starts its own {@code redis-server} ({@link RedisFixture}).
 */
@State(Scope.Benchmark)
public abstract class ReplayCase {
    private RedisFixture fixture;
    private RedisPayments payments;
    private RedisFloor floor;
    private ChargeRequest request;

    /** For the subclasses. */
    protected ReplayCase() {
    }

    /**
     * Starts the server, configures idem on it and records the request with both idem and the floor.
     *
     * @throws IOException if the server cannot be started
     */
    @Setup(Level.Trial)
    public void setUp() throws IOException {
        fixture = RedisFixture.start();
        payments = fixture.payments();
        floor = fixture.floor();
        request = new ChargeRequest("order-4711-2026-12-02", 1999, "EUR");
        payments.charge(request);
        floor.firstCall(request);
        payments.charge(request); // the script is loaded and the replay works, before the first iteration
        floor.replay(request);
    }

    /** Stops the client and the server. */
    @TearDown(Level.Trial)
    public void tearDown() {
        fixture.close();
    }

    /**
     * idem, 1 caller.
     *
     * @return the replayed receipt
     */
    @Benchmark
    @Threads(1)
    public Receipt replay1_idem() {
        return payments.charge(request);
    }

    /**
     * The floor, 1 caller.
     *
     * @return the stored receipt
     */
    @Benchmark
    @Threads(1)
    public Receipt replay1_floor() {
        return floor.replay(request);
    }

    /**
     * idem, 16 callers.
     *
     * @return the replayed receipt
     */
    @Benchmark
    @Threads(16)
    public Receipt replay16_idem() {
        return payments.charge(request);
    }

    /**
     * The floor, 16 callers.
     *
     * @return the stored receipt
     */
    @Benchmark
    @Threads(16)
    public Receipt replay16_floor() {
        return floor.replay(request);
    }

    /**
     * idem, 64 callers.
     *
     * @return the replayed receipt
     */
    @Benchmark
    @Threads(64)
    public Receipt replay64_idem() {
        return payments.charge(request);
    }

    /**
     * The floor, 64 callers.
     *
     * @return the stored receipt
     */
    @Benchmark
    @Threads(64)
    public Receipt replay64_floor() {
        return floor.replay(request);
    }
}
