package dev.idem.store.redisson;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.idem.core.Idempotency;
import dev.idem.core.IdempotencyConfig;
import dev.idem.core.IdempotencyConfigurationException;
import dev.idem.core.IdempotentOperation;
import dev.idem.core.spi.IdempotencyStoreProvider;
import dev.idem.store.redisson.testing.RedisServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Choosing the Redis store without code: {@code idem.store=redisson} and its settings, as a load-time woven app does. */
class RedissonSettingsTest {
    private static RedisServer redis;

    @BeforeAll
    static void startRedis() throws IOException {
        redis = RedisServer.start();
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
    }

    @AfterEach
    void reset() throws Exception {
        IdempotencyConfig config = Idempotency.config();
        Idempotency.reset();
        if (config.defaultStore() instanceof AutoCloseable store) {
            store.close(); // the store made from settings owns its Redisson client
        }
        System.clearProperty("idem.store");
        System.clearProperty("idem.redisson.address");
        System.clearProperty("idem.keyPrefix");
    }

    @Test
    void systemProperties_selectTheRedisStore_andItWorks() {
        System.setProperty("idem.store", "redisson");
        System.setProperty("idem.redisson.address", redis.address());
        System.setProperty("idem.keyPrefix", "settings-test:");
        Idempotency.reset();
        AtomicInteger runs = new AtomicInteger();
        IdempotentOperation<Integer> operation = Idempotency.operation("settings", Integer.class).build();

        operation.execute("k", "payload", runs::incrementAndGet);
        operation.execute("k", "payload", runs::incrementAndGet);

        assertThat(Idempotency.config().defaultStore()).isInstanceOf(RedissonIdempotencyStore.class);
        assertThat(Idempotency.config().keyPrefix()).isEqualTo("settings-test:");
        assertThat(runs).hasValue(1);
    }

    @Test
    void aYamlConfigFile_isAccepted(@TempDir Path dir) throws Exception {
        Path yaml = dir.resolve("redisson.yaml");
        Files.writeString(yaml, "singleServerConfig:\n  address: \"" + redis.address() + "\"\n");

        IdempotencyConfig config = IdempotencyConfig.fromSettings(Map.of("idem.store", "redisson",
                "idem.redisson.config", yaml.toString()));
        try (RedissonIdempotencyStore store = (RedissonIdempotencyStore) config.defaultStore()) {
            assertThat(store.isShared()).isTrue();
        }
    }

    @Test
    void missingOrWrongSettings_failWithTheirNames() {
        assertThatThrownBy(() -> IdempotencyConfig.fromSettings(Map.of("idem.store", "redisson")))
                .isInstanceOf(IdempotencyConfigurationException.class)
                .hasMessageContaining("idem.redisson.config").hasMessageContaining("idem.redisson.address");
        assertThatThrownBy(() -> IdempotencyConfig.fromSettings(Map.of("idem.store", "redisson",
                "idem.redisson.config", "/no/such/redisson.yaml")))
                .isInstanceOf(IdempotencyConfigurationException.class).hasMessageContaining("no such file");
        assertThatThrownBy(() -> IdempotencyConfig.fromSettings(Map.of("idem.store", "memcached")))
                .isInstanceOf(IdempotencyConfigurationException.class)
                .hasMessageContaining("memcached").hasMessageContaining("redisson");
    }

    @Test
    void withoutIdemStore_theRedisStoreIsNotChosen_andCallsSayHowToChooseIt() {
        // Only the Redis provider is on the class path, and it needs settings: it is used only when named. The
        // near-cache's tests bring the Caffeine store too; this check runs in a surefire execution without it.
        assumeFalse(ServiceLoader.load(IdempotencyStoreProvider.class).stream()
                .anyMatch(provider -> provider.type().getName().equals("dev.idem.store.caffeine.CaffeineStoreProvider")),
                "the Caffeine store is on the class path (see the without-the-caffeine-store execution)");
        IdempotencyConfig config = IdempotencyConfig.fromSettings(Map.of());
        Idempotency.configure(config);

        assertThat(config.defaultStore()).isNull();
        assertThatThrownBy(() -> Idempotency.operation("settings", Integer.class).build().execute("k", "p", () -> 1))
                .isInstanceOf(IdempotencyConfigurationException.class)
                .hasMessageContaining("idem.store").hasMessageContaining("idem-store-caffeine");
    }
}
