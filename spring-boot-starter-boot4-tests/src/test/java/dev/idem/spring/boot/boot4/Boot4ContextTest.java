package dev.idem.spring.boot.boot4;

import static org.assertj.core.api.Assertions.assertThat;

import dev.idem.core.Idempotency;
import dev.idem.core.IdempotencyConfig;
import dev.idem.spring.IdempotentSpringAspect;
import dev.idem.spring.boot.IdemAutoConfiguration;
import dev.idem.store.caffeine.CaffeineIdempotencyStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The starter's conditions on the Boot 4 line, where the health indicator's interface lives in spring-boot-health. */
class Boot4ContextTest {
    static final ApplicationContextRunner RUNNER = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class, IdemAutoConfiguration.class));

    @AfterEach
    void resetIdem() {
        Idempotency.reset();
    }

    @Test
    void defaults_andBoot4sHealthIndicator_isUp() {
        RUNNER.withPropertyValues("idem.caffeine.maximum-size=7").run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(IdempotentSpringAspect.class);
            assertThat(context.getBean(IdempotencyConfig.class).defaultStore())
                    .isInstanceOf(CaffeineIdempotencyStore.class)
                    .hasToString("CaffeineIdempotencyStore[maximumSize=7]");
            HealthIndicator indicator = context.getBean("idemHealthIndicator", HealthIndicator.class);
            Health health = indicator.health();
            assertThat(health.getStatus().getCode()).isEqualTo("UP");
            assertThat(health.getDetails()).containsEntry("store", "CaffeineIdempotencyStore");
        });
    }

    @Test
    void healthSwitchedOff_orWithoutSpringBootHealth_noIndicator() {
        RUNNER.withPropertyValues("management.health.idem.enabled=false").run(context ->
                assertThat(context).hasNotFailed().doesNotHaveBean("idemHealthIndicator"));
        RUNNER.withClassLoader(new FilteredClassLoader("org.springframework.boot.health.contributor")).run(context ->
                assertThat(context).hasNotFailed().doesNotHaveBean("idemHealthIndicator")
                        .hasSingleBean(IdempotencyConfig.class));
    }

    @Test
    void disabled_noStore() {
        RUNNER.withPropertyValues("idem.enabled=false").run(context -> {
            assertThat(context).hasNotFailed().doesNotHaveBean("idemStore").doesNotHaveBean("idemHealthIndicator");
            assertThat(context.getBean(IdempotencyConfig.class).enabled()).isFalse();
        });
    }
}
