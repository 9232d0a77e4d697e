package dev.idem.benchmarks.redis;

import dev.idem.benchmarks.ChargeRequest;
import dev.idem.benchmarks.Receipt;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

/**
 * The first-call case on Redis, measured by its subclasses in one mode each ({@link FirstCallBenchmark}: throughput,
 * {@link FirstCallLatencyBenchmark}: latency): a request with a new key every call, from 1, 16 and 64 caller threads.
 * {@code firstCall<threads>_idem} calls the woven {@link RedisPayments#charge} (claim, the body, complete: two
 * {@code EVALSHA}); {@code firstCall<threads>_floor} is raw Redisson on the same client: {@code SET NX} with a lease,
 * the body, {@code SET} with the ttl ({@link RedisFloor#firstCall}). Both record with a ttl of one minute, so the
 * server holds at most a minute of keys. Every trial starts its own {@code redis-server} ({@link RedisFixture}).
 */
@State(Scope.Benchmark)
public abstract class FirstCallCase {
    private RedisFixture fixture;
    private RedisPayments payments;
    private RedisFloor floor;

    /** For the subclasses. */
    protected FirstCallCase() {
    }

    /**
     * The new keys of one caller thread: {@code t<thread>-<counter>}, unique within the trial's fresh server.
     */
    @State(Scope.Thread)
    public static class NewKeys {
        private static final AtomicInteger THREADS = new AtomicInteger();

        private final String prefix = "t" + THREADS.incrementAndGet() + "-";
        private long next;

        /** Keys for one thread. */
        public NewKeys() {
        }

        ChargeRequest next() {
            return new ChargeRequest(prefix + next++, 1999, "EUR");
        }
    }

    /**
     * Starts the server and configures idem on it; a call each on idem and the floor loads the scripts and
     * connects before the first iteration.
     *
     * @throws IOException if the server cannot be started
     */
    @Setup(Level.Trial)
    public void setUp() throws IOException {
        fixture = RedisFixture.start();
        payments = fixture.payments();
        floor = fixture.floor();
        payments.charge(new ChargeRequest("warm-up", 1999, "EUR"));
        floor.firstCall(new ChargeRequest("warm-up", 1999, "EUR"));
    }

    /** Stops the client and the server. */
    @TearDown(Level.Trial)
    public void tearDown() {
        fixture.close();
    }

    /**
     * idem, 1 caller.
     *
     * @param keys the caller's new keys
     * @return the new receipt
     */
    @Benchmark
    @Threads(1)
    public Receipt firstCall1_idem(NewKeys keys) {
        return payments.charge(keys.next());
    }

    /**
     * The floor, 1 caller.
     *
     * @param keys the caller's new keys
     * @return the new receipt
     */
    @Benchmark
    @Threads(1)
    public Receipt firstCall1_floor(NewKeys keys) {
        return floor.firstCall(keys.next());
    }

    /**
     * idem, 16 callers.
     *
     * @param keys the caller's new keys
     * @return the new receipt
     */
    @Benchmark
    @Threads(16)
    public Receipt firstCall16_idem(NewKeys keys) {
        return payments.charge(keys.next());
    }

    /**
     * The floor, 16 callers.
     *
     * @param keys the caller's new keys
     * @return the new receipt
     */
    @Benchmark
    @Threads(16)
    public Receipt firstCall16_floor(NewKeys keys) {
        return floor.firstCall(keys.next());
    }

    /**
     * idem, 64 callers.
     *
     * @param keys the caller's new keys
     * @return the new receipt
     */
    @Benchmark
    @Threads(64)
    public Receipt firstCall64_idem(NewKeys keys) {
        return payments.charge(keys.next());
    }

    /**
     * The floor, 64 callers.
     *
     * @param keys the caller's new keys
     * @return the new receipt
     */
    @Benchmark
    @Threads(64)
    public Receipt firstCall64_floor(NewKeys keys) {
        return floor.firstCall(keys.next());
    }
}
