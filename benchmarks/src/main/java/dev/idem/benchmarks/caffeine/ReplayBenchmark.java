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
import java.util.concurrent.ConcurrentHashMap;
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
 * A replay: the same request again, through the woven aspect on the Caffeine store, beside a hand-written Caffeine
 * memoization ({@code cache.get(id, ...)}, the floor) and a {@code ConcurrentHashMap} one.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ReplayBenchmark {
    private Payments payments;
    private ChargeRequest request;
    private Cache<String, Receipt> cache;
    private ConcurrentHashMap<String, Receipt> map;

    /** Configures idem with a Caffeine store and records the request once everywhere. */
    @Setup(Level.Trial)
    public void setUp() {
        Idempotency.configure(IdempotencyConfig.builder().defaultStore(CaffeineIdempotencyStore.create())
                .store("pooled", CaffeineIdempotencyStore.builder().executor(ForkJoinPool.commonPool()).build())
                .build());
        payments = new Payments();
        request = new ChargeRequest("order-4711-2026-12-02", 1999, "EUR");
        cache = Caffeine.newBuilder().maximumSize(CaffeineIdempotencyStore.DEFAULT_MAXIMUM_SIZE)
                .expireAfterWrite(Duration.ofHours(24)).build();
        map = new ConcurrentHashMap<>();
        payments.charge(request);
        payments.chargeWithoutFingerprint(request);
        payments.chargeOnPooledStore(request);
        replay_floor();
        replay_floorConcurrentHashMap();
    }

    /** Restores the default configuration. */
    @TearDown(Level.Trial)
    public void tearDown() {
        Idempotency.reset();
    }

    /**
     * idem, default fingerprint.
     *
     * @return the replayed receipt
     */
    @Benchmark
    public Receipt replay_idem() {
        return payments.charge(request);
    }

    /**
     * idem, {@code fingerprint = "none"}.
     *
     * @return the replayed receipt
     */
    @Benchmark
    public Receipt replay_idemNoFingerprint() {
        return payments.chargeWithoutFingerprint(request);
    }

    /**
     * The floor: a hand-written Caffeine memoization.
     *
     * @return the cached receipt
     */
    @Benchmark
    public Receipt replay_floor() {
        ChargeRequest r = request;
        return cache.get(r.getId(), id -> Receipt.of(r));
    }

    /**
     * idem, default fingerprint, on a Caffeine store whose maintenance runs on the common pool.
     *
     * @return the replayed receipt
     */
    @Benchmark
    public Receipt replay_idemPooledMaintenance() {
        return payments.chargeOnPooledStore(request);
    }

    /**
     * idem, default fingerprint, for a retry as a service sees one: a new request object whose id is a new string
     * (so its hash is not cached yet), as a deserialized retry is.
     *
     * @return the replayed receipt
     */
    @Benchmark
    public Receipt replayRetry_idem() {
        return payments.charge(retry());
    }

    /**
     * The floor for a retry: the same hand-written Caffeine memoization, given the same new request object.
     *
     * @return the cached receipt
     */
    @Benchmark
    public Receipt replayRetry_floor() {
        ChargeRequest r = retry();
        return cache.get(r.getId(), id -> Receipt.of(r));
    }

    private ChargeRequest retry() {
        ChargeRequest r = request;
        return new ChargeRequest(new String(r.getId()), r.getAmountCents(), new String(r.getCurrency()));
    }

    /**
     * A second baseline: a hand-written {@code ConcurrentHashMap} memoization.
     *
     * @return the cached receipt
     */
    @Benchmark
    public Receipt replay_floorConcurrentHashMap() {
        ChargeRequest r = request;
        return map.computeIfAbsent(r.getId(), id -> Receipt.of(r));
    }
}
