package dev.idem.core;

import dev.idem.core.event.IdempotencyListener;
import dev.idem.core.internal.Settings;
import dev.idem.core.internal.expression.DefaultKeyResolver;
import dev.idem.core.spi.IdempotencyStore;
import dev.idem.core.spi.IdempotencyStoreProvider;
import dev.idem.core.spi.KeyResolver;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceLoader;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * The configuration of idem: the stores, the global key prefix, limits, the clock, the key resolver and listeners.
 * Immutable and thread-safe; build one with {@link #builder()} and install it once at start-up with
 * {@link Idempotency#configure(IdempotencyConfig)}:
 *
 * <pre>{@code
 * Idempotency.configure(IdempotencyConfig.builder()
 *         .defaultStore(RedissonIdempotencyStore.create(redissonClient))
 *         .store("local", CaffeineIdempotencyStore.create())
 *         .keyPrefix("orders:")
 *         .build());
 * }</pre>
 *
 * <p>With no default store given, the store provider found on the class path is used ({@code idem-store-caffeine}
 * registers one), so zero configuration works.
 */
public final class IdempotencyConfig {

    /** The default limit of a key's length, in characters: {@value}. */
    public static final int DEFAULT_MAX_KEY_LENGTH = 255;

    /**
     * The longest ttl, lease or wait timeout idem accepts: 36500 days (100 years), from {@code @Idempotent} texts
     * and from code alike; a longer one is an {@link IllegalArgumentException} (an
     * {@code IdempotencyConfigurationException} for an annotation) when it is first seen.
     *
     * <p>Why a bound at all: an expiry is computed as {@code now + duration}, and an unbounded duration
     * ({@code Duration.ofMillis(Long.MAX_VALUE)}, {@code ChronoUnit.FOREVER}) overflows there, so a record would
     * expire at once or never. Why this one: it is far beyond any sane ttl, lease or wait, yet epoch milliseconds
     * plus it, and its length in nanoseconds (about 3.2e18), still fit in a {@code long}; Caffeine's nanosecond
     * expiry (capped near 146 years) and Redis {@code PEXPIRE} accept it as it is.
     */
    public static final java.time.Duration MAX_DURATION = java.time.Duration.ofDays(36_500);

    /** The default limit of an encoded outcome in a shared store, in bytes: {@value} (1 MiB). */
    public static final int DEFAULT_MAX_OUTCOME_BYTES = 1 << 20;

    private final IdempotencyStore defaultStore;
    private final String defaultStoreSource;
    private final Map<String, IdempotencyStore> stores;
    private final String keyPrefix;
    private final int maxKeyLength;
    private final int maxOutcomeBytes;
    private final Clock clock;
    private final KeyResolver keyResolver;
    private final List<IdempotencyListener> listeners;
    private final boolean enabled;
    private final boolean discoverDefaultStore;
    private final Executor asyncExecutor;
    /** Whether this configuration was made from the {@code idem.*} settings (directly or through toBuilder). */
    private final boolean fromSettings;

    private IdempotencyConfig(Builder builder) {
        IdempotencyStore store = builder.defaultStore;
        String source = "configured";
        if (store == null && builder.discoverDefaultStore) {
            IdempotencyStoreProvider provider = discoverProvider(builder.storeProvider);
            if (provider != null) {
                try {
                    store = Objects.requireNonNull(provider.create(builder.settings),
                            () -> "store provider " + provider.name() + " created no store");
                } catch (RuntimeException e) {
                    throw new IdempotencyConfigurationException("the store provider '" + provider.name()
                            + "' could not create its store: " + e.getMessage(), e);
                }
                source = "found on the class path (" + provider.name() + ")";
            }
        }
        this.defaultStore = store;
        this.defaultStoreSource = source;
        this.stores = Map.copyOf(builder.stores);
        this.keyPrefix = builder.keyPrefix;
        this.maxKeyLength = builder.maxKeyLength;
        this.maxOutcomeBytes = builder.maxOutcomeBytes;
        this.clock = builder.clock;
        this.keyResolver = builder.keyResolver;
        this.listeners = List.copyOf(builder.listeners);
        this.enabled = builder.enabled;
        this.discoverDefaultStore = builder.discoverDefaultStore;
        this.asyncExecutor = builder.asyncExecutor;
        this.fromSettings = builder.fromSettings;
    }

    private static IdempotencyStoreProvider discoverProvider(String name) {
        List<IdempotencyStoreProvider> providers = new ArrayList<>();
        ServiceLoader.load(IdempotencyStoreProvider.class, IdempotencyConfig.class.getClassLoader())
                .forEach(providers::add);
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        if (providers.isEmpty() && context != null) {
            ServiceLoader.load(IdempotencyStoreProvider.class, context).forEach(providers::add);
        }
        if (name == null) {
            // A provider with a negative priority needs settings (an address): it is used only when named.
            return providers.stream().filter(p -> p.priority() >= 0)
                    .max(Comparator.comparingInt(IdempotencyStoreProvider::priority)).orElse(null);
        }
        return providers.stream().filter(p -> p.name().equals(name)).findFirst()
                .orElseThrow(() -> new IdempotencyConfigurationException("no idempotency store named '" + name
                        + "' (setting " + Settings.PREFIX + "store) on the class path; found: "
                        + providers.stream().map(IdempotencyStoreProvider::name).toList()
                        + ". Add its module, for example idem-store-" + name + "."));
    }

    /**
     * A configuration from settings, for applications that configure idem without code (woven at load time, for
     * example). Recognised settings: {@code idem.store} (the name of a store provider on the class path, such as
     * {@code caffeine} or {@code redisson}; default: the one with the highest priority), {@code idem.keyPrefix},
     * {@code idem.maxKeyLength}, {@code idem.maxOutcomeBytes}, {@code idem.enabled}; a store provider reads its own,
     * such as {@code idem.redisson.config}.
     *
     * @param settings the settings by name
     * @return the configuration
     * @throws IdempotencyConfigurationException naming a setting whose value is invalid, or a store that cannot be
     *     created
     */
    public static IdempotencyConfig fromSettings(Map<String, String> settings) {
        Builder builder = builder();
        builder.settings = Map.copyOf(settings);
        builder.fromSettings = true;
        builder.storeProvider = settings.get(Settings.PREFIX + "store");
        String prefix = settings.get(Settings.PREFIX + "keyPrefix");
        if (prefix != null) {
            builder.keyPrefix(prefix);
        }
        Integer maxKeyLength = intSetting(settings, "maxKeyLength");
        if (maxKeyLength != null) {
            setting("maxKeyLength", settings, () -> builder.maxKeyLength(maxKeyLength));
        }
        Integer maxOutcomeBytes = intSetting(settings, "maxOutcomeBytes");
        if (maxOutcomeBytes != null) {
            setting("maxOutcomeBytes", settings, () -> builder.maxOutcomeBytes(maxOutcomeBytes));
        }
        String enabled = settings.get(Settings.PREFIX + "enabled");
        if (enabled != null) {
            if (!enabled.equals("true") && !enabled.equals("false")) {
                throw new IdempotencyConfigurationException("setting " + Settings.PREFIX + "enabled must be true or "
                        + "false, got '" + enabled + "'");
            }
            builder.enabled(Boolean.parseBoolean(enabled));
        }
        return builder.build();
    }

    private static Integer intSetting(Map<String, String> settings, String name) {
        String value = settings.get(Settings.PREFIX + name);
        if (value == null) {
            return null;
        }
        try {
            return Integer.valueOf(value);
        } catch (NumberFormatException e) {
            throw new IdempotencyConfigurationException("setting " + Settings.PREFIX + name
                    + " must be a whole number, got '" + value + "'");
        }
    }

    private static void setting(String name, Map<String, String> settings, Runnable apply) {
        try {
            apply.run();
        } catch (IllegalArgumentException e) {
            throw new IdempotencyConfigurationException("setting " + Settings.PREFIX + name + " = '"
                    + settings.get(Settings.PREFIX + name) + "': " + e.getMessage(), e);
        }
    }

    /**
     * A new builder with the defaults.
     *
     * @return the builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The configuration used when none is installed: {@link #fromSettings} with the settings in force (system
     * properties {@code idem.*} over an {@code idem.properties} resource); with none, the store found on the class
     * path, no prefix, the system clock.
     *
     * @return the default configuration
     * @throws IdempotencyConfigurationException if a setting is invalid or the chosen store cannot be created
     */
    public static IdempotencyConfig defaults() {
        return fromSettings(Settings.load());
    }

    /**
     * A builder that starts from this configuration.
     *
     * @return the builder
     */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.defaultStore = defaultStore;
        b.stores.putAll(stores);
        b.keyPrefix = keyPrefix;
        b.maxKeyLength = maxKeyLength;
        b.maxOutcomeBytes = maxOutcomeBytes;
        b.clock = clock;
        b.keyResolver = keyResolver;
        b.listeners.addAll(listeners);
        b.enabled = enabled;
        b.discoverDefaultStore = discoverDefaultStore;
        b.asyncExecutor = asyncExecutor;
        b.fromSettings = fromSettings;
        return b;
    }

    /** Whether this configuration was made from the {@code idem.*} settings, directly or through toBuilder. */
    boolean fromSettings() {
        return fromSettings;
    }

    /**
     * The default store.
     *
     * @return the store, or null if none was configured or found on the class path
     */
    public IdempotencyStore defaultStore() {
        return defaultStore;
    }

    /**
     * The named stores.
     *
     * @return an unmodifiable map of name to store
     */
    public Map<String, IdempotencyStore> stores() {
        return stores;
    }

    /**
     * The global key prefix, put in front of every key in a shared store.
     *
     * @return the prefix, possibly empty
     */
    public String keyPrefix() {
        return keyPrefix;
    }

    /**
     * The limit of a key's length, in characters.
     *
     * @return the limit
     */
    public int maxKeyLength() {
        return maxKeyLength;
    }

    /**
     * The limit of an encoded outcome in a store that does not keep objects, in bytes.
     *
     * @return the limit
     */
    public int maxOutcomeBytes() {
        return maxOutcomeBytes;
    }

    /**
     * The clock that decides expiry of leases and records.
     *
     * @return the clock
     */
    public Clock clock() {
        return clock;
    }

    /**
     * The resolver that compiles key and fingerprint expressions.
     *
     * @return the resolver
     */
    public KeyResolver keyResolver() {
        return keyResolver;
    }

    /**
     * The listeners.
     *
     * @return an unmodifiable list
     */
    public List<IdempotencyListener> listeners() {
        return listeners;
    }

    /**
     * Whether idempotency is on. When off, every annotated method and operation simply runs (meant for tests).
     *
     * @return true unless disabled
     */
    public boolean enabled() {
        return enabled;
    }

    /**
     * Where the future returned by an asynchronous method is completed when the store answers on a thread of its own
     * (see {@link Builder#asyncExecutor(Executor)}).
     *
     * @return the executor
     */
    public Executor asyncExecutor() {
        return asyncExecutor;
    }

    @Override
    public String toString() {
        return "IdempotencyConfig[defaultStore=" + defaultStore + " (" + defaultStoreSource + "), stores="
                + stores.keySet() + ", keyPrefix='" + keyPrefix + "', maxKeyLength=" + maxKeyLength
                + ", maxOutcomeBytes=" + maxOutcomeBytes + ", clock=" + clock + ", enabled=" + enabled + "]";
    }

    /**
     * Builds an {@link IdempotencyConfig}. Every setter validates its argument at once and throws
     * {@link IllegalArgumentException} (or {@link NullPointerException} for a null) when it is invalid. Not
     * thread-safe.
     */
    public static final class Builder {
        private IdempotencyStore defaultStore;
        private boolean discoverDefaultStore = true;
        private final Map<String, IdempotencyStore> stores = new LinkedHashMap<>();
        private String keyPrefix = "";
        private int maxKeyLength = DEFAULT_MAX_KEY_LENGTH;
        private int maxOutcomeBytes = DEFAULT_MAX_OUTCOME_BYTES;
        private Clock clock = Clock.systemUTC();
        private KeyResolver keyResolver = new DefaultKeyResolver();
        private final List<IdempotencyListener> listeners = new ArrayList<>();
        private boolean enabled = true;
        private String storeProvider;
        private Map<String, String> settings = Map.of();
        private boolean fromSettings;
        private Executor asyncExecutor = new CompletableFuture<Void>().defaultExecutor();

        private Builder() {
        }

        /**
         * Sets where the future returned by an asynchronous ({@code CompletionStage}) method is completed when the
         * store records its outcome on a thread of its own (a Redis client's I/O thread): the caller's continuations
         * then run on this executor instead, so they may block or call the store synchronously. When the store answers
         * at once (the in-process store), the future completes on the thread that completed the method's stage.
         * Default: the executor of {@link CompletableFuture}'s own {@code *Async} methods (the common pool, or a
         * thread per task where the pool has fewer than two threads).
         *
         * @param executor the executor, for example a Vert.x context's or an application's own pool
         * @return this builder
         */
        public Builder asyncExecutor(Executor executor) {
            this.asyncExecutor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /**
         * Sets the default store, used by methods that name no store.
         *
         * @param store the store
         * @return this builder
         */
        public Builder defaultStore(IdempotencyStore store) {
            this.defaultStore = Objects.requireNonNull(store, "store");
            return this;
        }

        /**
         * Whether to look for a default store on the class path when none is set. Default: true.
         *
         * @param discover false to have no default store unless one is set
         * @return this builder
         */
        public Builder discoverDefaultStore(boolean discover) {
            this.discoverDefaultStore = discover;
            return this;
        }

        /**
         * Adds a named store, used by methods with {@code @Idempotent(store = name)}.
         *
         * @param name the name, not blank
         * @param store the store
         * @return this builder
         */
        public Builder store(String name, IdempotencyStore store) {
            Objects.requireNonNull(name, "name");
            if (name.isBlank()) {
                throw new IllegalArgumentException("a store name must not be blank");
            }
            stores.put(name, Objects.requireNonNull(store, "store"));
            return this;
        }

        /**
         * Sets the global key prefix, put in front of every key in a shared store (so that several applications can
         * share one Redis). Default: empty.
         *
         * @param keyPrefix the prefix
         * @return this builder
         */
        public Builder keyPrefix(String keyPrefix) {
            this.keyPrefix = Objects.requireNonNull(keyPrefix, "keyPrefix");
            return this;
        }

        /**
         * Sets the limit of a key's length in characters (the resolved key, without namespace and prefix). Default:
         * {@value IdempotencyConfig#DEFAULT_MAX_KEY_LENGTH}.
         *
         * @param maxKeyLength at least 1
         * @return this builder
         */
        public Builder maxKeyLength(int maxKeyLength) {
            if (maxKeyLength < 1) {
                throw new IllegalArgumentException("maxKeyLength must be at least 1, got " + maxKeyLength);
            }
            this.maxKeyLength = maxKeyLength;
            return this;
        }

        /**
         * Sets the limit of an encoded outcome in a store that does not keep objects. A larger outcome is still
         * returned to its caller; the record notes that it could not be kept, and a replay raises
         * {@link IdempotencyReplayException}. Default: {@value IdempotencyConfig#DEFAULT_MAX_OUTCOME_BYTES}.
         *
         * @param maxOutcomeBytes at least 1
         * @return this builder
         */
        public Builder maxOutcomeBytes(int maxOutcomeBytes) {
            if (maxOutcomeBytes < 1) {
                throw new IllegalArgumentException("maxOutcomeBytes must be at least 1, got " + maxOutcomeBytes);
            }
            this.maxOutcomeBytes = maxOutcomeBytes;
            return this;
        }

        /**
         * Sets the clock that decides the expiry of leases and records. Default: the system UTC clock. Tests inject
         * a clock they control.
         *
         * @param clock the clock
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Sets the resolver that compiles key and fingerprint expressions. Default: idem's own SpEL-compatible
         * subset.
         *
         * @param keyResolver the resolver
         * @return this builder
         */
        public Builder keyResolver(KeyResolver keyResolver) {
            this.keyResolver = Objects.requireNonNull(keyResolver, "keyResolver");
            return this;
        }

        /**
         * Adds a listener for the engine's decisions.
         *
         * @param listener the listener
         * @return this builder
         */
        public Builder listener(IdempotencyListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /**
         * Turns idempotency off (every method simply runs) or on. Default: on. Meant for tests.
         *
         * @param enabled false to disable
         * @return this builder
         */
        public Builder enabled(boolean enabled) {
            this.enabled = enabled;
            return this;
        }

        /**
         * Builds the configuration. Without a default store, loads the store provider found on the class path.
         *
         * @return the configuration
         */
        public IdempotencyConfig build() {
            return new IdempotencyConfig(this);
        }
    }
}
