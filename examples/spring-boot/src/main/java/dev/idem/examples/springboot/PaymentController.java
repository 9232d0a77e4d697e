package dev.idem.examples.springboot;

import java.net.URI;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /payments} with an {@code Idempotency-Key} header. The service method is {@code @Idempotent}; the
 * controller has no idem code at all: the starter marks replayed responses with {@code Idempotent-Replayed: true}
 * and answers idem's refusals as problem details (400 for a blank key, 409 while the first call runs, 422 for the
 * key with another body).
 */
@RestController
public class PaymentController {
    private final PaymentService payments;

    /**
     * Creates the controller.
     *
     * @param payments the service that makes payments
     */
    public PaymentController(PaymentService payments) {
        this.payments = payments;
    }

    /**
     * Makes a payment, or returns the one already made with this key: 201 with the payment either way, so a client
     * that retries after a timeout sees exactly what the first call would have shown it.
     *
     * @param key the client's idempotency key (a missing header is a 400)
     * @param request what to pay
     * @return 201 and the payment
     */
    @PostMapping("/payments")
    public ResponseEntity<Payment> pay(@RequestHeader("Idempotency-Key") String key,
            @RequestBody PaymentRequest request) {
        Payment payment = payments.pay(key, request);
        return ResponseEntity.created(URI.create("/payments/" + payment.id())).body(payment);
    }
}
