package dev.idem.spring.boot;

import dev.idem.core.IdempotencyConfig;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The health indicator {@code idem} (bean {@value #BEAN}), one configuration per Spring Boot line, each selected by
 * the name of its line's {@code HealthIndicator} interface, so that neither class is needed on the other line. Off
 * with {@code idem.enabled=false} or {@code management.health.idem.enabled=false}.
 */
final class IdemHealthConfigurations {
    static final String BEAN = "idemHealthIndicator";

    private IdemHealthConfigurations() {
    }

    /** Spring Boot 3.5: {@code spring-boot-actuator}. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.actuate.health.HealthIndicator")
    @ConditionalOnProperty(prefix = "idem", name = "enabled", havingValue = "true", matchIfMissing = true)
    @ConditionalOnBooleanProperty(name = "management.health.idem.enabled", matchIfMissing = true)
    static class Boot3 {
        @Bean(BEAN)
        @ConditionalOnMissingBean(name = BEAN)
        Boot3StoreHealthIndicator idemHealthIndicator(ObjectProvider<IdempotencyConfig> config) {
            return new Boot3StoreHealthIndicator(new StoreHealthProbe(config.getIfUnique()));
        }
    }

    /** Spring Boot 4: {@code spring-boot-health}. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
    @ConditionalOnProperty(prefix = "idem", name = "enabled", havingValue = "true", matchIfMissing = true)
    @ConditionalOnBooleanProperty(name = "management.health.idem.enabled", matchIfMissing = true)
    static class Boot4 {
        @Bean(BEAN)
        @ConditionalOnMissingBean(name = BEAN)
        Boot4StoreHealthIndicator idemHealthIndicator(ObjectProvider<IdempotencyConfig> config) {
            return new Boot4StoreHealthIndicator(new StoreHealthProbe(config.getIfUnique()));
        }
    }
}
