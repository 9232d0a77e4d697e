package dev.idem.core.internal;

import dev.idem.core.IdempotencyConfig;
import dev.idem.core.IdempotencyConfigurationException;
import dev.idem.core.spi.IdempotencyStore;

/** Which store a method uses: its named store, or the default one. */
public final class StoreLookup {
    private StoreLookup() {
    }

    /**
     * The store of a method.
     *
     * @param config the configuration in force
     * @param name the store name, empty for the default store
     * @param operation the method or operation, for the message
     * @return the store
     * @throws IdempotencyConfigurationException if there is no such store
     */
    public static IdempotencyStore storeOf(IdempotencyConfig config, String name, String operation) {
        if (name.isEmpty()) {
            IdempotencyStore store = config.defaultStore();
            if (store == null) {
                throw new IdempotencyConfigurationException("no idempotency store for " + operation
                        + ": configure one with Idempotency.configure(IdempotencyConfig.builder().defaultStore(...)), "
                        + "put idem-store-caffeine on the class path, or name a store with the setting idem.store "
                        + "(for example -Didem.store=redisson -Didem.redisson.address=redis://host:6379)");
            }
            return store;
        }
        IdempotencyStore store = config.stores().get(name);
        if (store == null) {
            throw new IdempotencyConfigurationException("unknown store '" + name + "' for " + operation
                    + ": configured stores are " + config.stores().keySet());
        }
        return store;
    }

    /**
     * Logs which store a method uses, once per method and configuration (the caller compiles a method once per
     * configuration), so that a method silently on the wrong store shows in the log.
     *
     * @param config the configuration in force
     * @param spec the method's settings
     * @param store its store
     */
    public static void logStoreOnce(IdempotencyConfig config, OperationSpec spec, IdempotencyStore store) {
        Events.LOG.log(System.Logger.Level.INFO, "{0} uses the {1} idempotency store ({2}{3})", spec.operation(),
                spec.storeLabel(), store.getClass().getName(), store.isShared() ? ", shared" : ", local");
    }
}
