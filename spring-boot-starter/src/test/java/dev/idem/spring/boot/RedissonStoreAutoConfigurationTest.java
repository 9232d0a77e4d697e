package dev.idem.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.idem.core.Idempotency;
import dev.idem.core.IdempotencyConfig;
import dev.idem.core.spi.IdempotencyStore;
import dev.idem.spring.boot.TestBeans.Greeter;
import dev.idem.store.redisson.RedissonIdempotencyStore;
import dev.idem.store.redisson.testing.RedisServer;
import dev.idem.store.redisson.testing.RedisServerExtension;
import dev.idem.store.redisson.testing.RespConnection;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * {@code idem.store=redisson} on real {@code redis-server} processes on free loopback ports: the application's
 * {@link RedissonClient} bean is reused, or else a client of idem's own is created from {@code idem.redisson.*} when
 * the context starts (connected before any call, shut down with the context).
 */
class RedissonStoreAutoConfigurationTest {
    @RegisterExtension
    static final RedisServerExtension REDIS = new RedisServerExtension();

    static final ApplicationContextRunner RUNNER = IdemAutoConfigurationTest.RUNNER
            .withPropertyValues("idem.store=redisson");

    @AfterEach
    void resetIdem() {
        Idempotency.reset();
    }

    @Test
    void applicationClientBean_isReused_andNotShutDownByIdem() {
        Config config = new Config();
        config.useSingleServer().setAddress(REDIS.server().address());
        RedissonClient client = Redisson.create(config);
        try {
            RUNNER.withBean(Greeter.class).withBean(RedissonClient.class, () -> client)
                    .withPropertyValues("idem.key-prefix=reuse:")
                    .run(context -> {
                        assertThat(context).hasNotFailed()
                                .doesNotHaveBean(IdemStoreConfigurations.OwnRedissonClient.class);
                        IdempotencyStore store = context.getBean(IdempotencyConfig.class).defaultStore();
                        assertThat(store).isInstanceOf(RedissonIdempotencyStore.class)
                                .isSameAs(context.getBean(IdemStoreConfigurations.STORE_BEAN));
                        Greeter greeter = context.getBean(Greeter.class);
                        assertThat(greeter.greet("r1")).isEqualTo(greeter.greet("r1"));
                        // the record went to Redis through the application's client
                        assertThat(client.getKeys().getKeysByPattern("*reuse*")).isNotEmpty();
                    });
            assertThat(client.isShutdown()).isFalse();
        } finally {
            client.shutdown();
        }
    }

    @Test
    void applicationClientBean_withIdemsOwnClientSettings_failsStartUp() {
        Config config = new Config();
        config.useSingleServer().setAddress(REDIS.server().address());
        RedissonClient client = Redisson.create(config);
        try {
            RUNNER.withBean(RedissonClient.class, () -> client)
                    .withPropertyValues("idem.redisson.address=" + REDIS.server().address())
                    .run(context -> assertThat(context).hasFailed().getFailure().rootCause()
                            .hasMessageContaining("the application has a RedissonClient bean"));
        } finally {
            client.shutdown();
        }
    }

    @Test
    void address_createsAClientAtStartUp_beforeAnyCall_andShutsItDownWithTheContext() throws IOException {
        try (RedisServer own = RedisServer.start()) {
            assertThat(otherClients(own)).isZero();
            IdemStoreConfigurations.OwnRedissonClient[] created = new IdemStoreConfigurations.OwnRedissonClient[1];
            RUNNER.withBean(Greeter.class).withPropertyValues("idem.redisson.address=" + own.address())
                    .run(context -> {
                        assertThat(context).hasNotFailed()
                                .hasSingleBean(IdemStoreConfigurations.OwnRedissonClient.class)
                                .doesNotHaveBean(RedissonClient.class);
                        // connected at start-up: no idempotent call was made yet
                        assertThat(otherClients(own)).isPositive();
                        created[0] = context.getBean(IdemStoreConfigurations.OwnRedissonClient.class);
                        Greeter greeter = context.getBean(Greeter.class);
                        assertThat(greeter.greet("a1")).isEqualTo(greeter.greet("a1"));
                        assertThat(greeter.runCount()).isEqualTo(1);
                    });
            assertThat(created[0].client().isShutdown()).isTrue();
        }
    }

    @Test
    void unreachableAddress_failsStartUp() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        RUNNER.withPropertyValues("idem.redisson.address=redis://127.0.0.1:" + closedPort)
                .run(context -> assertThat(context).hasFailed().getFailure()
                        .hasStackTraceContaining("127.0.0.1:" + closedPort));
    }

    @Test
    void configResource_createsTheClientFromTheYaml(@TempDir Path dir) throws IOException {
        Path yaml = dir.resolve("redisson.yaml");
        Files.writeString(yaml, "singleServerConfig:\n  address: \"" + REDIS.server().address() + "\"\n"
                + "  clientName: \"idem-from-yaml\"\n");
        RUNNER.withBean(Greeter.class).withPropertyValues("idem.redisson.config=file:" + yaml).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(clientList(REDIS.server())).contains("name=idem-from-yaml");
            Greeter greeter = context.getBean(Greeter.class);
            assertThat(greeter.greet("y1")).isEqualTo(greeter.greet("y1"));
        });
    }

    @Test
    void addressAndConfigTogether_orNeither_failStartUp() {
        RUNNER.withPropertyValues("idem.redisson.address=" + REDIS.server().address(),
                        "idem.redisson.config=classpath:nothing.yaml")
                .run(context -> assertThat(context).hasFailed().getFailure().rootCause()
                        .hasMessageContaining("not both"));
        RUNNER.run(context -> assertThat(context).hasFailed().getFailure().rootCause()
                .hasMessageContaining("idem.redisson.address"));
    }

    @Test
    void commandTimeout_isTheStoresOwn() {
        RUNNER.withPropertyValues("idem.redisson.address=" + REDIS.server().address(),
                "idem.redisson.command-timeout=750ms").run(context -> assertThat(
                        context.getBean(IdempotencyConfig.class).defaultStore().toString())
                .contains("commandTimeout=PT0.75S"));
        RUNNER.withPropertyValues("idem.redisson.address=" + REDIS.server().address()).run(context -> assertThat(
                context.getBean(IdempotencyConfig.class).defaultStore().toString())
                .contains("commandTimeout=client's"));
    }

    @Test
    void health_isUp_withTheRedisStore() {
        RUNNER.withPropertyValues("idem.redisson.address=" + REDIS.server().address()).run(context -> {
            Boot3StoreHealthIndicator health = context.getBean(IdemHealthConfigurations.BEAN,
                    Boot3StoreHealthIndicator.class);
            assertThat(health.health().getStatus().getCode()).isEqualTo("UP");
            assertThat(health.health().getDetails()).containsEntry("store", "RedissonIdempotencyStore");
        });
    }

    private static String clientList(RedisServer server) throws IOException {
        try (RespConnection connection = server.connect()) {
            return String.valueOf(connection.command("CLIENT", "LIST"));
        }
    }

    /** Connections other than the one that asks. */
    private static long otherClients(RedisServer server) throws IOException {
        return Arrays.stream(clientList(server).split("\n")).filter(line -> line.contains("cmd="))
                .filter(line -> !line.contains("cmd=client")).count();
    }
}
