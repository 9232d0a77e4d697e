package dev.idem.spring.boot;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.core.io.Resource;

/**
 * The {@code idem.*} properties of a Spring Boot application, from which {@link IdemAutoConfiguration} builds the
 * {@code IdempotencyConfig} and the store. The names are those of idem's own settings
 * ({@code IdempotencyConfig.fromSettings}: {@code idem.store}, {@code idem.keyPrefix}, {@code idem.redisson.address},
 * ...) in Spring Boot's canonical kebab case ({@code idem.key-prefix}); Boot's relaxed binding accepts both spellings.
 *
 * <p>Not thread-safe: Spring binds it once at start-up.
 */
@ConfigurationProperties("idem")
public class IdemProperties {

    /**
     * Whether idempotency is on. false: every @Idempotent method and programmatic operation simply runs, and no store
     * is created (for tests that call annotated methods without keys).
     */
    private boolean enabled = true;

    /** Put in front of every key in a shared store (Redis, JDBC), so that several applications can share one. */
    private String keyPrefix = "";

    /** The limit of a resolved key, in characters (without namespace and prefix). */
    private int maxKeyLength = 255;

    /** The limit of an encoded outcome in a shared store, in bytes (default 1 MiB). */
    private int maxOutcomeBytes = 1_048_576;

    /** The default store: caffeine (in this JVM), redisson (Redis, needs idem-store-redisson) or jdbc (needs
     * idem-store-jdbc and a DataSource bean). */
    private StoreType store = StoreType.CAFFEINE;

    /**
     * Whether start-up fails when a bean has @Idempotent methods that neither Spring AOP advises (through the bean's
     * proxy) nor AspectJ wove, so that such a method would silently run unprotected.
     */
    private boolean verifyProxies = false;

    private final Caffeine caffeine = new Caffeine();
    private final Redisson redisson = new Redisson();
    private final Jdbc jdbc = new Jdbc();
    private final Metrics metrics = new Metrics();
    private final Web web = new Web();

    /** Creates the properties with their defaults; Spring binds them. */
    public IdemProperties() {
    }

    /**
     * Whether idempotency is on.
     *
     * @return {@code idem.enabled}, default true
     */
    public boolean isEnabled() {
        return enabled;
    }

    /**
     * Sets {@code idem.enabled}.
     *
     * @param enabled false to switch idem off
     */
    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    /**
     * The global key prefix.
     *
     * @return {@code idem.key-prefix}, default empty
     */
    public String getKeyPrefix() {
        return keyPrefix;
    }

    /**
     * Sets {@code idem.key-prefix}.
     *
     * @param keyPrefix the prefix
     */
    public void setKeyPrefix(String keyPrefix) {
        this.keyPrefix = keyPrefix;
    }

    /**
     * The limit of a key's length.
     *
     * @return {@code idem.max-key-length}, default 255
     */
    public int getMaxKeyLength() {
        return maxKeyLength;
    }

    /**
     * Sets {@code idem.max-key-length}.
     *
     * @param maxKeyLength at least 1
     */
    public void setMaxKeyLength(int maxKeyLength) {
        this.maxKeyLength = maxKeyLength;
    }

    /**
     * The limit of an encoded outcome.
     *
     * @return {@code idem.max-outcome-bytes}, default 1048576
     */
    public int getMaxOutcomeBytes() {
        return maxOutcomeBytes;
    }

    /**
     * Sets {@code idem.max-outcome-bytes}.
     *
     * @param maxOutcomeBytes at least 1
     */
    public void setMaxOutcomeBytes(int maxOutcomeBytes) {
        this.maxOutcomeBytes = maxOutcomeBytes;
    }

    /**
     * The default store's kind.
     *
     * @return {@code idem.store}, default {@link StoreType#CAFFEINE}
     */
    public StoreType getStore() {
        return store;
    }

    /**
     * Sets {@code idem.store}.
     *
     * @param store the kind of store
     */
    public void setStore(StoreType store) {
        this.store = store;
    }

    /**
     * Whether unadvised {@code @Idempotent} beans fail start-up.
     *
     * @return {@code idem.verify-proxies}, default false
     */
    public boolean isVerifyProxies() {
        return verifyProxies;
    }

    /**
     * Sets {@code idem.verify-proxies}.
     *
     * @param verifyProxies true to fail start-up on an unadvised {@code @Idempotent} method
     */
    public void setVerifyProxies(boolean verifyProxies) {
        this.verifyProxies = verifyProxies;
    }

    /**
     * The Caffeine store's settings.
     *
     * @return {@code idem.caffeine.*}
     */
    public Caffeine getCaffeine() {
        return caffeine;
    }

    /**
     * The Redis store's settings.
     *
     * @return {@code idem.redisson.*}
     */
    public Redisson getRedisson() {
        return redisson;
    }

    /**
     * The JDBC store's settings.
     *
     * @return {@code idem.jdbc.*}
     */
    public Jdbc getJdbc() {
        return jdbc;
    }

