package dev.idem.examples.ctw;

import static org.assertj.core.api.Assertions.assertThat;

import dev.idem.core.Idempotency;
import dev.idem.core.IdempotencyConfig;
import dev.idem.core.event.IdempotencyEvent;
import dev.idem.testing.MutableClock;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Proves that the example works as printed: the main classes are really woven (a body that ran on every call would
 * fail here), and each step's body count is what the demo says.
 */
class DemoAppTest {

    @AfterEach
    void resetIdem() {
        Idempotency.reset();
    }

    @Test
    void requireWoven_acceptsTheClassesAjcWove() {
        Idempotency.requireWoven(PaymentService.class, QuoteService.class); // throws if a method is not woven
        assertThat(PaymentService.class.getDeclaredMethods()).anyMatch(m -> m.getName().startsWith("charge_aroundBody"));
    }

    @Test
    void demo_runsEachBodyOnlyAsOftenAsItSays() throws Exception {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        DemoApp.Summary summary;
        try (PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8)) {
            summary = DemoApp.run(out);
        }
        String printed = buffer.toString(StandardCharsets.UTF_8);

        assertThat(summary.chargesAfterFirstCall()).as("step 1: the first call runs the body").isEqualTo(1);
        assertThat(summary.chargesAfterRetries()).as("step 2: retries replay").isEqualTo(1);
        assertThat(summary.retriesReplayed()).isEqualTo(summary.retries());
        assertThat(summary.distinctConcurrentResults()).as("step 3: one result for all callers").isEqualTo(1);
        assertThat(summary.quoteComputations()).as("step 3: the slow body ran once").isEqualTo(1);
        assertThat(summary.mismatchMessage()).as("step 4: key reuse refused")
                .contains("different payload");
        assertThat(summary.chargesAfterMismatch()).isEqualTo(1);
        assertThat(summary.chargesBeforeExpiry()).as("step 5: replayed before the ttl").isEqualTo(2);
        assertThat(summary.chargesAfterExpiry()).as("step 5: runs again after the ttl").isEqualTo(3);
        assertThat(summary.events())
                .containsEntry(IdempotencyEvent.Type.EXECUTED, 4)
                .containsEntry(IdempotencyEvent.Type.MISMATCH, 1);
        assertThat(summary.ok()).isTrue();

        assertThat(printed)
                .contains("Step 1.", "Step 2.", "Step 3.", "Step 4.", "Step 5.")
                .contains("IdempotencyKeyReuseException")
                .contains("SUMMARY: OK");
    }

    @Test
    void disabledIdempotency_runsTheBodyOnEveryCall() {
        // The test-support switch: with idem disabled, an annotated method is a plain method.
        Idempotency.configure(IdempotencyConfig.builder().enabled(false).build());
        PaymentService payments = new PaymentService();

        payments.charge("pay-1", 100);
        payments.charge("pay-1", 100);
        payments.charge("pay-1", 999); // no key reuse check either

        assertThat(payments.charges()).isEqualTo(3);
    }

    @Test
    void mutableClock_movesOnlyWhenAdvanced() {
        MutableClock clock = MutableClock.at(java.time.Instant.EPOCH);
        clock.advance(java.time.Duration.ofSeconds(5));

        assertThat(clock.millis()).isEqualTo(5_000);
        assertThat(clock.withZone(java.time.ZoneId.of("Europe/Paris")).millis()).isEqualTo(5_000);
    }
}
