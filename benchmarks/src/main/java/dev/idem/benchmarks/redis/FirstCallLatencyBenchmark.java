package dev.idem.benchmarks.redis;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;

/**
 * Latency of the first call on Redis at 1, 16 and 64 callers (sampled: mean, p50, p99), idem beside raw Redisson: see
 * {@link FirstCallCase}.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class FirstCallLatencyBenchmark extends FirstCallCase {
    /** The benchmark. */
    public FirstCallLatencyBenchmark() {
    }
}
