package dev.idem.store.redisson.testing;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts one real {@code redis-server} for a test class and stops it after the class, whatever happened. Register it
 * on a static field:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final RedisServerExtension REDIS = new RedisServerExtension();
 * }</pre>
 *
 * then use {@link #server()} from {@code @BeforeAll} on. See {@link RedisServer} for where the binary comes from.
 */
public final class RedisServerExtension implements BeforeAllCallback, AfterAllCallback {
    private RedisServer server;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        server = RedisServer.start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (server != null) {
            server.close();
            server = null;
        }
    }

    /**
     * The running server.
     *
     * @return the server
     * @throws IllegalStateException outside the test class's lifetime
     */
    public RedisServer server() {
        if (server == null) {
            throw new IllegalStateException("the Redis server runs only while the test class runs");
        }
        return server;
    }
}
