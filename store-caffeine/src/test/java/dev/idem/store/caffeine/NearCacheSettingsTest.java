package dev.idem.store.caffeine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.idem.core.IdempotencyConfig;
import dev.idem.core.IdempotencyConfigurationException;
import dev.idem.core.spi.IdempotencyStoreProvider;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

/**
 * Choosing the near-cache without code ({@code idem.store=nearcache}): what it refuses, with the setting named. The
 * Redis store's tests build one in front of a real Redis from settings.
 */
class NearCacheSettingsTest {

    @Test
    void theProvider_isOnTheClassPath_butOnlyUsedWhenNamed() {
        assertThat(ServiceLoader.load(IdempotencyStoreProvider.class).stream().map(ServiceLoader.Provider::get))
                .anySatisfy(p -> {
                    assertThat(p.name()).isEqualTo("nearcache");
                    assertThat(p.priority()).isNegative();
                });
        assertThat(IdempotencyConfig.fromSettings(Map.of()).defaultStore())
                .isInstanceOf(CaffeineIdempotencyStore.class);
    }

    @Test
    void withoutTheSharedStoresName_itIsRefused() {
        assertThatThrownBy(() -> IdempotencyConfig.fromSettings(Map.of("idem.store", "nearcache")))
                .isInstanceOf(IdempotencyConfigurationException.class)
                .hasMessageContaining("idem.nearcache.store");
    }

    @Test
    void inFrontOfItself_anUnknownStore_orALocalStore_itIsRefused() {
        assertThatThrownBy(() -> settings("nearcache")).isInstanceOf(IdempotencyConfigurationException.class)
                .hasMessageContaining("idem.nearcache.store = nearcache");
        assertThatThrownBy(() -> settings("memcached")).isInstanceOf(IdempotencyConfigurationException.class)
                .hasMessageContaining("idem.nearcache.store = memcached: no store provider")
                .hasMessageContaining("caffeine");
        assertThatThrownBy(() -> settings("caffeine")).isInstanceOf(IdempotencyConfigurationException.class)
                .hasMessageContaining("shared store");
    }

    private static IdempotencyConfig settings(String store) {
        return IdempotencyConfig.fromSettings(Map.of("idem.store", "nearcache", "idem.nearcache.store", store));
    }
}
