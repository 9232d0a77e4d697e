package dev.idem.examples.ctw;

import dev.idem.annotation.Idempotent;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Computes a shipping quote slowly (it calls a carrier). Duplicates that arrive while the first call runs wait for
 * its outcome ({@code onInFlight = WAIT}, the default) instead of calling the carrier again. Thread-safe.
 */
public class QuoteService {
    private final AtomicInteger computations = new AtomicInteger();
    private final long delayMillis;

    /**
     * A service whose quotes take the given time.
     *
     * @param delayMillis how long one computation takes
     */
    public QuoteService(long delayMillis) {
        this.delayMillis = delayMillis;
    }

    /**
     * Computes the quote of a shipment once per quote id.
     *
     * @param quoteId the idempotency key
     * @return the quote
     * @throws InterruptedException if interrupted while "calling the carrier"
     */
    @Idempotent(key = "#quoteId", ttl = "15m", waitTimeout = "10s")
    public String quote(String quoteId) throws InterruptedException {
        int number = computations.incrementAndGet();
        Thread.sleep(delayMillis);
        return "quote " + quoteId + ": 12.50 EUR (computation #" + number + ")";
    }

    /**
     * How many times the body of {@link #quote} ran.
     *
     * @return the number of computations
     */
    public int computations() {
        return computations.get();
    }
}
