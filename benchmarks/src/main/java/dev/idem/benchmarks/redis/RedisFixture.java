package dev.idem.benchmarks.redis;

import dev.idem.core.Idempotency;
import dev.idem.core.IdempotencyConfig;
import dev.idem.core.spi.IdempotencyStore;
import dev.idem.store.caffeine.NearCachedStore;
import dev.idem.store.redisson.RedissonIdempotencyStore;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;

/**
 * What every Redis benchmark trial runs on: its own {@link RedisProcess}, one Redisson client, idem configured with
 * {@code RedissonIdempotencyStore.create(client)} as the default store, the woven {@link RedisPayments} and the
 * hand-written {@link RedisFloor} on the same client. idem and the floor share the client, so they share its pool and
 * its I/O threads: sized for the benchmarks' 64 caller threads (a synchronous Redisson call holds a pooled connection
 * until its reply), with the whole pool opened up front so that no trial measures connection set-up.
 *
 * <p>{@link #close()} resets idem's configuration, shuts the client down and stops the server.
 */
final class RedisFixture implements AutoCloseable {
    /** Connections in the pool: room for 64 callers with a synchronous call each, and a margin. */
    static final int CONNECTION_POOL_SIZE = 96;

    /** Netty I/O threads of the client (Redisson's default is 32); the machine's cores do the work anyway. */
    static final int NETTY_THREADS = 16;

    private final RedisProcess redis;
    private final RedissonClient client;
    private final RedisPayments payments;
    private final RedisFloor floor;

    private RedisFixture(RedisProcess redis, RedissonClient client) {
        this.redis = redis;
        this.client = client;
        this.payments = new RedisPayments();
        this.floor = new RedisFloor(client);
    }

    /**
     * Starts a server, connects, configures idem.
     *
     * @return the fixture
     * @throws IOException if the server cannot be started
     */
    static RedisFixture start() throws IOException {
        return start(false);
    }

    /** The same, with the Redis store behind a near-cache ({@link NearCachedStore}) if {@code nearCache}. */
    static RedisFixture start(boolean nearCache) throws IOException {
        RedisProcess redis = RedisProcess.start();
        try {
            Config config = new Config();
            config.setNettyThreads(NETTY_THREADS);
            config.useSingleServer()
                    .setAddress(redis.address())
                    .setConnectionPoolSize(CONNECTION_POOL_SIZE)
                    .setConnectionMinimumIdleSize(CONNECTION_POOL_SIZE);
            RedissonClient client = Redisson.create(config);
            IdempotencyStore store = RedissonIdempotencyStore.create(client);
            Idempotency.configure(IdempotencyConfig.builder()
                    .defaultStore(nearCache ? NearCachedStore.wrap(store) : store)
                    .build());
            return new RedisFixture(redis, client);
        } catch (RuntimeException e) {
            redis.close();
            throw e;
        }
    }

    RedisProcess redis() {
        return redis;
    }

    RedissonClient client() {
        return client;
    }

    RedisPayments payments() {
        return payments;
    }

    RedisFloor floor() {
        return floor;
    }

    @Override
    public void close() {
        try {
            Idempotency.reset();
            client.shutdown(0, 5, TimeUnit.SECONDS); // no quiet period: the trial is over
        } finally {
            redis.close();
        }
    }
}
