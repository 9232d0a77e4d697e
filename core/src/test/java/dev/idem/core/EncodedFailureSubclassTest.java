package dev.idem.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.idem.core.testing.InMemoryStore;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A replayed failure type may be a JDK class ({@code IllegalStateException}) while the body throws an application
 * subclass of it. Fails on 145cb18: an encoding store's replay looks the recorded subclass up with the class loader of
 * the declared type, which for a JDK type is the bootstrap loader, and raises {@link IdempotencyReplayException}
 * ("not among its replayFailures any more") although the subclass is replayable.
 */
class EncodedFailureSubclassTest {

    /** An application exception under a JDK type. */
    public static final class OrderRejectedException extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        public OrderRejectedException(String message) {
            super(message);
        }
    }

    @AfterEach
    void reset() {
        Idempotency.reset();
    }

    @Test
    void replayedFailure_subclassOfJdkTypeIsRebuiltAsTheSubclass() {
        Idempotency.configure(IdempotencyConfig.builder().defaultStore(InMemoryStore.encoding()).build());
        IdempotentOperation<String> operation = Idempotency.operation("orders", String.class)
                .replayFailures(IllegalStateException.class).build();
        AtomicInteger runs = new AtomicInteger();

        assertThatThrownBy(() -> operation.execute("k", "p", () -> {
            runs.incrementAndGet();
            throw new OrderRejectedException("out of stock");
        })).isInstanceOf(OrderRejectedException.class);

        assertThatThrownBy(() -> operation.execute("k", "p", () -> "ok"))
                .isExactlyInstanceOf(OrderRejectedException.class)
                .hasMessage("out of stock");
        assertThat(runs).hasValue(1);
    }
}
