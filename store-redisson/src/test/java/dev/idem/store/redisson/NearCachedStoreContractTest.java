package dev.idem.store.redisson;

import dev.idem.core.spi.IdempotencyStore;
import dev.idem.store.caffeine.NearCachedStore;
import dev.idem.store.redisson.testing.RedisServerExtension;
import dev.idem.store.redisson.testing.RespConnection;
import dev.idem.tck.IdempotencyStoreContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;

/**
 * The store contract of the TCK on the near-cache in front of the Redisson store, against a real
 * {@code redis-server}: the decorator must be invisible to every operation in every state, with Redis's clock deciding
 * expiry and the local copies never outliving it.
 */
class NearCachedStoreContractTest extends IdempotencyStoreContract {
    @RegisterExtension
    static final RedisServerExtension REDIS = new RedisServerExtension();

    private static RedissonClient client;

    @BeforeAll
    static void connect() {
        Config config = new Config();
        config.useSingleServer().setAddress(REDIS.server().address());
        client = Redisson.create(config);
    }

    @AfterAll
    static void disconnect() {
        if (client != null) {
            client.shutdown();
        }
    }

    @Override
    protected IdempotencyStore createStore() throws Exception {
        try (RespConnection connection = REDIS.server().connect()) {
            connection.command("FLUSHALL");
        }
        return NearCachedStore.wrap(RedissonIdempotencyStore.create(client));
    }
}
