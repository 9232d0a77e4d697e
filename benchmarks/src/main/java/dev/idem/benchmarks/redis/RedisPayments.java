package dev.idem.benchmarks.redis;

import dev.idem.annotation.Idempotent;
import dev.idem.benchmarks.ChargeRequest;
import dev.idem.benchmarks.Receipt;
import java.util.concurrent.atomic.LongAdder;

/**
 * The woven service of the Redis benchmarks: {@code charge} as in {@link dev.idem.benchmarks.Payments} (key
 * {@code #request.id}, the default fingerprint), but with a ttl of one minute, the same ttl the hand-written floor
 * sets ({@link RedisFloor#TTL}), so that the first-call benchmarks, which write a new key per call, do not fill the
 * server's memory for 24 hours. {@link #executions()} counts body runs.
 */
public class RedisPayments {
    private final LongAdder executions = new LongAdder();

    /** A service. */
    public RedisPayments() {
    }

    /**
     * Key {@code #request.id}, the default fingerprint, ttl one minute.
     *
     * @param request the request
     * @return the receipt
     */
    @Idempotent(key = "#request.id", ttl = "1m")
    public Receipt charge(ChargeRequest request) {
        executions.increment();
        return Receipt.of(request);
    }

    /**
     * How many times the body ran.
     *
     * @return the count
     */
    public long executions() {
        return executions.sum();
    }
}
