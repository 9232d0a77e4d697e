package com.example.boot40;

import dev.idem.annotation.Idempotent;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.stereotype.Service;

@Service
public class PaymentService {
    private final AtomicInteger charges = new AtomicInteger();

    @Idempotent(key = "#request.paymentId()")
    public Receipt charge(PaymentRequest request) {
        return new Receipt(request.paymentId(), request.amountCents(), charges.incrementAndGet());
    }

    public int charges() {
        return charges.get();
    }

    public record PaymentRequest(String paymentId, long amountCents) {
    }

    public record Receipt(String paymentId, long amountCents, int chargeNumber) {
    }
}
