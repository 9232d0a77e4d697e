package dev.idem.benchmarks.caffeine;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.idem.benchmarks.ChargeRequest;
import dev.idem.benchmarks.Payments;
import dev.idem.benchmarks.Receipt;
import dev.idem.core.Idempotency;
import dev.idem.core.IdempotencyConfig;
import dev.idem.store.caffeine.CaffeineIdempotencyStore;
import java.time.Duration;
import java.util.concurrent.ForkJoinPool;
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
 * A first call: a new key each time (claim, the empty body, complete) through the woven aspect on the Caffeine
 * store, beside the same miss on a hand-written Caffeine memoization bounded and expiring like the store. Both make
 * the same new request per call; both caches fill up to their bound and then evict by size.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class FirstCallBenchmark {
    private Payments payments;
    private Cache<String, Receipt> cache;
    private long next;

    /** Configures idem with a Caffeine store. */
    @Setup(Level.Trial)
    public void setUp() {
        Idempotency.configure(IdempotencyConfig.builder().defaultStore(CaffeineIdempotencyStore.create())
                .store("pooled", CaffeineIdempotencyStore.builder().executor(ForkJoinPool.commonPool()).build())
                .build());
        payments = new Payments();
        cache = Caffeine.newBuilder().maximumSize(CaffeineIdempotencyStore.DEFAULT_MAXIMUM_SIZE)
                .expireAfterWrite(Duration.ofHours(24)).build();
    }

    /** Restores the default configuration. */
    @TearDown(Level.Trial)
    public void tearDown() {
        Idempotency.reset();
    }

    private ChargeRequest nextRequest() {
        return new ChargeRequest(Long.toString(next++), 1999, "EUR");
    }

    /**
     * idem, default settings.
     *
     * @return the new receipt
     */
    @Benchmark
    public Receipt firstCall_idem() {
        return payments.charge(nextRequest());
    }

    /**
     * idem, default settings, on a Caffeine store whose maintenance (eviction once full) runs on the common pool, as
     * the floor's does, instead of on the calling thread.
     *
     * @return the new receipt
     */
    @Benchmark
    public Receipt firstCall_idemPooledMaintenance() {
        return payments.chargeOnPooledStore(nextRequest());
    }

    /**
     * The floor: a miss on a hand-written Caffeine memoization.
     *
     * @return the new receipt
     */
    @Benchmark
    public Receipt firstCall_floor() {
        ChargeRequest r = nextRequest();
        return cache.get(r.getId(), id -> Receipt.of(r));
    }
}
