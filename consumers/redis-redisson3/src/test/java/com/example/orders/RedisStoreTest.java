package com.example.orders;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.idem.core.Idempotency;
import dev.idem.core.IdempotencyConfig;
import dev.idem.core.IdempotencyKeyReuseException;
import dev.idem.core.IdempotentOperation;
import dev.idem.core.IdempotentResult;
import dev.idem.store.redisson.RedissonIdempotencyStore;
import dev.idem.store.redisson.testing.RedisServer;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;

/** The Redis store on the Redisson of this build, through the woven annotation, a YAML config and settings. */
class RedisStoreTest {
    private static RedisServer redis;
    private static RedissonClient client;

    @BeforeAll
    static void startRedis() throws Exception {
        redis = RedisServer.start();
        Config config = new Config();
        config.useSingleServer().setAddress(redis.address());
        client = Redisson.create(config);
    }

    @AfterAll
    static void stopRedis() {
        if (client != null) {
            client.shutdown();
        }
        if (redis != null) {
            redis.close();
        }
    }

    @AfterEach
    void resetIdem() {
        Idempotency.reset();
    }

    @Test
    void theRedissonOfThisBuildIsTheOneOnTheClassPath() throws Exception {
        Properties pom = new Properties();
        try (InputStream in = Redisson.class.getResourceAsStream("/META-INF/maven/org.redisson/redisson/pom.properties")) {
            pom.load(in);
        }
        assertEquals(System.getProperty("expected.redisson.version"), pom.getProperty("version"));
    }

    @Test
    void aFirstCallRuns_aRepeatReplaysFromRedis() throws Exception {
        Idempotency.configure(IdempotencyConfig.builder()
                .defaultStore(RedissonIdempotencyStore.create(client))
                .keyPrefix("consumer:")
                .build());
        OrderService orders = new OrderService();

        IdempotentResult<Confirmation> first =
                Idempotency.capture(() -> orders.place(new OrderRequest("order-1", List.of("book", "pen"))));
        IdempotentResult<Confirmation> replay =
                Idempotency.capture(() -> orders.place(new OrderRequest("order-1", List.of("book", "pen"))));

        assertFalse(first.replayed());
        assertTrue(replay.replayed());
        assertEquals(new Confirmation("order-1", "C-1", List.of("book", "pen")), replay.value());
        assertNotSame(first.value(), replay.value(), "a replay is decoded from the record in Redis");
        assertEquals(1, orders.placed());
        assertEquals(1, client.getKeys().getKeysStreamByPattern("{consumer%3A:*:order-1}").count(),
                "the record is in Redis");

        assertThrows(IdempotencyKeyReuseException.class,
                () -> orders.place(new OrderRequest("order-1", List.of("something else"))));
        assertEquals(1, orders.placed());
    }

    @Test
    void aStoreFromARedissonYamlFile(@TempDir Path dir) throws Exception {
        Path yaml = Files.writeString(dir.resolve("redisson.yaml"),
                "singleServerConfig:\n  address: \"" + redis.address() + "\"\n");
        try (RedissonIdempotencyStore store = RedissonIdempotencyStore.fromConfig(yaml.toFile())) {
            Idempotency.configure(IdempotencyConfig.builder().defaultStore(store).keyPrefix("yaml:").build());
            assertRunsOnceThenReplays();
        }
    }

    @Test
    void aStoreChosenBySettings() throws Exception {
        IdempotencyConfig config = IdempotencyConfig.fromSettings(Map.of(
                "idem.store", "redisson",
                "idem.redisson.address", redis.address(),
                "idem.keyPrefix", "settings:"));
        try {
            assertTrue(config.defaultStore() instanceof RedissonIdempotencyStore, config::toString);
            Idempotency.configure(config);
            assertRunsOnceThenReplays();
        } finally {
            ((RedissonIdempotencyStore) config.defaultStore()).close();
        }
    }

    private static void assertRunsOnceThenReplays() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        IdempotentOperation<String> operation = Idempotency.operation("consumer.op", String.class).build();
        IdempotentResult<String> first = operation.call("k-1", "payload", () -> "run " + runs.incrementAndGet());
        IdempotentResult<String> replay = operation.call("k-1", "payload", () -> "run " + runs.incrementAndGet());
        assertFalse(first.replayed());
        assertTrue(replay.replayed());
        assertEquals("run 1", replay.value());
        assertEquals(1, runs.get());
    }
}