    /**
     * The metrics settings.
     *
     * @return {@code idem.metrics.*}
     */
    public Metrics getMetrics() {
        return metrics;
    }

    /**
     * The web settings.
     *
     * @return {@code idem.web.*}
     */
    public Web getWeb() {
        return web;
    }

    /** The kinds of default store, the values of {@code idem.store}. */
    public enum StoreType {
        /** {@code CaffeineIdempotencyStore}: records in this JVM ({@code idem-store-caffeine}, which the starter brings). */
        CAFFEINE,
        /** {@code RedissonIdempotencyStore}: records in Redis ({@code idem-store-redisson}). */
        REDISSON,
        /** {@code JdbcIdempotencyStore}: records in the application's database ({@code idem-store-jdbc}). */
        JDBC
    }

    /** {@code idem.caffeine.*}: the in-process store. */
    public static class Caffeine {
        /** The bound on completed records kept (in-flight ones are never evicted). */
        private long maximumSize = 100_000;

        /** Creates the settings with their defaults. */
        public Caffeine() {
        }

        /**
         * The bound on completed records.
         *
         * @return {@code idem.caffeine.maximum-size}, default 100000
         */
        public long getMaximumSize() {
            return maximumSize;
        }

        /**
         * Sets {@code idem.caffeine.maximum-size}.
         *
         * @param maximumSize at least 1
         */
        public void setMaximumSize(long maximumSize) {
            this.maximumSize = maximumSize;
        }
    }

    /**
     * {@code idem.redisson.*}: the Redis store. With a {@code RedissonClient} bean in the application the store uses
     * it, and {@code address} and {@code config} must not be set; otherwise the starter creates a client of its own
     * from them at start-up and shuts it down with the context.
     */
    public static class Redisson {
        /** One Redis server, redis://host:port (or rediss://), for a client of idem's own. */
        private String address;

        /** A Redisson YAML configuration (classpath:redisson.yaml, file:/etc/app/redisson.yaml), for a client of
         * idem's own: Sentinel, Cluster, credentials, TLS. */
        private Resource config;

        /** Tighter timeout for idem's own Redis commands than the client's (default: the client's). */
        private Duration commandTimeout;

        /** Creates the settings with their defaults. */
        public Redisson() {
        }

        /**
         * The address of a single Redis server.
         *
         * @return {@code idem.redisson.address}, or null
         */
        public String getAddress() {
            return address;
        }

        /**
         * Sets {@code idem.redisson.address}.
         *
         * @param address {@code redis://host:port}
         */
        public void setAddress(String address) {
            this.address = address;
        }

        /**
         * The Redisson YAML configuration.
         *
         * @return {@code idem.redisson.config}, or null
         */
        public Resource getConfig() {
            return config;
        }

        /**
         * Sets {@code idem.redisson.config}.
         *
         * @param config the YAML resource
         */
        public void setConfig(Resource config) {
            this.config = config;
        }

        /**
         * The timeout of idem's Redis commands.
         *
         * @return {@code idem.redisson.command-timeout}, or null for the client's
         */
        public Duration getCommandTimeout() {
            return commandTimeout;
        }

        /**
         * Sets {@code idem.redisson.command-timeout}.
         *
         * @param commandTimeout positive
         */
        public void setCommandTimeout(Duration commandTimeout) {
            this.commandTimeout = commandTimeout;
        }
    }

    /** {@code idem.jdbc.*}: the JDBC store, on the application's {@code DataSource} bean. */
    public static class Jdbc {
        /** The record table, an unquoted identifier, optionally schema.table. */
        private String table = "idem_records";

        /** The SQL dialect (default: detected from the database). */
        private Dialect dialect;

        /** standalone: each operation in a short transaction of its own; transactional: in the caller's Spring
         * transaction when one is active on the calling thread (docs/store-jdbc.md, Modes). */
        private Mode mode = Mode.STANDALONE;

        /** Whether to create the table (CREATE ... IF NOT EXISTS) at start-up instead of in a migration. */
        private boolean createSchema = false;

        /** Creates the settings with their defaults. */
        public Jdbc() {
        }

        /**
         * The record table.
         *
         * @return {@code idem.jdbc.table}, default {@code idem_records}
         */
        public String getTable() {
            return table;
        }

        /**
         * Sets {@code idem.jdbc.table}.
         *
         * @param table an unquoted identifier, optionally with a schema
         */
        public void setTable(String table) {
            this.table = table;
        }

        /**
         * The SQL dialect.
         *
         * @return {@code idem.jdbc.dialect}, or null to detect it
         */
        public Dialect getDialect() {
            return dialect;
        }

        /**
         * Sets {@code idem.jdbc.dialect}.
         *
         * @param dialect the dialect
         */
        public void setDialect(Dialect dialect) {
            this.dialect = dialect;
        }

