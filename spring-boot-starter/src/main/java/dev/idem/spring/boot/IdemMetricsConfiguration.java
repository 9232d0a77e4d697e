package dev.idem.spring.boot;

import dev.idem.micrometer.MicrometerIdempotencyListener;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * {@code idem.metrics.*}: a {@link MicrometerIdempotencyListener} on the application's {@code MeterRegistry} (and its
 * {@code ObservationRegistry}, when it has one and {@code idem.metrics.observations} is true), which the starter's
 * configuration adds with the application's other listener beans. Only with Micrometer on the class path (the starter
 * brings idem-micrometer, not Micrometer: the application's framework does) and a meter registry bean.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(name = {"dev.idem.micrometer.MicrometerIdempotencyListener",
        "io.micrometer.core.instrument.MeterRegistry", "io.micrometer.observation.ObservationRegistry"})
@ConditionalOnSingleCandidate(type = "io.micrometer.core.instrument.MeterRegistry")
@ConditionalOnBooleanProperty(name = "idem.metrics.enabled", matchIfMissing = true)
class IdemMetricsConfiguration {

    @Bean
    @ConditionalOnMissingBean
    MicrometerIdempotencyListener micrometerIdempotencyListener(IdemProperties properties,
            ObjectProvider<MeterRegistry> meterRegistry, ObjectProvider<ObservationRegistry> observationRegistry) {
        ObservationRegistry observations = properties.getMetrics().isObservations()
                ? observationRegistry.getIfAvailable(() -> ObservationRegistry.NOOP)
                : ObservationRegistry.NOOP;
        // timers(true) records the timers itself only while the registry observes nothing (NOOP, or no handler):
        // with Boot's meter handler the observations make them, never both
        return MicrometerIdempotencyListener.builder(observations).meterRegistry(meterRegistry.getObject())
                .timers(true).build();
    }
}
