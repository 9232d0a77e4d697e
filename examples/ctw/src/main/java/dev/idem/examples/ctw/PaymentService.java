package dev.idem.examples.ctw;

import dev.idem.annotation.Idempotent;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Charges payments. A client retries {@link #charge} with the same payment id after a timeout; idem makes sure the
 * card is charged once, and that the id is not reused for a different amount. Thread-safe.
 */
public class PaymentService {
    private final AtomicInteger charges = new AtomicInteger();

    /**
     * Charges a payment once per payment id, for 24 hours.
     *
     * @param paymentId the client's idempotency key
     * @param amountCents the amount; part of the payload that must match on a retry
     * @return the receipt of the charge
     */
    @Idempotent(key = "#paymentId", ttl = "24h")
    public Receipt charge(String paymentId, long amountCents) {
        int number = charges.incrementAndGet();
        return new Receipt(paymentId, amountCents, "R-" + number);
    }

    /**
     * How many times the body of {@link #charge} ran.
     *
     * @return the number of real charges
     */
    public int charges() {
        return charges.get();
    }

    /**
     * What a charge returns.
     *
     * @param paymentId the payment id
     * @param amountCents the amount charged
     * @param receiptNumber unique per real charge, so a replay is easy to recognise
     */
    public record Receipt(String paymentId, long amountCents, String receiptNumber) {
    }
}
