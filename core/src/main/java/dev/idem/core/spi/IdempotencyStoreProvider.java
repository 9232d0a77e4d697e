package dev.idem.core.spi;

/**
 * Makes a store available without code: when no store has been configured, idem loads the providers found by
 * {@link java.util.ServiceLoader} ({@code META-INF/services/dev.idem.core.spi.IdempotencyStoreProvider}) and uses
 * the one named by the {@code idem.store} setting, or else the one with the highest {@link #priority()}.
 * {@code idem-store-caffeine} registers {@code caffeine}, {@code idem-store-redisson} registers {@code redisson}.
 *
 * <p>Settings come from system properties and an {@code idem.properties} resource (see
 * {@code IdempotencyConfig#fromSettings}); a provider reads its own, such as {@code idem.redisson.config}.
 */
public interface IdempotencyStoreProvider {

    /**
     * The provider's name: the value of the {@code idem.store} setting that selects it.
     *
     * @return the name, for example {@code caffeine}
     */
    String name();

    /**
     * The priority among providers on the class path; the highest wins when no {@code idem.store} setting names
     * one. A negative priority means the provider needs settings and is used only when {@code idem.store} names it.
     *
     * @return the priority
     */
    default int priority() {
        return 0;
    }

    /**
     * Creates the store with its defaults.
     *
     * @return a new store
     */
    IdempotencyStore create();

    /**
     * Creates the store from settings. By default ignores them and calls {@link #create()}.
     *
     * @param settings the {@code idem.*} settings in force (system properties over {@code idem.properties})
     * @return a new store
     * @throws IllegalArgumentException if a setting the store needs is missing or invalid; the message names it
     */
    default IdempotencyStore create(java.util.Map<String, String> settings) {
        return create();
    }
}
