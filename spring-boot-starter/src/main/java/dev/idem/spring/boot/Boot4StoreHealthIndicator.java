package dev.idem.spring.boot;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/** The store's health on Spring Boot 4 ({@code org.springframework.boot.health.contributor}); see {@link StoreHealthProbe}. */
final class Boot4StoreHealthIndicator implements HealthIndicator {
    private final StoreHealthProbe probe;

    Boot4StoreHealthIndicator(StoreHealthProbe probe) {
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
