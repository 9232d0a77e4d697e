package dev.idem.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.idem.core.event.IdempotencyListener;
import dev.idem.core.spi.KeyResolver;
import dev.idem.core.spi.StoreKeys;
import dev.idem.core.testing.InMemoryStore;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class IdempotencyConfigTest {

    @AfterEach
    void reset() {
        Idempotency.reset();
    }

    @Test
    void builder_rejectsNullDefaultStore() {
        assertThatNullPointerException().isThrownBy(() -> IdempotencyConfig.builder().defaultStore(null))
                .withMessage("store");
    }

    @Test
    void builder_rejectsNullNamedStore() {
        assertThatNullPointerException().isThrownBy(() -> IdempotencyConfig.builder().store("local", null))
                .withMessage("store");
    }

    @Test
    void builder_rejectsNullStoreName() {
        assertThatNullPointerException()
                .isThrownBy(() -> IdempotencyConfig.builder().store(null, InMemoryStore.keepingObjects()))
                .withMessage("name");
    }

    @Test
    void builder_rejectsBlankStoreName() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> IdempotencyConfig.builder().store("  ", InMemoryStore.keepingObjects()))
                .withMessage("a store name must not be blank");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> IdempotencyConfig.builder().store("", InMemoryStore.keepingObjects()))
                .withMessage("a store name must not be blank");
    }

    @Test
    void builder_rejectsMaxKeyLengthBelowOne() {
        assertThatIllegalArgumentException().isThrownBy(() -> IdempotencyConfig.builder().maxKeyLength(0))
                .withMessage("maxKeyLength must be at least 1, got 0");
        assertThatIllegalArgumentException().isThrownBy(() -> IdempotencyConfig.builder().maxKeyLength(-5))
                .withMessage("maxKeyLength must be at least 1, got -5");
    }

    @Test
    void builder_rejectsMaxOutcomeBytesBelowOne() {
        assertThatIllegalArgumentException().isThrownBy(() -> IdempotencyConfig.builder().maxOutcomeBytes(0))
                .withMessage("maxOutcomeBytes must be at least 1, got 0");
    }

    @Test
    void builder_rejectsNullClockKeyPrefixResolverAndListener() {
        assertThatNullPointerException().isThrownBy(() -> IdempotencyConfig.builder().clock(null))
                .withMessage("clock");
        assertThatNullPointerException().isThrownBy(() -> IdempotencyConfig.builder().keyPrefix(null))
                .withMessage("keyPrefix");
        assertThatNullPointerException().isThrownBy(() -> IdempotencyConfig.builder().keyResolver(null))
                .withMessage("keyResolver");
        assertThatNullPointerException().isThrownBy(() -> IdempotencyConfig.builder().listener(null))
                .withMessage("listener");
    }

    @Test
    void builder_hasDocumentedDefaults() {
        IdempotencyConfig config = IdempotencyConfig.builder().discoverDefaultStore(false).build();
        assertThat(config.defaultStore()).isNull();
        assertThat(config.stores()).isEmpty();
        assertThat(config.keyPrefix()).isEmpty();
        assertThat(config.maxKeyLength()).isEqualTo(IdempotencyConfig.DEFAULT_MAX_KEY_LENGTH).isEqualTo(255);
        assertThat(config.maxOutcomeBytes()).isEqualTo(IdempotencyConfig.DEFAULT_MAX_OUTCOME_BYTES)
                .isEqualTo(1 << 20);
        assertThat(config.clock()).isEqualTo(Clock.systemUTC());
        assertThat(config.keyResolver()).isNotNull();
        assertThat(config.listeners()).isEmpty();
        assertThat(config.enabled()).isTrue();
    }

    @Test
    void defaults_withoutAStoreOnTheClassPathHasNoDefaultStore() {
        assertThat(IdempotencyConfig.defaults().defaultStore()).isNull();
    }

    @Test
    void toBuilder_roundTripKeepsEverySetting() {
        InMemoryStore main = InMemoryStore.keepingObjects();
        InMemoryStore local = InMemoryStore.encoding();
        Clock clock = Clock.fixed(Instant.parse("2024-01-01T00:00:00Z"), ZoneOffset.UTC);
        KeyResolver resolver = (expression, method) -> args -> "k";
        IdempotencyListener listener = event -> { };
        IdempotencyConfig original = IdempotencyConfig.builder()
                .defaultStore(main)
                .store("local", local)
                .keyPrefix("orders:")
                .maxKeyLength(64)
                .maxOutcomeBytes(1024)
                .clock(clock)
                .keyResolver(resolver)
                .listener(listener)
                .enabled(false)
                .build();

        IdempotencyConfig copy = original.toBuilder().build();

        assertThat(copy.defaultStore()).isSameAs(main);
        assertThat(copy.stores()).containsExactly(java.util.Map.entry("local", local));
        assertThat(copy.keyPrefix()).isEqualTo("orders:");
        assertThat(copy.maxKeyLength()).isEqualTo(64);
        assertThat(copy.maxOutcomeBytes()).isEqualTo(1024);
        assertThat(copy.clock()).isSameAs(clock);
        assertThat(copy.keyResolver()).isSameAs(resolver);
        assertThat(copy.listeners()).containsExactly(listener);
        assertThat(copy.enabled()).isFalse();
        assertThat(copy.toString()).isEqualTo(original.toString());
    }

    @Test
    void toBuilder_changesDoNotAffectTheOriginal() {
        IdempotencyConfig original = IdempotencyConfig.builder().discoverDefaultStore(false).keyPrefix("a:").build();
        IdempotencyConfig changed = original.toBuilder().keyPrefix("b:")
                .store("x", InMemoryStore.keepingObjects()).listener(event -> { }).build();
        assertThat(original.keyPrefix()).isEqualTo("a:");
        assertThat(original.stores()).isEmpty();
        assertThat(original.listeners()).isEmpty();
        assertThat(changed.keyPrefix()).isEqualTo("b:");
        assertThat(changed.stores()).containsOnlyKeys("x");
    }

    @Test
    void stores_areUnmodifiable() {
        IdempotencyConfig config = IdempotencyConfig.builder().discoverDefaultStore(false)
                .store("x", InMemoryStore.keepingObjects()).build();
        assertThatThrownBy(() -> config.stores().put("y", InMemoryStore.keepingObjects()))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> config.listeners().add(event -> { }))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void call_withUnknownStoreNameFailsNamingTheStoreAndTheConfiguredOnes() {
        Idempotency.configure(IdempotencyConfig.builder()
                .defaultStore(InMemoryStore.keepingObjects())
                .store("local", InMemoryStore.keepingObjects())
                .store("shared", InMemoryStore.encoding())
                .build());
        IdempotentOperation<String> operation = Idempotency.operation("orders.create", String.class)
                .store("remote").build();
        AtomicInteger runs = new AtomicInteger();

        assertThatThrownBy(() -> operation.execute("k-1", "payload", () -> "r" + runs.incrementAndGet()))
                .isInstanceOf(IdempotencyConfigurationException.class)
                .hasMessageContaining("unknown store 'remote'")
                .hasMessageContaining("orders.create")
                .hasMessageContaining("local")
                .hasMessageContaining("shared");
        assertThat(runs).hasValue(0);
    }

    @Test
    void call_withNamedStoreUsesThatStore() {
        InMemoryStore defaultStore = InMemoryStore.keepingObjects();
        InMemoryStore local = InMemoryStore.keepingObjects();
        Idempotency.configure(IdempotencyConfig.builder().defaultStore(defaultStore).store("local", local).build());

        String result = Idempotency.operation("ns", String.class).store("local").build()
                .execute("k-1", "payload", () -> "done");

        assertThat(result).isEqualTo("done");
        assertThat(local.record(StoreKeys.of("", "ns", "k-1"))).isNotNull();
        assertThat(defaultStore.record(StoreKeys.of("", "ns", "k-1"))).isNull();
    }

    @Test
    void call_withoutAnyStoreFailsSayingHowToConfigureOne() {
        Idempotency.configure(IdempotencyConfig.builder().discoverDefaultStore(false).build());
        AtomicInteger runs = new AtomicInteger();

        assertThatThrownBy(() -> Idempotency.operation("ns", String.class).build()
                .execute("k-1", "payload", () -> "r" + runs.incrementAndGet()))
                .isInstanceOf(IdempotencyConfigurationException.class)
                .hasMessageContaining("no idempotency store for ns")
                .hasMessageContaining("Idempotency.configure(IdempotencyConfig.builder().defaultStore(...))")
                .hasMessageContaining("idem-store-caffeine");
        assertThat(runs).hasValue(0);
    }

    @Test
    void call_whenDisabledRunsTheBodyEveryTime() {
        Idempotency.configure(IdempotencyConfig.builder().discoverDefaultStore(false).enabled(false).build());
        IdempotentOperation<String> operation = Idempotency.operation("ns", String.class).build();
        AtomicInteger runs = new AtomicInteger();

        operation.execute("k-1", "payload", () -> "r" + runs.incrementAndGet());
        operation.execute("k-1", "payload", () -> "r" + runs.incrementAndGet());

        assertThat(runs).hasValue(2);
    }

    @Test
    void call_withKeyLongerThanMaxKeyLengthFailsWithoutRunning() {
        Idempotency.configure(IdempotencyConfig.builder().defaultStore(InMemoryStore.keepingObjects())
                .maxKeyLength(4).build());
        AtomicInteger runs = new AtomicInteger();

        assertThatThrownBy(() -> Idempotency.operation("ns", String.class).build()
                .execute("12345", "payload", () -> "r" + runs.incrementAndGet()))
                .isInstanceOf(IdempotencyKeyException.class)
                .hasMessageContaining("5 characters long, more than the limit of 4");
        assertThat(runs).hasValue(0);
        assertThat(Idempotency.operation("ns", String.class).build().execute("1234", "p", () -> "ok"))
                .isEqualTo("ok");
    }

    @Test
    void keyPrefix_isPutInFrontOfKeysOfSharedStoresOnly() {
        InMemoryStore shared = InMemoryStore.encoding();
        InMemoryStore local = InMemoryStore.keepingObjects();
        Idempotency.configure(IdempotencyConfig.builder().defaultStore(shared).store("local", local)
                .keyPrefix("app:").build());

        Idempotency.operation("ns", String.class).build().execute("k", "p", () -> "a");
        Idempotency.operation("ns", String.class).store("local").build().execute("k", "p", () -> "b");

        assertThat(shared.record(StoreKeys.of("app:", "ns", "k"))).isNotNull();
        assertThat(local.record(StoreKeys.of("", "ns", "k"))).isNotNull();
        assertThat(local.record(StoreKeys.of("app:", "ns", "k"))).isNull();
    }
}
