package com.example.payments;

import dev.idem.annotation.Idempotent;

// The quickstart's step 3, with the gateway passed in.
public class PaymentService {
    private final Gateway gateway;

    public PaymentService(Gateway gateway) {
        this.gateway = gateway;
    }

    @Idempotent(key = "#paymentId", ttl = "24h")
    public Receipt charge(String paymentId, long amountCents) {
        return gateway.charge(paymentId, amountCents); // runs once per paymentId
    }
}
