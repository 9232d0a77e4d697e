package dev.idem.benchmarks;

import dev.idem.annotation.Idempotent;
import java.util.concurrent.atomic.LongAdder;

/**
 * The woven service the benchmarks call: each method is {@code @Idempotent} with default settings apart from what its
 * name says. {@link #executions()} counts body runs, which the weaving test uses to prove a replay skips the body.
 */
public class Payments {
    private final LongAdder executions = new LongAdder();

    /** A service. */
    public Payments() {
    }

    /**
     * Key {@code #request.id}, the default fingerprint (all arguments).
     *
     * @param request the request
     * @return the receipt
     */
    @Idempotent(key = "#request.id")
    public Receipt charge(ChargeRequest request) {
        executions.increment();
        return Receipt.of(request);
    }

    /**
     * Key {@code #request.id}, {@code fingerprint = "none"}.
     *
     * @param request the request
     * @return the receipt
     */
    @Idempotent(key = "#request.id", fingerprint = "none")
    public Receipt chargeWithoutFingerprint(ChargeRequest request) {
        executions.increment();
        return Receipt.of(request);
    }

    /**
     * Key {@code #request.id}, the default fingerprint, on the store named {@code "pooled"}: a Caffeine store whose
     * maintenance runs on the common pool, for comparing with the default store's (on the calling thread).
     *
     * @param request the request
     * @return the receipt
     */
    @Idempotent(key = "#request.id", store = "pooled")
    public Receipt chargeOnPooledStore(ChargeRequest request) {
        executions.increment();
        return Receipt.of(request);
    }

    /**
     * How many times a body ran.
     *
     * @return the count
     */
    public long executions() {
        return executions.sum();
    }
}
