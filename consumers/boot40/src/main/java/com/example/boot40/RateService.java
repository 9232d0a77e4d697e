package com.example.boot40;

import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.stereotype.Service;

/** Spring's own caching, beside idem. */
@Service
public class RateService {
    private final AtomicInteger lookups = new AtomicInteger();

    @Cacheable("rates")
    public String rate(String currency) {
        lookups.incrementAndGet();
        return currency + ":1.08";
    }

    public int lookups() {
        return lookups.get();
    }
}
