package dev.idem.store.redisson;

import static org.assertj.core.api.Assertions.assertThat;

import dev.idem.core.spi.IdempotencyStore;
import dev.idem.core.spi.Fingerprint;
import dev.idem.store.redisson.testing.RedisServer;
import dev.idem.tck.IdempotencyStoreContract;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;

/**
 * The store on Redis 6.2, the oldest supported server, run from the binary that the embedded-redis test artifact
 * ships (the fallback of a machine without Redis): the whole store contract (its scripts use {@code TIME}-free
 * expiry, {@code PTTL} and multi-field {@code HSET}), then a waiter woken through pub/sub. Two clients stand for two
 * processes.
 */
class RedissonStoreOnRedis62Test extends IdempotencyStoreContract {
    private static final Fingerprint PAYLOAD = Fingerprint.ofHash("payload-hash");

    private static RedisServer server;
    private static RedissonClient first;
    private static RedissonClient second;

    @BeforeAll
    static void start() throws Exception {
        server = RedisServer.start(RedisServer.embedded().toString());
        first = client();
        second = client();
    }

    private static RedissonClient client() {
        Config config = new Config();
        config.useSingleServer().setAddress(server.address());
        return Redisson.create(config);
    }

    @AfterAll
    static void stop() {
        if (first != null) {
            first.shutdown();
        }
        if (second != null) {
            second.shutdown();
        }
        if (server != null) {
            server.close();
        }
    }

    @Override
    protected IdempotencyStore createStore() throws Exception {
        try (var connection = server.connect()) {
            connection.command("FLUSHALL");
        }
        return RedissonIdempotencyStore.create(first);
    }

    @Test
    void serverIsRedis62() throws Exception {
        try (var connection = server.connect()) {
            assertThat((String) connection.command("INFO", "server")).contains("redis_version:6.2.");
        }
    }

    @Test
    void waiterInAnotherClient_isWokenByRelease_throughPubSub() throws Exception {
        RedissonIdempotencyStore holder = RedissonIdempotencyStore.create(first);
        RedissonIdempotencyStore waiter = RedissonIdempotencyStore.builder(second)
                .settleRecheck(java.time.Duration.ofMinutes(5)) // only a message can wake it within the test
                .build();
        long now = System.currentTimeMillis();
        holder.claim("w1", "owner", PAYLOAD, now, 30_000).toCompletableFuture().join();

        try (var probe = server.connect()) {
            long reads = WaiterProbe.stateReads(probe);
            CompletableFuture<?> settled = waiter.whenSettled("w1").toCompletableFuture();
            WaiterProbe.awaitWaiter("w1", probe, reads, List.of(probe));
            assertThat(settled).as("subscribed and re-read, nothing has settled").isNotDone();

            assertThat(holder.release("w1", "intruder", now).toCompletableFuture().join()).isFalse();
            assertThat(holder.release("w1", "owner", now).toCompletableFuture().join()).isTrue();
            settled.get(5, TimeUnit.SECONDS);
        }
        assertThat(waiter.whenSettled("w1").toCompletableFuture().get(5, TimeUnit.SECONDS)).as("no record: settled at once").isNull();
    }
}
