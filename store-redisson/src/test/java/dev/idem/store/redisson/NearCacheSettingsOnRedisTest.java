package dev.idem.store.redisson;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.idem.core.Idempotency;
import dev.idem.core.IdempotencyConfig;
import dev.idem.core.IdempotencyConfigurationException;
import dev.idem.core.IdempotentOperation;
import dev.idem.store.caffeine.NearCachedStore;
import dev.idem.store.redisson.testing.RedisServerExtension;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The near-cache in front of the Redis store, chosen by settings ({@code idem.store=nearcache}), on a real Redis. */
class NearCacheSettingsOnRedisTest {
    @RegisterExtension
    static final RedisServerExtension REDIS = new RedisServerExtension();

    @AfterEach
    void reset() throws Exception {
        IdempotencyConfig config = Idempotency.config();
        Idempotency.reset();
        if (config.defaultStore() instanceof AutoCloseable store) {
            store.close(); // closes the Redis store, which owns the client it made from the settings
        }
    }

    private Map<String, String> settings(String... more) {
        Map<String, String> settings = new HashMap<>(Map.of("idem.store", "nearcache", "idem.nearcache.store",
                "redisson", "idem.redisson.address", REDIS.server().address(), "idem.keyPrefix", "settings:"));
        for (int i = 0; i < more.length; i += 2) {
            settings.put(more[i], more[i + 1]);
        }
        return settings;
    }

    @Test
    void settings_putANearCacheInFrontOfTheRedisStore_andItWorks() {
        Idempotency.configure(IdempotencyConfig.fromSettings(settings("idem.nearcache.maximumSize", "5",
                "idem.nearcache.maximumLocalTtl", "5m")));
        AtomicInteger runs = new AtomicInteger();
        IdempotentOperation<Integer> operation = Idempotency.operation("settings", Integer.class).build();

        operation.execute("k", "payload", runs::incrementAndGet);
        operation.execute("k", "payload", runs::incrementAndGet);

        assertThat(runs).hasValue(1);
        NearCachedStore store = (NearCachedStore) Idempotency.config().defaultStore();
        assertThat(store.delegate()).isInstanceOf(RedissonIdempotencyStore.class);
        assertThat(store.toString()).contains("maximumSize 5").contains("maximumLocalTtl 300000 ms");
    }

    @Test
    void badSizesAndDurations_nameTheSettingAndTheValue() {
        assertThatThrownBy(() -> IdempotencyConfig.fromSettings(settings("idem.nearcache.maximumSize", "lots")))
                .isInstanceOf(IdempotencyConfigurationException.class)
                .hasMessageContaining("idem.nearcache.maximumSize must be a whole number, got 'lots'");
        assertThatThrownBy(() -> IdempotencyConfig.fromSettings(settings("idem.nearcache.maximumSize", "0")))
                .isInstanceOf(IdempotencyConfigurationException.class)
                .hasMessageContaining("maximumSize must be at least 1, got 0");
        assertThatThrownBy(() -> IdempotencyConfig.fromSettings(settings("idem.nearcache.maximumLocalTtl", "soon")))
                .isInstanceOf(IdempotencyConfigurationException.class)
                .hasMessageContaining("idem.nearcache.maximumLocalTtl must be a duration").hasMessageContaining("soon");
        assertThatThrownBy(() -> IdempotencyConfig.fromSettings(settings("idem.nearcache.maximumLocalTtl", "PT0S")))
                .isInstanceOf(IdempotencyConfigurationException.class)
                .hasMessageContaining("maximumLocalTtl must be at least 1ms");
        assertThat(IdempotencyConfig.fromSettings(settings("idem.nearcache.maximumLocalTtl", "PT30S"))
                .defaultStore().toString()).contains("maximumLocalTtl 30000 ms");
    }
}
