package dev.idem.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.idem.core.testing.InMemoryStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link Idempotency#capture} reports the one idempotent call made directly inside it, applied by the entry points
 * around the engine: never a call that the body makes in turn, and a call without a key counts as a run.
 */
class CaptureTest {
    private final IdempotentOperation<String> outer = Idempotency.operation("capture.outer", String.class)
            .keyRequired(false).build();
    private final IdempotentOperation<String> inner = Idempotency.operation("capture.inner", String.class).build();

    @BeforeEach
    void configure() {
        Idempotency.configure(IdempotencyConfig.builder().defaultStore(InMemoryStore.keepingObjects()).build());
    }

    @AfterEach
    void reset() {
        Idempotency.reset();
    }

    @Test
    void aReplayedNestedCall_doesNotMakeTheOuterCallReplayed() throws Exception {
        inner.execute("k", "p", () -> "first");
        IdempotentResult<String> result = Idempotency.capture(
                () -> outer.execute("o", "p", () -> inner.execute("k", "p", () -> "again")));
        assertThat(result.value()).isEqualTo("first");
        assertThat(result.replayed()).as("the outer call ran; only its nested call replayed").isFalse();

        IdempotentResult<String> repeat = Idempotency.capture(
                () -> outer.execute("o", "p", () -> "never"));
        assertThat(repeat.replayed()).isTrue();
    }

    @Test
    void aCallWithoutAKey_isARun_andHidesTheCaptureFromItsNestedCalls() throws Exception {
        inner.execute("k", "p", () -> "first");
        IdempotentResult<String> result = Idempotency.capture(
                () -> outer.execute(null, "p", () -> inner.execute("k", "p", () -> "again")));
        assertThat(result.value()).isEqualTo("first");
        assertThat(result.replayed()).as("the unprotected outer call ran; its nested replay is not its own")
                .isFalse();
    }

    @Test
    void nestedCaptures_eachSeeTheirOwnCall() throws Exception {
        inner.execute("k", "p", () -> "first");
        IdempotentResult<IdempotentResult<String>> outerResult = Idempotency.capture(
                () -> outer.execute("o2", "p", () -> "ran") == null ? null
                        : Idempotency.capture(() -> inner.execute("k", "p", () -> "again")));
        assertThat(outerResult.replayed()).as("the last call made directly in the outer capture").isFalse();
        assertThat(outerResult.value().replayed()).isTrue();
    }
}
