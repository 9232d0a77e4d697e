package dev.idem.benchmarks.redis;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.idem.benchmarks.ChargeRequest;
import dev.idem.benchmarks.Receipt;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * A replay through the near-cache: the Redis store behind {@code NearCachedStore}, the request recorded once by this
 * JVM, then replayed from the local copy (no Redis command; the outcome is still decoded from its recorded bytes on
 * every replay, as it is from Redis, so callers never share one mutable result), beside the hand-written Caffeine
 * memoization ({@code cache.get(id, ...)}), the floor of the Caffeine replay.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class NearCacheReplayBenchmark {
    private RedisFixture fixture;
    private RedisPayments payments;
    private ChargeRequest request;
    private Cache<String, Receipt> cache;

    /** Public for JMH. */
    public NearCacheReplayBenchmark() {
    }

    /**
     * Starts the server, configures idem with the near-cache and records the request.
     *
     * @throws IOException if the server cannot be started
     */
    @Setup(Level.Trial)
    public void setUp() throws IOException {
        fixture = RedisFixture.start(true);
        payments = fixture.payments();
        request = new ChargeRequest("order-4711-2026-12-02", 1999, "EUR");
        cache = Caffeine.newBuilder().maximumSize(10_000).expireAfterWrite(Duration.ofMinutes(1)).build();
        payments.charge(request);
        payments.charge(request);
        nearCacheReplay_floor();
    }

    /** Stops the client and the server. */
    @TearDown(Level.Trial)
    public void tearDown() {
        fixture.close();
    }

    /**
     * idem on Redis behind the near-cache: a local hit.
     *
     * @return the replayed receipt
     */
    @Benchmark
    public Receipt nearCacheReplay_idem() {
        return payments.charge(request);
    }

    /**
     * The floor: a hand-written Caffeine memoization.
     *
     * @return the cached receipt
     */
    @Benchmark
    public Receipt nearCacheReplay_floor() {
        ChargeRequest r = request;
        return cache.get(r.getId(), id -> Receipt.of(r));
    }
}
