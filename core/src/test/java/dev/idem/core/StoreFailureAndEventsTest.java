package dev.idem.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.idem.annotation.OnStoreError;
import dev.idem.core.event.IdempotencyEvent;
import dev.idem.core.event.IdempotencyEvent.Type;
import dev.idem.core.spi.StoredRecord;
import dev.idem.core.testing.InMemoryStore;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class StoreFailureAndEventsTest {

    private final List<IdempotencyEvent> events = new CopyOnWriteArrayList<>();
    private final AtomicInteger runs = new AtomicInteger();

    @AfterEach
    void reset() {
        Idempotency.reset();
    }

    private InMemoryStore configure(InMemoryStore store) {
        Idempotency.configure(IdempotencyConfig.builder().defaultStore(store).listener(events::add).build());
        return store;
    }

    private Supplier<String> counting(String value) {
        return () -> {
            runs.incrementAndGet();
            return value;
        };
    }

    private List<Type> eventTypes() {
        return events.stream().map(IdempotencyEvent::type).toList();
    }

    @Test
    void claimFailure_failsClosedWithoutRunningTheBody() {
        RuntimeException down = new IllegalStateException("connection refused");
        configure(InMemoryStore.keepingObjects().failClaims(down));

        assertThatThrownBy(() -> Idempotency.operation("ns", String.class).build()
                .execute("k", "p", counting("r")))
                .isInstanceOf(IdempotencyStoreException.class)
                .hasCause(down)
                .hasMessageContaining("claim")
                .hasMessageContaining("the method did not run")
                .hasMessageContaining("connection refused");
        assertThat(runs).hasValue(0);
        assertThat(eventTypes()).containsExactly(Type.STORE_ERROR);
    }

    @Test
    void claimFailure_withProceedRunsTheBodyUnprotected() {
        configure(InMemoryStore.keepingObjects().failClaims(new IllegalStateException("down")));
        IdempotentOperation<String> operation = Idempotency.operation("ns", String.class)
                .onStoreError(OnStoreError.PROCEED).build();

        assertThat(operation.execute("k", "p", counting("r1"))).isEqualTo("r1");
        assertThat(operation.execute("k", "p", counting("r2"))).isEqualTo("r2");

        assertThat(runs).hasValue(2);
        assertThat(eventTypes()).containsExactly(Type.STORE_ERROR, Type.UNPROTECTED, Type.STORE_ERROR,
                Type.UNPROTECTED);
    }

    @Test
    void aKeyTheStoreRefuses_isTheCallersKeyError_neverAnUnprotectedRun() {
        IllegalArgumentException refused = new IllegalArgumentException("the key is 2049 bytes, more than 2048");
        configure(InMemoryStore.keepingObjects().failClaims(refused));
        IdempotentOperation<String> operation = Idempotency.operation("ns", String.class)
                .onStoreError(OnStoreError.PROCEED).build();

        assertThatThrownBy(() -> operation.execute("k", "p", counting("r")))
                .isInstanceOf(IdempotencyKeyException.class)
                .hasCause(refused)
                .hasMessageContaining("refused the key")
                .hasMessageContaining("the method did not run");
        assertThat(runs).as("PROCEED is for an unreachable store, not for a key it cannot hold").hasValue(0);
        assertThat(eventTypes()).containsExactly(Type.REJECTED);
    }

    @Test
    void completeFailure_stillGivesTheCallerItsResult() {
        InMemoryStore store = configure(InMemoryStore.keepingObjects()
                .failCompletes(new IllegalStateException("write timeout")));

        String result = Idempotency.operation("ns", String.class).build().execute("k", "p", counting("r"));

        assertThat(result).isEqualTo("r");
        assertThat(runs).hasValue(1);
        assertThat(store.completions()).isZero();
        assertThat(store.onlyRecord().isInFlight()).as("the claim lapses with its lease").isTrue();
        assertThat(events).singleElement().satisfies(event -> {
            assertThat(event.type()).isEqualTo(Type.STORE_ERROR);
            assertThat(event.detail()).contains("complete").contains("write timeout");
        });
    }

    @Test
    void completeFailure_withEncodingStoreStillGivesTheCallerItsResult() {
        configure(InMemoryStore.encoding().failCompletes(new IllegalStateException("write timeout")));

        assertThat(Idempotency.operation("ns", String.class).build().execute("k", "p", counting("r")))
                .isEqualTo("r");
    }

    @Test
    void events_executedThenReplayedWithOperationAndNamespace() {
        configure(InMemoryStore.keepingObjects());
        IdempotentOperation<String> operation = Idempotency.operation("payments.charge", String.class).build();

        operation.execute("k", "p", counting("r"));
        operation.execute("k", "p", counting("r"));

        assertThat(eventTypes()).containsExactly(Type.EXECUTED, Type.REPLAYED);
        assertThat(events).allSatisfy(event -> {
            assertThat(event.operation()).isEqualTo("payments.charge");
            assertThat(event.namespace()).isEqualTo("payments.charge");
            assertThat(event.latencyNanos()).isPositive();
        });
        assertThat(runs).hasValue(1);
    }

    @Test
    void events_mismatchOnKeyReuseWithAnotherPayload() {
        InMemoryStore store = configure(InMemoryStore.keepingObjects());
        IdempotentOperation<String> operation = Idempotency.operation("ns", String.class).build();
        operation.execute("k", "payload-1", counting("r"));
        StoredRecord before = store.onlyRecord();

        assertThatThrownBy(() -> operation.execute("k", "payload-2", counting("r2")))
                .isInstanceOf(IdempotencyKeyReuseException.class)
                .hasMessageContaining("different payload");

        assertThat(eventTypes()).containsExactly(Type.EXECUTED, Type.MISMATCH);
        assertThat(events.get(1).operation()).isEqualTo("ns");
        assertThat(events.get(1).namespace()).isEqualTo("ns");
        assertThat(store.onlyRecord().outcome()).as("the record is untouched").isSameAs(before.outcome());
        assertThat(runs).hasValue(1);
    }

    @Test
    void events_releasedWhenTheBodyThrowsANonReplayedException() {
        InMemoryStore store = configure(InMemoryStore.keepingObjects());
        IdempotentOperation<String> operation = Idempotency.operation("ns", String.class).build();
        IllegalStateException boom = new IllegalStateException("boom");

        assertThatThrownBy(() -> operation.execute("k", "p", () -> {
            runs.incrementAndGet();
            throw boom;
        })).isSameAs(boom);

        assertThat(store.record("ns:k")).as("the claim is released").isNull();
        assertThat(events).singleElement().satisfies(event -> {
            assertThat(event.type()).isEqualTo(Type.RELEASED);
            assertThat(event.operation()).isEqualTo("ns");
            assertThat(event.namespace()).isEqualTo("ns");
            assertThat(event.detail()).isEqualTo(IllegalStateException.class.getName());
        });
        assertThat(operation.execute("k", "p", counting("second"))).isEqualTo("second");
        assertThat(runs).hasValue(2);
    }

    @Test
    void events_storeErrorCarriesOperationAndNamespace() {
        configure(InMemoryStore.keepingObjects().failClaims(new IllegalStateException("down")));

        assertThatThrownBy(() -> Idempotency.operation("orders", String.class).build()
                .execute("k", "p", counting("r"))).isInstanceOf(IdempotencyStoreException.class);

        assertThat(events).singleElement().satisfies(event -> {
            assertThat(event.type()).isEqualTo(Type.STORE_ERROR);
            assertThat(event.operation()).isEqualTo("orders");
            assertThat(event.namespace()).isEqualTo("orders");
            assertThat(event.detail()).startsWith("claim: ").contains("down");
        });
    }

    @Test
    void listenerThatThrows_doesNotBreakTheCall() {
        Idempotency.configure(IdempotencyConfig.builder().defaultStore(InMemoryStore.keepingObjects())
                .listener(event -> {
                    throw new IllegalStateException("listener bug");
                })
                .listener(events::add)
                .build());

        assertThat(Idempotency.operation("ns", String.class).build().execute("k", "p", counting("r")))
                .isEqualTo("r");
        assertThat(eventTypes()).containsExactly(Type.EXECUTED);
    }
}
