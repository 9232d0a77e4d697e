package com.example.fatjar;

import dev.idem.annotation.Idempotent;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.stereotype.Service;

/** A Spring bean whose class the weaver agent weaves when Boot's class loader loads it from BOOT-INF/classes. */
@Service
public class QuoteService {
    private final AtomicInteger quotes = new AtomicInteger();

    @Idempotent(key = "#customerId")
    public String quote(String customerId) {
        return "quote " + quotes.incrementAndGet() + " for " + customerId;
    }

    public int quotes() {
        return quotes.get();
    }
}
