package dev.idem.examples.springboot;

import dev.idem.core.Idempotency;
import dev.idem.core.IdempotentResult;
import java.net.URI;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /payments} with an {@code Idempotency-Key} header. The service method is {@code @Idempotent};
 * the controller only asks whether the outcome was replayed (for the {@code Idempotent-Replayed} header), and
 * {@link IdempotencyErrors} maps idem's exceptions to status codes.
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
            @RequestBody PaymentRequest request) throws Exception {
        // capture tells a replay from a first run, for the Idempotent-Replayed header.
        IdempotentResult<Payment> result = Idempotency.capture(() -> payments.pay(key, request));
        Payment payment = result.value();
        ResponseEntity.BodyBuilder response = ResponseEntity.status(HttpStatus.CREATED)
                .location(URI.create("/payments/" + payment.id()));
        if (result.replayed()) {
            response.header("Idempotent-Replayed", "true");
        }
        return response.body(payment);
    }
}
