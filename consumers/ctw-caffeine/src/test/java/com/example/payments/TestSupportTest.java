package com.example.payments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.idem.core.Idempotency;
import dev.idem.core.IdempotencyConfig;
import dev.idem.testing.InMemoryIdempotencyStore;
import dev.idem.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** docs/testing.md's recipe, as a user's test would write it: an in-memory store and a clock moved past the ttl. */
class TestSupportTest {
    private final MutableClock clock = MutableClock.at(Instant.parse("2025-01-01T00:00:00Z"));
    private final InMemoryIdempotencyStore store = InMemoryIdempotencyStore.create();

    @AfterEach
    void reset() {
        Idempotency.reset();
    }

    @Test
    void aRepeatReplaysUntilTheTtl_thenRunsAgain() {
        Idempotency.configure(IdempotencyConfig.builder().defaultStore(store).clock(clock).build());
        Gateway gateway = new Gateway();
        PaymentService payments = new PaymentService(gateway);

        payments.charge("pay-1", 100);
        clock.advance(Duration.ofHours(23));
        payments.charge("pay-1", 100);
        assertEquals(1, gateway.charges(), "replayed within the 24h ttl");

        clock.advance(Duration.ofHours(2)); // past ttl = "24h"
        payments.charge("pay-1", 100);
        assertEquals(2, gateway.charges(), "runs again once the ttl passed");
        assertTrue(store.size() >= 1);

        store.clear();
        assertEquals(0, store.size());
    }
}
