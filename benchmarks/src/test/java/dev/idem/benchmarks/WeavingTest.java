package dev.idem.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.idem.core.Idempotency;
import dev.idem.core.IdempotencyConfig;
import dev.idem.store.caffeine.CaffeineIdempotencyStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The benchmarks measure idem only if their service is woven: fails the build if weaving silently stops. */
class WeavingTest {
    @BeforeEach
    void configure() {
        Idempotency.configure(IdempotencyConfig.builder().defaultStore(CaffeineIdempotencyStore.create()).build());
    }

    @AfterEach
    void reset() {
        Idempotency.reset();
    }

    @Test
    void replay_doesNotRunTheBody_withEitherFingerprint() {
        Payments payments = new Payments();
        ChargeRequest request = new ChargeRequest("w-1", 5, "EUR");
        Receipt first = payments.charge(request);
        Receipt again = payments.charge(new ChargeRequest("w-1", 5, "EUR"));
        payments.chargeWithoutFingerprint(request);
        payments.chargeWithoutFingerprint(request);
        assertThat(again).isEqualTo(first);
        assertThat(payments.executions()).isEqualTo(2);
    }
}
