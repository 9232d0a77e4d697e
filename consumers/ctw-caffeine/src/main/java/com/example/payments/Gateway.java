package com.example.payments;

import java.util.concurrent.atomic.AtomicInteger;

/** A payment gateway that counts its charges. */
public class Gateway {
    private final AtomicInteger charges = new AtomicInteger();

    public Receipt charge(String paymentId, long amountCents) {
        return new Receipt(paymentId, amountCents, charges.incrementAndGet());
    }

    public int charges() {
        return charges.get();
    }
}
