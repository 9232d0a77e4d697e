package dev.idem.spring.boot;

import dev.idem.core.IdempotencyConfig;

/**
 * Adjusts the {@link IdempotencyConfig} that the starter builds from the {@code idem.*} properties, before it is
 * built: named stores, a clock, a key resolver, an async executor. Declare one or more as beans; they run in their
 * {@link org.springframework.core.Ordered order}, after the properties and the store were applied. (To replace the
 * whole configuration, declare an {@code IdempotencyConfig} bean instead.)
 *
 * <pre>{@code
 * @Bean
 * IdempotencyConfigCustomizer localStore() {
 *     return builder -> builder.store("local", CaffeineIdempotencyStore.create());
 * }
 * }</pre>
 */
@FunctionalInterface
public interface IdempotencyConfigCustomizer {

    /**
     * Adjusts the configuration.
     *
     * @param builder the builder, with the properties and the default store already applied
     */
    void customize(IdempotencyConfig.Builder builder);
}
