package dev.idem.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.idem.core.spi.Outcome;
import dev.idem.core.testing.InMemoryStore;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The engine with a store that does not keep objects: outcomes are encoded once and decoded with the generic type. */
class EncodedOutcomeTest {

    record Order(String id, BigDecimal total, Instant placedAt) {
    }

    /** Jackson can write it (getters) but not read it back (no default constructor, no creator). */
    public static final class NoCreator {
        private final String name;
        private final int size;

        public NoCreator(String name, int size) {
            this.name = name;
            this.size = size;
        }

        public String getName() {
            return name;
        }

        public int getSize() {
            return size;
        }
    }

    /** A replayed failure. */
    public static final class PaymentDeclinedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public PaymentDeclinedException(String message) {
            super(message);
        }
    }

    private final InMemoryStore store = InMemoryStore.encoding();
    private final AtomicInteger runs = new AtomicInteger();

    @BeforeEach
    void configure() {
        Idempotency.configure(IdempotencyConfig.builder().defaultStore(store).maxOutcomeBytes(200).build());
    }

    @AfterEach
    void reset() {
        Idempotency.reset();
    }

    private <T> Supplier<T> counting(T value) {
        return () -> {
            runs.incrementAndGet();
            return value;
        };
    }

    @Test
    void genericListOfRecords_roundTripsAsThatType() {
        IdempotentOperation<List<Order>> operation = Idempotency.operation("orders.list",
                new TypeRef<List<Order>>() { }).build();
        List<Order> orders = new ArrayList<>(List.of(
                new Order("o-1", new BigDecimal("10.50"), Instant.parse("2024-01-01T10:00:00Z")),
                new Order("o-2", new BigDecimal("3"), Instant.parse("2024-01-02T10:00:00Z"))));

        List<Order> first = operation.execute("k", "p", counting(orders));
        IdempotentResult<List<Order>> replay = operation.call("k", "p", counting(List.of()));

        assertThat(first).isSameAs(orders);
        assertThat(replay.replayed()).isTrue();
        assertThat(replay.value()).isNotSameAs(orders).isEqualTo(orders);
        assertThat(replay.value()).allSatisfy(order -> assertThat(order).isInstanceOf(Order.class));
        assertThat(runs).hasValue(1);
        assertThat(store.onlyRecord().outcome().kind()).isEqualTo(Outcome.Kind.ENCODED_VALUE);
    }

    @Test
    void record_roundTrips() {
        IdempotentOperation<Order> operation = Idempotency.operation("orders.get", Order.class).build();
        Order order = new Order("o-1", new BigDecimal("10.50"), Instant.parse("2024-01-01T10:00:00Z"));

        operation.execute("k", "p", counting(order));
        Order replayed = operation.execute("k", "p", counting(null));

        assertThat(replayed).isEqualTo(order).isNotSameAs(order);
        assertThat(runs).hasValue(1);
    }

    @Test
    void optionalPresent_roundTrips() {
        IdempotentOperation<Optional<String>> operation = Idempotency.operation("find",
                new TypeRef<Optional<String>>() { }).build();

        operation.execute("k", "p", counting(Optional.of("found")));
        IdempotentResult<Optional<String>> replay = operation.call("k", "p", counting(Optional.empty()));

        assertThat(replay.replayed()).isTrue();
        assertThat(replay.value()).contains("found");
        assertThat(runs).hasValue(1);
    }

    @Test
    void optionalEmpty_roundTrips() {
        IdempotentOperation<Optional<String>> operation = Idempotency.operation("find",
                new TypeRef<Optional<String>>() { }).build();

        operation.execute("k", "p", counting(Optional.empty()));
        IdempotentResult<Optional<String>> replay = operation.call("k", "p", counting(Optional.of("other")));

        assertThat(replay.replayed()).isTrue();
        assertThat(replay.value()).isEmpty();
        assertThat(runs).hasValue(1);
    }

    @Test
    void nullResult_roundTrips() {
        IdempotentOperation<String> operation = Idempotency.operation("ns", String.class).build();

        assertThat(operation.execute("k", "p", counting(null))).isNull();
        IdempotentResult<String> replay = operation.call("k", "p", counting("not null"));

        assertThat(replay.replayed()).isTrue();
        assertThat(replay.value()).isNull();
        assertThat(runs).hasValue(1);
    }

    @Test
    void outcomeLargerThanMaxOutcomeBytes_reachesTheCallerAndFailsTheReplay() {
        IdempotentOperation<String> operation = Idempotency.operation("ns", String.class).build();
        String large = "x".repeat(500);

        assertThat(operation.execute("k", "p", counting(large))).isSameAs(large);
        assertThat(store.onlyRecord().outcome().kind()).isEqualTo(Outcome.Kind.UNENCODABLE);
        assertThatThrownBy(() -> operation.execute("k", "p", counting("again")))
                .isInstanceOf(IdempotencyReplayException.class)
                .hasMessageContaining("already ran")
                .hasMessageContaining("more than the limit of 200")
                .hasMessageContaining("not run again");
        assertThat(runs).hasValue(1);
    }

    @Test
    void outcomeThatCannotBeDecoded_reachesTheCallerAndFailsTheReplay() {
        IdempotentOperation<NoCreator> operation = Idempotency.operation("ns", NoCreator.class).build();
        NoCreator value = new NoCreator("a", 1);

        assertThat(operation.execute("k", "p", counting(value))).isSameAs(value);
        assertThat(store.onlyRecord().outcome().kind()).isEqualTo(Outcome.Kind.UNENCODABLE);
        assertThatThrownBy(() -> operation.execute("k", "p", counting(new NoCreator("b", 2))))
                .isInstanceOf(IdempotencyReplayException.class)
                .hasMessageContaining(NoCreator.class.getName())
                .hasMessageContaining("cannot be encoded");
        assertThat(runs).hasValue(1);
    }

    @Test
    void replayedFailure_isRebuiltAsTheSameClassWithTheSameMessage() {
        IdempotentOperation<String> operation = Idempotency.operation("pay", String.class)
                .replayFailures(PaymentDeclinedException.class).build();
        PaymentDeclinedException declined = new PaymentDeclinedException("card declined: insufficient funds");

        assertThatThrownBy(() -> operation.execute("k", "p", () -> {
            runs.incrementAndGet();
            throw declined;
        })).isSameAs(declined);
        assertThat(store.onlyRecord().outcome().kind()).isEqualTo(Outcome.Kind.ENCODED_FAILURE);
        assertThat(store.onlyRecord().outcome().failureType()).isEqualTo(PaymentDeclinedException.class.getName());

        assertThatThrownBy(() -> operation.execute("k", "p", counting("paid")))
                .isExactlyInstanceOf(PaymentDeclinedException.class)
                .isNotSameAs(declined)
                .hasMessage("card declined: insufficient funds");
        assertThat(runs).hasValue(1);
    }

    @Test
    void replayedFailureWithNullMessage_isRebuiltWithNullMessage() {
        IdempotentOperation<String> operation = Idempotency.operation("pay", String.class)
                .replayFailures(PaymentDeclinedException.class).build();

        assertThatThrownBy(() -> operation.execute("k", "p", () -> {
            throw new PaymentDeclinedException(null);
        })).isInstanceOf(PaymentDeclinedException.class);
        assertThatThrownBy(() -> operation.execute("k", "p", counting("paid")))
                .isExactlyInstanceOf(PaymentDeclinedException.class)
                .hasMessage(null);
        assertThat(runs).hasValue(0);
    }

    @Test
    void encodedOutcome_isReplayedOnlyForTheSamePayload() {
        IdempotentOperation<String> operation = Idempotency.operation("ns", String.class).build();

        operation.execute("k", "payload-1", counting("r"));

        assertThatThrownBy(() -> operation.execute("k", "payload-2", counting("r2")))
                .isInstanceOf(IdempotencyKeyReuseException.class);
        assertThat(runs).hasValue(1);
    }

    /** A mutable result. */
    public static final class Basket {
        public List<String> items = new ArrayList<>();

        public Basket() {
        }
    }

    @Test
    void theSameRecordedBytes_decodeOnceForAnImmutableValue_andAnewForAMutableOne() {
        Idempotency.configure(IdempotencyConfig.builder().defaultStore(store).build());
        var orders = Idempotency.operation("orders", Order.class).build();
        Order order = new Order("o-1", new BigDecimal("9.90"), Instant.EPOCH);
        orders.execute("k", "p", counting(order));
        Order first = orders.execute("k", "p", counting(order));
        Order second = orders.execute("k", "p", counting(order));
        assertThat(first).isEqualTo(order).isNotSameAs(order);
        assertThat(second).as("a record of values can be shared").isSameAs(first);

        var baskets = Idempotency.operation("baskets", Basket.class).build();
        Basket basket = new Basket();
        basket.items.add("apple");
        baskets.execute("k", "p", counting(basket));
        Basket one = baskets.execute("k", "p", counting(basket));
        one.items.add("changed by the first caller");
        Basket two = baskets.execute("k", "p", counting(basket));
        assertThat(two).isNotSameAs(one);
        assertThat(two.items).containsExactly("apple");
        assertThat(runs).hasValue(2);
    }
}
