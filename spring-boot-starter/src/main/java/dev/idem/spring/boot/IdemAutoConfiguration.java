package dev.idem.spring.boot;

import dev.idem.core.Idempotency;
import dev.idem.core.IdempotencyConfig;
import dev.idem.core.event.IdempotencyListener;
import dev.idem.core.spi.IdempotencyStore;
import dev.idem.spring.IdempotentSpringAspect;
import dev.idem.spring.ReplayMarker;
import java.util.Arrays;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.EnableAspectJAutoProxy;
import org.springframework.context.annotation.Import;
import org.springframework.util.ClassUtils;

/**
 * Auto-configuration of idem for Spring Boot 3.5 and 4.0: the {@link IdempotentSpringAspect} bean (with Spring's
 * AspectJ auto-proxying on), an {@link IdempotencyConfig} built from {@link IdemProperties} ({@code idem.*}) and the
 * {@link IdempotencyListener} and {@link IdempotencyConfigCustomizer} beans, the default store chosen by
 * {@code idem.store}, a health indicator for that store when Spring Boot's actuator is present, a Micrometer listener
 * when the application has a {@code MeterRegistry} ({@code idem.metrics.*}), in a web application idem's exceptions as
 * problem details and the {@code Idempotent-Replayed} header on replays ({@code idem.web.*}), and, with
 * {@code idem.verify-proxies=true}, a start-up check that every {@code @Idempotent} bean method is advised.
 *
 * <p>Every bean backs off for one of the application's own: an {@code IdempotencyStore} bean is used as the default
 * store, an {@code IdempotencyConfig} bean replaces the one built from the properties, and an
 * {@code IdempotentSpringAspect} bean of the application's own switches the starter's configuration off altogether
 * (that aspect then configures idem, as without the starter; only the problem handler stays), a
 * {@code MicrometerIdempotencyListener}, {@code ReplayMarker} or {@code IdempotencyProblemHandler} bean replaces the
 * starter's. The configuration is installed globally
 * ({@link Idempotency#configure}) when the aspect bean is created, and reset when the context closes.
 */
@AutoConfiguration(afterName = {
        // the DataSource and RedissonClient beans the stores reuse (Boot 3.5 and Boot 4 names; Redisson's starter)
        "org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration",
        "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
        "org.redisson.spring.starter.RedissonAutoConfiguration",
        "org.redisson.spring.starter.RedissonAutoConfigurationV2",
        // the MeterRegistry and ObservationRegistry beans a listener may use
        "org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
        "org.springframework.boot.actuate.autoconfigure.observation.ObservationAutoConfiguration",
        "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration"})
@ConditionalOnClass(name = {"dev.idem.spring.IdempotentSpringAspect", "org.aspectj.lang.annotation.Aspect",
        "org.springframework.aop.aspectj.annotation.AnnotationAwareAspectJAutoProxyCreator"})
@EnableConfigurationProperties(IdemProperties.class)
@Import({IdemHealthConfigurations.Boot3.class, IdemHealthConfigurations.Boot4.class,
        IdemWebConfigurations.ProblemDetails.class})
public class IdemAutoConfiguration {

    /** Creates the auto-configuration; Spring calls this. */
    public IdemAutoConfiguration() {
    }