        /**
         * The store's mode.
         *
         * @return {@code idem.jdbc.mode}, default {@link Mode#STANDALONE}
         */
        public Mode getMode() {
            return mode;
        }

        /**
         * Sets {@code idem.jdbc.mode}.
         *
         * @param mode the mode
         */
        public void setMode(Mode mode) {
            this.mode = mode;
        }

        /**
         * Whether the table is created at start-up.
         *
         * @return {@code idem.jdbc.create-schema}, default false
         */
        public boolean isCreateSchema() {
            return createSchema;
        }

        /**
         * Sets {@code idem.jdbc.create-schema}.
         *
         * @param createSchema true to run the shipped DDL at start-up
         */
        public void setCreateSchema(boolean createSchema) {
            this.createSchema = createSchema;
        }

        /** The values of {@code idem.jdbc.dialect} ({@code JdbcDialect}'s, without a reference to its class). */
        public enum Dialect {
            /** PostgreSQL 12+. */
            POSTGRESQL,
            /** MySQL 8 and MariaDB 10.6+. */
            MYSQL
        }

        /** The values of {@code idem.jdbc.mode} ({@code JdbcIdempotencyStore.Mode}'s). */
        public enum Mode {
            /** Each operation in a short transaction of its own. */
            STANDALONE,
            /** In the caller's transaction when one is active on the calling thread. */
            TRANSACTIONAL
        }
    }

    /**
     * {@code idem.metrics.*}: the {@code MicrometerIdempotencyListener} the starter declares when the application has
     * a Micrometer {@code MeterRegistry} bean (Spring Boot's actuator makes one).
     */
    public static class Metrics {
        /** Whether to report idem's decisions to the application's Micrometer registries. */
        private boolean enabled = true;

        /** true: observe each call through the application's ObservationRegistry (timers from its meter handler,
         * spans with tracing); false: record the timers straight into the MeterRegistry, without observations
         * (cheaper; tracing does not see idem's calls). */
        private boolean observations = true;

        /** Creates the settings with their defaults. */
        public Metrics() {
        }

        /**
         * Whether the starter declares the Micrometer listener.
         *
         * @return {@code idem.metrics.enabled}, default true
         */
        public boolean isEnabled() {
            return enabled;
        }

        /**
         * Sets {@code idem.metrics.enabled}.
         *
         * @param enabled false for no listener of the starter's
         */
        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        /**
         * Whether calls are observed through the application's {@code ObservationRegistry}.
         *
         * @return {@code idem.metrics.observations}, default true
         */
        public boolean isObservations() {
            return observations;
        }

        /**
         * Sets {@code idem.metrics.observations}.
         *
         * @param observations false to record timers without observations
         */
        public void setObservations(boolean observations) {
            this.observations = observations;
        }
    }

    /** {@code idem.web.*}: what the starter adds to a Spring MVC or WebFlux application. */
    public static class Web {
        /** Whether idem's exceptions become application/problem+json responses: 400 key missing or invalid, 409
         * in progress, 422 key reused with another payload, 503 store unavailable, 500 otherwise. */
        private boolean problemDetails = true;

        private final ReplayedHeader replayedHeader = new ReplayedHeader();

        /** Creates the settings with their defaults. */
        public Web() {
        }

        /**
         * Whether the starter declares the {@code IdempotencyProblemHandler}.
         *
         * @return {@code idem.web.problem-details}, default true
         */
        public boolean isProblemDetails() {
            return problemDetails;
        }

        /**
         * Sets {@code idem.web.problem-details}.
         *
         * @param problemDetails false to handle idem's exceptions yourself
         */
        public void setProblemDetails(boolean problemDetails) {
            this.problemDetails = problemDetails;
        }

        /**
         * The header that marks replayed responses.
         *
         * @return {@code idem.web.replayed-header.*}
         */
        public ReplayedHeader getReplayedHeader() {
            return replayedHeader;
        }

        /** {@code idem.web.replayed-header.*}: the header set on replayed responses. */
        public static class ReplayedHeader {
            /** Whether a replayed response carries the header (name: true). */
            private boolean enabled = true;

            /** The header's name. */
            private String name = "Idempotent-Replayed";

            /** Creates the settings with their defaults. */
            public ReplayedHeader() {
            }

            /**
             * Whether replayed responses carry the header.
             *
             * @return {@code idem.web.replayed-header.enabled}, default true
             */
            public boolean isEnabled() {
                return enabled;
            }

            /**
             * Sets {@code idem.web.replayed-header.enabled}.
             *
             * @param enabled false for no header
             */
            public void setEnabled(boolean enabled) {
                this.enabled = enabled;
            }

            /**
             * The header's name.
             *
             * @return {@code idem.web.replayed-header.name}, default {@code Idempotent-Replayed}
             */
            public String getName() {
                return name;
            }

            /**
             * Sets {@code idem.web.replayed-header.name}.
             *
             * @param name a header name, not blank
             */
            public void setName(String name) {
                this.name = name;
            }
        }
    }
}
