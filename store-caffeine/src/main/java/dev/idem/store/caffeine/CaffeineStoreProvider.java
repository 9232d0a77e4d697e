package dev.idem.store.caffeine;

import dev.idem.core.spi.IdempotencyStore;
import dev.idem.core.spi.IdempotencyStoreProvider;

/**
 * Registers the Caffeine store as the zero-configuration default: with {@code idem-store-caffeine} on the class path
 * and no store configured, every {@code @Idempotent} method uses a {@link CaffeineIdempotencyStore} with its
 * defaults.
 */
public final class CaffeineStoreProvider implements IdempotencyStoreProvider {

    /** Creates the provider; called by {@link java.util.ServiceLoader}. */
    public CaffeineStoreProvider() {
    }

    @Override
    public String name() {
        return "caffeine";
    }

    @Override
    public IdempotencyStore create() {
        return CaffeineIdempotencyStore.create();
    }
}
