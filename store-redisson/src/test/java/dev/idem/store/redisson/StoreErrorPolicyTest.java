package dev.idem.store.redisson;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.idem.annotation.OnStoreError;
import dev.idem.core.Idempotency;
import dev.idem.core.IdempotencyConfig;
import dev.idem.core.event.IdempotencyEvent;
import dev.idem.core.IdempotencyStoreException;
import dev.idem.core.IdempotentOperation;
import dev.idem.store.redisson.testing.RedisServer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;

/** With Redis gone: fail closed by default, run unprotected where the method opted in, both within a bound. */
class StoreErrorPolicyTest {
    private RedisServer redis;
    private RedissonClient client;
    private final List<IdempotencyEvent> events = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        redis = RedisServer.start();
        Config config = new Config();
        config.useSingleServer().setAddress(redis.address());
        client = Redisson.create(config);
        Idempotency.configure(IdempotencyConfig.builder()
                .defaultStore(RedissonIdempotencyStore.builder(client)
                        .commandTimeout(Duration.ofMillis(500)).retryAttempts(0).build())
                .listener(events::add)
                .build());
    }

    @AfterEach
    void stop() {
        Idempotency.reset();
        client.shutdown();
        redis.close();
    }

    @Test
    void redisGone_failClosedByDefault_proceedWhereChosen() {
        AtomicInteger runs = new AtomicInteger();
        IdempotentOperation<Integer> failClosed = Idempotency.operation("policy.fail", Integer.class).build();
        IdempotentOperation<Integer> proceed = Idempotency.operation("policy.proceed", Integer.class)
                .onStoreError(OnStoreError.PROCEED).build();
        assertThat(failClosed.execute("k", "p", runs::incrementAndGet)).isEqualTo(1);

        redis.kill();

        long start = System.nanoTime();
        assertThatThrownBy(() -> failClosed.execute("k2", "p", runs::incrementAndGet))
                .isInstanceOf(IdempotencyStoreException.class).hasMessageContaining("did not run");
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(5_000);
        assertThat(runs).hasValue(1);

        assertThat(proceed.execute("k3", "p", runs::incrementAndGet)).isEqualTo(2);
        assertThat(proceed.execute("k3", "p", runs::incrementAndGet)).isEqualTo(3); // unprotected: runs each time
        assertThat(events).extracting(IdempotencyEvent::type)
                .contains(IdempotencyEvent.Type.STORE_ERROR, IdempotencyEvent.Type.UNPROTECTED);
    }
}
