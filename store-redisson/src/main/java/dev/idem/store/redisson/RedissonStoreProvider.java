package dev.idem.store.redisson;

import dev.idem.core.spi.IdempotencyStore;
import dev.idem.core.spi.IdempotencyStoreProvider;
import java.io.File;
import java.net.MalformedURLException;
import java.net.URL;
import java.util.Map;
import org.redisson.config.Config;

/**
 * Lets an application choose the Redis store without code, by settings (system properties or
 * {@code idem.properties}):
 *
 * <pre>
 * idem.store=redisson
 * idem.redisson.config=/etc/myapp/redisson.yaml     (a file, or classpath:redisson.yaml, or a URL)
 * idem.redisson.address=redis://127.0.0.1:6379      (instead of a config file: one standalone server)
 * </pre>
 *
 * <p>Its priority is below the Caffeine store's, so with both modules on the class path the Redis store is used only
 * when {@code idem.store=redisson} selects it.
 */
public final class RedissonStoreProvider implements IdempotencyStoreProvider {
    /** The setting that names the Redisson YAML configuration. */
    public static final String CONFIG_SETTING = "idem.redisson.config";
    /** The setting that gives the address of a single Redis server. */
    public static final String ADDRESS_SETTING = "idem.redisson.address";

    /** Creates the provider; called by {@link java.util.ServiceLoader}. */
    public RedissonStoreProvider() {
    }

    @Override
    public String name() {
        return "redisson";
    }

    @Override
    public int priority() {
        return -10;
    }

    @Override
    public IdempotencyStore create() {
        return create(Map.of());
    }

    @Override
    public IdempotencyStore create(Map<String, String> settings) {
        String config = settings.get(CONFIG_SETTING);
        String address = settings.get(ADDRESS_SETTING);
        if (config != null && address != null) {
            throw new IllegalArgumentException("set either " + CONFIG_SETTING + " or " + ADDRESS_SETTING
                    + ", not both");
        }
        if (address != null) {
            Config single = new Config();
            single.useSingleServer().setAddress(address);
            return RedissonIdempotencyStore.fromConfig(single);
        }
        if (config == null) {
            throw new IllegalArgumentException("the Redis store needs " + CONFIG_SETTING
                    + " (a Redisson YAML file, classpath:... or a URL) or " + ADDRESS_SETTING
                    + " (redis://host:port)");
        }
        if (config.startsWith("classpath:")) {
            String resource = config.substring("classpath:".length());
            ClassLoader loader = Thread.currentThread().getContextClassLoader();
            URL url = (loader != null ? loader : RedissonStoreProvider.class.getClassLoader()).getResource(resource);
            if (url == null) {
                throw new IllegalArgumentException(CONFIG_SETTING + " = " + config + ": no such resource");
            }
            return RedissonIdempotencyStore.fromConfig(url);
        }
        if (config.contains("://")) {
            try {
                return RedissonIdempotencyStore.fromConfig(new URL(config));
            } catch (MalformedURLException e) {
                throw new IllegalArgumentException(CONFIG_SETTING + " = " + config + ": not a URL", e);
            }
        }
        File file = new File(config);
        if (!file.isFile()) {
            throw new IllegalArgumentException(CONFIG_SETTING + " = " + config + ": no such file");
        }
        return RedissonIdempotencyStore.fromConfig(file);
    }
}
