package dev.idem.spring.web;

import dev.idem.store.redisson.RedissonIdempotencyStore;
import dev.idem.store.redisson.testing.RedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;

/**
 * The web behaviour on Redis (a real redis-server on a free port): the ResponseEntity is encoded by the module of
 * {@link SpringWebResultTypeSupport} and replayed from its encoding.
 */
class RedisWebTest extends WebBehaviourSuite {
    private static RedisServer redis;
    private static RedissonClient client;

    @BeforeAll
    static void start() throws Exception {
        redis = RedisServer.start();
        Config config = new Config();
        config.useSingleServer().setAddress(redis.address());
        client = Redisson.create(config);
        startWith(RedissonIdempotencyStore.create(client));
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            stopServer();
        } finally {
            if (client != null) {
                client.shutdown();
            }
            if (redis != null) {
                redis.close();
            }
        }
    }
}
