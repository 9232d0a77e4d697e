package dev.idem.store.redisson.testing;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts a 3-primary/3-replica {@link RedisCluster} for a test class and stops it after the class, whatever happened.
 * Register it on a static field:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final RedisClusterExtension CLUSTER = new RedisClusterExtension();
 * }</pre>
 *
 * then use {@link #cluster()} from {@code @BeforeAll} on.
 */
public final class RedisClusterExtension implements BeforeAllCallback, AfterAllCallback {
    private RedisCluster cluster;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        cluster = RedisCluster.start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (cluster != null) {
            cluster.close();
            cluster = null;
        }
    }

    /**
     * The running cluster.
     *
     * @return the cluster
     * @throws IllegalStateException outside the test class's lifetime
     */
    public RedisCluster cluster() {
        if (cluster == null) {
            throw new IllegalStateException("the Redis Cluster runs only while the test class runs");
        }
        return cluster;
    }
}