    /**
     * The starter's own configuration of idem, unless the application declares its own
     * {@link IdempotentSpringAspect} (which then configures idem itself).
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnMissingBean(IdempotentSpringAspect.class)
    @EnableAspectJAutoProxy
    @Import({IdemStoreConfigurations.CaffeineStore.class, IdemStoreConfigurations.RedissonStore.class,
            IdemStoreConfigurations.JdbcStore.class, IdemMetricsConfiguration.class,
            IdemWebConfigurations.ReplayedHeader.class})
    static class IdemConfiguration {

        @Bean
        @ConditionalOnMissingBean
        IdempotencyConfig idempotencyConfig(IdemProperties properties, ObjectProvider<IdempotencyStore> store,
                ObjectProvider<IdempotencyListener> listeners, ObjectProvider<IdempotencyConfigCustomizer> customizers,
                ListableBeanFactory beans) {
            IdempotencyConfig.Builder builder = IdempotencyConfig.builder()
                    .discoverDefaultStore(false) // the store is a bean: never one found by ServiceLoader
                    .enabled(properties.isEnabled())
                    .keyPrefix(properties.getKeyPrefix() == null ? "" : properties.getKeyPrefix())
                    .maxKeyLength(properties.getMaxKeyLength())
                    .maxOutcomeBytes(properties.getMaxOutcomeBytes());
            String storeSource;
            if (properties.isEnabled()) {
                IdempotencyStore defaultStore = store.getIfAvailable();
                if (defaultStore == null) {
                    throw new IllegalStateException(missingStore(properties));
                }
                builder.defaultStore(defaultStore);
                String[] names = beans.getBeanNamesForType(IdempotencyStore.class);
                storeSource = Arrays.asList(names).contains(IdemStoreConfigurations.STORE_BEAN)
                        ? "idem.store=" + properties.getStore().name().toLowerCase(java.util.Locale.ROOT)
                        : "the application's IdempotencyStore bean";
            } else {
                storeSource = null;
            }
            listeners.orderedStream().forEach(builder::listener);
            customizers.orderedStream().forEach(customizer -> customizer.customize(builder));
            IdempotencyConfig config = builder.build();
            StartupLog.storeChosen(config, storeSource);
            return config;
        }

        @Bean
        @ConditionalOnMissingBean
        IdempotentSpringAspect idempotentSpringAspect(IdempotencyConfig config, ObjectProvider<ReplayMarker> marker) {
            IdempotentSpringAspect aspect = new IdempotentSpringAspect(config); // installs it
            aspect.setReplayMarker(marker.getIfAvailable()); // two without a @Primary: a clear failure
            return aspect;
        }

        @Bean
        InstalledConfig idemInstalledConfig(IdempotencyConfig config, IdempotentSpringAspect aspect) {
            return new InstalledConfig(config);
        }

        private static String missingStore(IdemProperties properties) {
            return switch (properties.getStore()) {
                case CAFFEINE -> ClassUtils.isPresent(IdemStoreConfigurations.CAFFEINE_CLASS, null)
                        ? "idem.store=caffeine: no IdempotencyStore bean was created"
                        : "idem.store=caffeine needs dev.idem:idem-store-caffeine on the class path (the starter brings"
                                + " it: was it excluded?), or declare an IdempotencyStore bean";
                case REDISSON -> ClassUtils.isPresent(IdemStoreConfigurations.REDISSON_CLASS, null)
                        ? "idem.store=redisson: no IdempotencyStore bean was created"
                        : "idem.store=redisson needs dev.idem:idem-store-redisson on the class path";
                case JDBC -> ClassUtils.isPresent(IdemStoreConfigurations.JDBC_CLASS, null)
                        ? "idem.store=jdbc needs a javax.sql.DataSource bean (spring.datasource.* or your own), or"
                                + " declare an IdempotencyStore bean"
                        : "idem.store=jdbc needs dev.idem:idem-store-jdbc on the class path";
            };
        }
    }

    /** Start-up fails when an {@code @Idempotent} bean method is not advised ({@code idem.verify-proxies=true}). */
    @Bean
    @ConditionalOnBooleanProperty("idem.verify-proxies")
    static IdempotentProxyVerifier idemProxyVerifier() {
        return new IdempotentProxyVerifier();
    }

    /**
     * Goes back to idem's zero-configuration default when the context closes, if the configuration in force is still
     * this context's, so that a closed context's store is not used by later calls (tests start many contexts).
     */
    static final class InstalledConfig implements DisposableBean {
        private final IdempotencyConfig config;

        InstalledConfig(IdempotencyConfig config) {
            this.config = config;
        }

        IdempotencyConfig config() {
            return config;
        }

        @Override
        public void destroy() {
            try {
                if (Idempotency.config() == config) {
                    Idempotency.reset();
                }
            } catch (RuntimeException e) {
                // someone reset meanwhile and the defaults cannot be built: nothing of this context is in force
            }
        }
    }
}
