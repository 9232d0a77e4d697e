package dev.idem.micrometer;

import dev.idem.core.spi.IdempotencyStore;
import dev.idem.store.redisson.RedissonIdempotencyStore;
import dev.idem.store.redisson.testing.RedisServer;
import java.time.Duration;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;

/**
 * The listener on the Redis store, on a real {@code redis-server} on a free port (one per test: the script kills
 * it). Leases lapse by Redis's clock (real time passes while the test waits, with a bound, to claim the key), and
 * the store breaks because the server is killed.
 */
class RedisMicrometerListenerTest extends MicrometerListenerSuite {
    private RedisServer redis;
    private RedissonClient client;

    @Override
    protected String storeName() {
        return "redis";
    }

    @Override
    protected IdempotencyStore createStore() throws Exception {
        redis = RedisServer.start();
        Config config = new Config();
        config.useSingleServer().setAddress(redis.address());
        client = Redisson.create(config);
        return RedissonIdempotencyStore.builder(client).commandTimeout(Duration.ofMillis(500)).retryAttempts(0)
                .build();
    }

    @Override
    protected void breakStore() {
        redis.kill();
    }

    @Override
    protected void lapse(long leaseMillis) {
        // Redis expires the claim itself once the lease has passed in real time; the suite then waits to claim it.
    }

    @Override
    protected void closeStore() {
        if (client != null) {
            client.shutdown();
        }
        if (redis != null) {
            redis.close();
        }
    }
}
