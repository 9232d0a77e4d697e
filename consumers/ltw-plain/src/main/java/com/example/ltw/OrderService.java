package com.example.ltw;

import dev.idem.annotation.Idempotent;
import java.util.concurrent.atomic.AtomicInteger;

/** Compiled by javac; woven by the agent when it is loaded. */
public class OrderService {
    private final AtomicInteger placed = new AtomicInteger();

    @Idempotent(key = "#orderId")
    public String place(String orderId, int quantity) {
        return orderId + " x" + quantity + " #" + placed.incrementAndGet();
    }

    public int placed() {
        return placed.get();
    }
}
