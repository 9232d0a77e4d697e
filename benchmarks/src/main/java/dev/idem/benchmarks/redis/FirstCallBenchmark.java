package dev.idem.benchmarks.redis;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;

/** Throughput of the first call on Redis at 1, 16 and 64 callers, idem beside raw Redisson: see {@link FirstCallCase}. */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class FirstCallBenchmark extends FirstCallCase {
    /** The benchmark. */
    public FirstCallBenchmark() {
    }
}
