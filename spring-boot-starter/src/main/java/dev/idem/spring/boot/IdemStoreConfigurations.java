package dev.idem.spring.boot;

import dev.idem.core.spi.IdempotencyStore;
import dev.idem.store.caffeine.CaffeineIdempotencyStore;
import dev.idem.store.jdbc.JdbcDialect;
import dev.idem.store.jdbc.JdbcIdempotencyStore;
import dev.idem.store.redisson.RedissonIdempotencyStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import javax.sql.DataSource;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * The default store, one configuration per value of {@code idem.store}; each backs off for an
 * {@link IdempotencyStore} or {@code IdempotencyConfig} bean of the application's own, and none is active with
 * {@code idem.enabled=false}. Every store is created when the context starts (a Redis client connects then, so a
 * wrong address fails start-up, not the first request), and closed with the context.
 */
final class IdemStoreConfigurations {
    /** The name of the store bean the starter declares. */
    static final String STORE_BEAN = "idemStore";
    static final String CAFFEINE_CLASS = "dev.idem.store.caffeine.CaffeineIdempotencyStore";
    static final String REDISSON_CLASS = "dev.idem.store.redisson.RedissonIdempotencyStore";
    static final String JDBC_CLASS = "dev.idem.store.jdbc.JdbcIdempotencyStore";

    private IdemStoreConfigurations() {
    }

    /** {@code idem.store=caffeine}, the default. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = CAFFEINE_CLASS)
    @ConditionalOnProperty(prefix = "idem", name = "enabled", havingValue = "true", matchIfMissing = true)
    @ConditionalOnProperty(prefix = "idem", name = "store", havingValue = "caffeine", matchIfMissing = true)
    @ConditionalOnMissingBean(type = {"dev.idem.core.spi.IdempotencyStore", "dev.idem.core.IdempotencyConfig"})
    static class CaffeineStore {
        @Bean(STORE_BEAN)
        CaffeineIdempotencyStore idemStore(IdemProperties properties) {
            return CaffeineIdempotencyStore.builder()
                    .maximumSize(properties.getCaffeine().getMaximumSize())
                    .build();
        }
    }

    /**
     * {@code idem.store=redisson}: on the application's {@link RedissonClient} bean if there is one, else on a client
     * of its own from {@code idem.redisson.*}.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = REDISSON_CLASS)
    @ConditionalOnProperty(prefix = "idem", name = "enabled", havingValue = "true", matchIfMissing = true)
    @ConditionalOnProperty(prefix = "idem", name = "store", havingValue = "redisson")
    @ConditionalOnMissingBean(type = {"dev.idem.core.spi.IdempotencyStore", "dev.idem.core.IdempotencyConfig"})
    @Import({RedissonStore.OnApplicationClient.class, RedissonStore.OnOwnClient.class})
    static class RedissonStore {

        /** On the application's {@link RedissonClient} bean. */
        @Configuration(proxyBeanMethods = false)
        @ConditionalOnBean(RedissonClient.class)
        static class OnApplicationClient {
            @Bean(STORE_BEAN)
            RedissonIdempotencyStore idemStore(IdemProperties properties, RedissonClient client) {
                IdemProperties.Redisson redisson = properties.getRedisson();
                if (redisson.getAddress() != null || redisson.getConfig() != null) {
                    throw new IllegalStateException("idem.redisson.address and idem.redisson.config configure a "
                            + "Redis client of idem's own, but the application has a RedissonClient bean, which idem "
                            + "uses: remove them (or declare an IdempotencyStore bean)");
                }
                return store(client, redisson);
            }
        }

        /** On a client of idem's own, from {@code idem.redisson.*}. */
        @Configuration(proxyBeanMethods = false)
        @ConditionalOnMissingBean(RedissonClient.class)
        static class OnOwnClient {
            /** Connected now; not a {@code RedissonClient} bean, so that nothing else picks it up. */
            @Bean(destroyMethod = "close")
            OwnRedissonClient idemRedissonClient(IdemProperties properties) {
                return new OwnRedissonClient(Redisson.create(config(properties.getRedisson())));
            }

            @Bean(STORE_BEAN)
            RedissonIdempotencyStore idemStore(IdemProperties properties, OwnRedissonClient client) {
                return store(client.client(), properties.getRedisson());
            }
        }

        private static RedissonIdempotencyStore store(RedissonClient client, IdemProperties.Redisson redisson) {
            RedissonIdempotencyStore.Builder builder = RedissonIdempotencyStore.builder(client);
            if (redisson.getCommandTimeout() != null) {
                builder.commandTimeout(redisson.getCommandTimeout());
            }
            return builder.build();
        }

        static Config config(IdemProperties.Redisson redisson) {
            if (redisson.getAddress() != null && redisson.getConfig() != null) {
                throw new IllegalStateException("set either idem.redisson.address or idem.redisson.config, not both");
            }
            if (redisson.getAddress() != null) {
                Config config = new Config();
                config.useSingleServer().setAddress(redisson.getAddress());
                return config;
            }
            if (redisson.getConfig() == null) {
                throw new IllegalStateException("idem.store=redisson needs a RedissonClient bean, or "
                        + "idem.redisson.address (redis://host:port) or idem.redisson.config (a Redisson YAML file, "
                        + "classpath:redisson.yaml)");
            }
            try (InputStream in = redisson.getConfig().getInputStream()) {
                return Config.fromYAML(in);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read idem.redisson.config " + redisson.getConfig(), e);
            }
        }
    }

    /** The Redis client the starter made, shut down with the context after the store that uses it. */
    static final class OwnRedissonClient implements AutoCloseable {
        private final RedissonClient client;

        OwnRedissonClient(RedissonClient client) {
            this.client = client;
        }

        RedissonClient client() {
            return client;
        }

        @Override
        public void close() {
            client.shutdown();
        }
    }

    /** {@code idem.store=jdbc}: on the application's {@link DataSource} bean. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = JDBC_CLASS)
    @ConditionalOnProperty(prefix = "idem", name = "enabled", havingValue = "true", matchIfMissing = true)
    @ConditionalOnProperty(prefix = "idem", name = "store", havingValue = "jdbc")
    @ConditionalOnMissingBean(type = {"dev.idem.core.spi.IdempotencyStore", "dev.idem.core.IdempotencyConfig"})
    @ConditionalOnBean(DataSource.class)
    static class JdbcStore {
        @Bean(STORE_BEAN)
        JdbcIdempotencyStore idemStore(IdemProperties properties, DataSource dataSource) {
            IdemProperties.Jdbc jdbc = properties.getJdbc();
            JdbcIdempotencyStore.Builder builder = JdbcIdempotencyStore.builder(dataSource)
                    .table(jdbc.getTable())
                    .createSchema(jdbc.isCreateSchema())
                    .mode(switch (jdbc.getMode()) {
                        case STANDALONE -> JdbcIdempotencyStore.Mode.STANDALONE;
                        case TRANSACTIONAL -> JdbcIdempotencyStore.Mode.TRANSACTIONAL;
                    });
            if (jdbc.getDialect() != null) {
                builder.dialect(switch (jdbc.getDialect()) {
                    case POSTGRESQL -> JdbcDialect.POSTGRESQL;
                    case MYSQL -> JdbcDialect.MYSQL;
                });
            }
            return builder.build();
        }
    }
}
