package dev.idem.store.caffeine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.idem.core.Idempotency;
import dev.idem.core.IdempotencyConfig;
import dev.idem.core.IdempotencyConfigurationException;
import dev.idem.core.IdempotentOperation;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Configuring idem from idem.* settings: system properties over an idem.properties resource. */
class SettingsTest {

    @AfterEach
    void reset() {
        System.clearProperty("idem.maxKeyLength");
        System.clearProperty("idem.enabled");
        Idempotency.reset();
    }

    @Test
    void settings_configureTheDefaults() {
        IdempotencyConfig config = IdempotencyConfig.fromSettings(Map.of("idem.store", "caffeine",
                "idem.keyPrefix", "app:", "idem.maxKeyLength", "64", "idem.maxOutcomeBytes", "1024",
                "idem.enabled", "false"));

        assertThat(config.defaultStore()).isInstanceOf(CaffeineIdempotencyStore.class);
        assertThat(config.keyPrefix()).isEqualTo("app:");
        assertThat(config.maxKeyLength()).isEqualTo(64);
        assertThat(config.maxOutcomeBytes()).isEqualTo(1024);
        assertThat(config.enabled()).isFalse();
    }

    @Test
    void badSettings_nameTheSettingAndTheValue() {
        assertThatThrownBy(() -> IdempotencyConfig.fromSettings(Map.of("idem.maxKeyLength", "lots")))
                .isInstanceOf(IdempotencyConfigurationException.class)
                .hasMessageContaining("idem.maxKeyLength").hasMessageContaining("lots");
        assertThatThrownBy(() -> IdempotencyConfig.fromSettings(Map.of("idem.maxKeyLength", "0")))
                .isInstanceOf(IdempotencyConfigurationException.class).hasMessageContaining("idem.maxKeyLength");
        assertThatThrownBy(() -> IdempotencyConfig.fromSettings(Map.of("idem.enabled", "yes")))
                .isInstanceOf(IdempotencyConfigurationException.class).hasMessageContaining("idem.enabled");
        assertThatThrownBy(() -> IdempotencyConfig.fromSettings(Map.of("idem.store", "redisson")))
                .isInstanceOf(IdempotencyConfigurationException.class)
                .hasMessageContaining("redisson").hasMessageContaining("caffeine");
    }

    @Test
    void systemProperties_applyToTheZeroConfigurationDefault() {
        System.setProperty("idem.enabled", "false");
        Idempotency.reset();
        AtomicInteger runs = new AtomicInteger();
        IdempotentOperation<Integer> operation = Idempotency.operation("settings", Integer.class).build();

        operation.execute("k", "p", runs::incrementAndGet);
        operation.execute("k", "p", runs::incrementAndGet);

        assertThat(runs).hasValue(2);
    }

    @Test
    void aBadSystemProperty_failsEveryCall_andReconfiguringRecovers() {
        System.setProperty("idem.maxKeyLength", "-5");
        Idempotency.reset();
        IdempotentOperation<Integer> operation = Idempotency.operation("settings", Integer.class).build();

        for (int attempt = 0; attempt < 2; attempt++) {
            assertThatThrownBy(() -> operation.execute("k", "p", () -> 1))
                    .isInstanceOf(IdempotencyConfigurationException.class)
                    .hasMessageContaining("idem.maxKeyLength");
        }
        Idempotency.configure(IdempotencyConfig.builder().defaultStore(CaffeineIdempotencyStore.create()).build());
        assertThat(operation.execute("k", "p", () -> 1)).isEqualTo(1);
    }
}
