package com.example.orders;

import dev.idem.annotation.Idempotent;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

public class OrderService {
    private final AtomicInteger placed = new AtomicInteger();

    /** The payload is an {@link OrderRequest}, which has no equals: it is compared by its canonical form (Jackson). */
    @Idempotent(key = "#request.orderId", ttl = "1h")
    public Confirmation place(OrderRequest request) {
        int number = placed.incrementAndGet();
        return new Confirmation(request.orderId, "C-" + number, List.copyOf(request.items));
    }

    public int placed() {
        return placed.get();
    }
}
