package dev.idem.examples.springboot;

import dev.idem.annotation.Idempotent;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.stereotype.Service;

/**
 * Makes payments, once per idempotency key. Thread-safe.
 */
@Service
public class PaymentService {
    private final ConcurrentHashMap<String, AtomicInteger> paymentsMade = new ConcurrentHashMap<>();

    /** Creates the service. */
    public PaymentService() {
    }

    /**
     * Makes a payment once per key for 24 hours. A repeat with the same key and an equal request gets the first
     * payment back without paying again; one with a different request is refused; one that arrives while the first
     * still runs waits for its payment. Called through the Spring proxy, so it must stay public and must not be called
     * from inside this class.
     *
     * @param key the client's idempotency key
     * @param request what to pay; it must match on a repeat
     * @return the payment, made now or by the first call with this key
     */
    @Idempotent(key = "#key", fingerprint = "#request", ttl = "24h")
    public Payment pay(String key, PaymentRequest request) {
        paymentsMade.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
        simulateGatewayLatency();
        return new Payment(UUID.randomUUID().toString(), request.amountCents(), request.currency(),
                request.description(), Instant.now());
    }

    /**
     * How many times a payment was really made for a key, that is how often the body of {@link #pay} ran.
     *
     * @param key an idempotency key
     * @return the number of payments made with it
     */
    public int paymentsMade(String key) {
        AtomicInteger count = paymentsMade.get(key);
        return count == null ? 0 : count.get();
    }

    // A real gateway takes a while; long enough here that concurrent duplicates overlap with the first call.
    private static void simulateGatewayLatency() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while paying", e);
        }
    }
}
