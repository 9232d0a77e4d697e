package dev.idem.store.caffeine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.idem.core.IdempotencyConfig;
import org.junit.jupiter.api.Test;

/**
 * {@code toBuilder()} must keep {@code discoverDefaultStore(false)}. Fails on 145cb18: the flag is not copied, so with
 * a store provider on the class path the rebuilt configuration silently gains a default store that the original had
 * turned off.
 */
class ToBuilderDiscoveryTest {

    @Test
    void toBuilder_keepsDiscoveryTurnedOff() {
        IdempotencyConfig original = IdempotencyConfig.builder().discoverDefaultStore(false).build();
        assertThat(original.defaultStore()).isNull();

        assertThat(original.toBuilder().build().defaultStore()).isNull();
    }
}
