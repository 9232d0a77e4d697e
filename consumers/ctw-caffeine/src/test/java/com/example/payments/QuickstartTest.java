package com.example.payments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.idem.core.Idempotency;
import dev.idem.core.IdempotentResult;
import dev.idem.store.caffeine.CaffeineIdempotencyStore;
import org.junit.jupiter.api.Test;

/** The quickstart with nothing configured: the woven annotation and the Caffeine store found on the class path. */
class QuickstartTest {

    @Test
    void firstCallCharges_aRepeatReplaysTheReceipt() throws Exception {
        Gateway gateway = new Gateway();
        PaymentService payments = new PaymentService(gateway);

        IdempotentResult<Receipt> first = Idempotency.capture(() -> payments.charge("pay-1", 1250));
        IdempotentResult<Receipt> replay = Idempotency.capture(() -> payments.charge("pay-1", 1250));

        assertFalse(first.replayed(), "the first call runs the method");
        assertTrue(replay.replayed(), "the repeat is a replay");
        assertSame(first.value(), replay.value(), "the Caffeine store replays the recorded object");
        assertEquals(1, gateway.charges(), "the gateway was charged once");
        assertEquals(new Receipt("pay-1", 1250, 1), replay.value());
    }

    @Test
    void anotherKeyChargesAgain() {
        Gateway gateway = new Gateway();
        PaymentService payments = new PaymentService(gateway);

        payments.charge("pay-2", 500);
        payments.charge("pay-3", 500);

        assertEquals(2, gateway.charges());
    }

    @Test
    void theZeroConfigurationStoreIsCaffeine() {
        assertTrue(Idempotency.config().defaultStore() instanceof CaffeineIdempotencyStore,
                () -> "default store: " + Idempotency.config().defaultStore());
    }
}
