package dev.idem.examples.ltw;

import dev.idem.annotation.Idempotent;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Places orders. Compiled by plain javac: the {@link Idempotent} annotation only takes effect when the AspectJ weaver
 * agent weaves this class as it is loaded. Thread-safe.
 */
public class OrderService {
    private final AtomicInteger placed = new AtomicInteger();

    /**
     * Places an order once per order id.
     *
     * @param orderId the client's idempotency key
     * @return the confirmation; its number is unique per real placement, so a replay is easy to recognise
     */
    @Idempotent(key = "#orderId", ttl = "1h")
    public String place(String orderId) {
        int number = placed.incrementAndGet();
        return "order " + orderId + " confirmed as C-" + number;
    }

    /**
     * How many times the body of {@link #place} ran.
     *
     * @return the number of real placements
     */
    public int placed() {
        return placed.get();
    }
}
