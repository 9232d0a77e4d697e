package dev.idem.spring.boot;

import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;

/** The store's health on Spring Boot 3.5 ({@code org.springframework.boot.actuate.health}); see {@link StoreHealthProbe}. */
final class Boot3StoreHealthIndicator implements HealthIndicator {
    private final StoreHealthProbe probe;

    Boot3StoreHealthIndicator(StoreHealthProbe probe) {
        this.probe = probe;
    }

    @Override
    public Health health() {
        StoreHealthProbe.Result result = probe.probe();
        Health.Builder builder = result.up() ? Health.up() : Health.down();
        if (result.error() != null) {
            builder.withException(result.error());
        }
        return builder.withDetails(result.details()).build();
    }
}
