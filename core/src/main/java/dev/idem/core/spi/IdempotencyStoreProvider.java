package dev.idem.core.spi;

/**
 * Makes a store the zero-configuration default: when no store has been configured, idem loads the providers found by
 * {@link java.util.ServiceLoader} ({@code META-INF/services/dev.idem.core.spi.IdempotencyStoreProvider}) and uses the
 * one with the highest {@link #priority()}. {@code idem-store-caffeine} registers one.
 */
public interface IdempotencyStoreProvider {

    /**
     * The provider's name, for log messages.
     *
     * @return the name, for example {@code caffeine}
     */
    String name();

    /**
     * The priority among providers on the class path; the highest wins.
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
}
