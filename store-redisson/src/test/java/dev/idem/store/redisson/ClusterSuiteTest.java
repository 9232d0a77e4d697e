package dev.idem.store.redisson;

import dev.idem.core.spi.IdempotencyStore;
import dev.idem.store.redisson.testing.RedisCluster;
import dev.idem.store.redisson.testing.RedisClusterExtension;
import dev.idem.store.redisson.testing.RespConnection;
import dev.idem.tck.IdempotencyBehaviourSuite;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;

/**
 * The whole behaviour suite, through the aspect and the programmatic API, on the Redisson store against a real
 * 3-primary/3-replica Redis Cluster: one cluster and one client for the class, emptied before each test.
 */
class ClusterSuiteTest extends IdempotencyBehaviourSuite {
    @RegisterExtension
    static final RedisClusterExtension CLUSTER = new RedisClusterExtension();

    private static RedissonClient client;

    @BeforeAll
    static void connect() {
        client = Redisson.create(ClusterBehaviourTest.clusterConfig(CLUSTER.cluster()));
    }

    @AfterAll
    static void disconnect() {
        if (client != null) {
            client.shutdown();
        }
    }

    @Override
    protected IdempotencyStore createStore() throws Exception {
        // Each node is asked its own role: another node's view can lag behind a role change.
        for (RedisCluster.Node node : CLUSTER.cluster().running()) {
            try (RespConnection connection = node.connect()) {
                if ("master".equals(((java.util.List<?>) connection.command("ROLE")).get(0))) {
                    connection.command("FLUSHALL");
                }
            }
        }
        return RedissonIdempotencyStore.create(client);
    }
}
