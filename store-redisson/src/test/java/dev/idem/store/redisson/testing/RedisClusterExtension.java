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
    private final long nodeTimeoutMillis;
    private RedisCluster cluster;

    /** A steady cluster: a 5 s node timeout, so that no primary fails over on a busy machine. */
    public RedisClusterExtension() {
        this(5_000);
    }

    private RedisClusterExtension(long nodeTimeoutMillis) {
        this.nodeTimeoutMillis = nodeTimeoutMillis;
    }

    /**
     * A cluster for failover tests: a 1 s node timeout, so that a killed primary's replica takes over quickly.
     *
     * @return the extension
     */
    public static RedisClusterExtension forFailover() {
        return new RedisClusterExtension(1_000);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        cluster = RedisCluster.start(nodeTimeoutMillis);
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
