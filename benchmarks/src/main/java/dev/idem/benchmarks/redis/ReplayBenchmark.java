package dev.idem.benchmarks.redis;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;

/** Throughput of the replay on Redis at 1, 16 and 64 callers, idem beside raw Redisson: see {@link ReplayCase}. */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class ReplayBenchmark extends ReplayCase {
    /** The benchmark. */
    public ReplayBenchmark() {
    }
}
