package dev.idem.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.idem.core.Idempotency;
import dev.idem.core.IdempotencyConfig;
import dev.idem.spring.boot.TestBeans.FinalGreeter;
import dev.idem.spring.boot.TestBeans.Greeter;
import dev.idem.testing.InMemoryIdempotencyStore;
import dev.idem.tck.WovenBeans;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.support.GenericApplicationContext;

/**
 * The health indicator's conditions and answers, and the opt-in start-up check {@code idem.verify-proxies}.
 */
class HealthAndVerificationTest {
    static final ApplicationContextRunner RUNNER = IdemAutoConfigurationTest.RUNNER;

    @AfterEach
    void resetIdem() {
        Idempotency.reset();
    }

    @Test
    void onBoot35_theBoot3IndicatorProbesTheStore_andIsUp() {
        RUNNER.run(context -> {
            // one indicator named idem, Boot 3.5's (the Boot 4 class cannot even be loaded here)
            assertThat(context).hasSingleBean(Boot3StoreHealthIndicator.class);
            assertThat(context.getBean(IdemHealthConfigurations.BEAN)).isInstanceOf(Boot3StoreHealthIndicator.class);
            var health = context.getBean(IdemHealthConfigurations.BEAN, Boot3StoreHealthIndicator.class).health();
            assertThat(health.getStatus().getCode()).isEqualTo("UP");
            assertThat(health.getDetails()).containsEntry("store", "CaffeineIdempotencyStore")
                    .containsKey("latencyMillis");
        });
    }

    @Test
    void probe_claimsAndReleasesAFreshKey_leavingNoRecord() {
        InMemoryIdempotencyStore store = InMemoryIdempotencyStore.create();
        RUNNER.withBean(InMemoryIdempotencyStore.class, () -> store).run(context -> {
            var health = context.getBean(Boot3StoreHealthIndicator.class);
            assertThat(health.health().getStatus().getCode()).isEqualTo("UP");
            assertThat(health.health().getStatus().getCode()).isEqualTo("UP");
            assertThat(store.size()).isZero();
        });
    }

    @Test
    void aStoreThatFails_isDown_withTheError() {
        IdempotencyConfig config = IdempotencyConfig.builder().defaultStore(new FailingStore()).build();
        RUNNER.withBean(IdempotencyConfig.class, () -> config).run(context -> {
            var health = context.getBean(Boot3StoreHealthIndicator.class).health();
            assertThat(health.getStatus().getCode()).isEqualTo("DOWN");
            assertThat(health.getDetails()).containsEntry("store", "FailingStore");
            assertThat(String.valueOf(health.getDetails().get("error"))).contains("store is down");
        });
    }

    @Test
    void managementHealthIdemEnabledFalse_orIdemDisabled_noIndicator() {
        RUNNER.withPropertyValues("management.health.idem.enabled=false").run(context ->
                assertThat(context).hasNotFailed().doesNotHaveBean(IdemHealthConfigurations.BEAN));
        RUNNER.withPropertyValues("idem.enabled=false").run(context ->
                assertThat(context).hasNotFailed().doesNotHaveBean(IdemHealthConfigurations.BEAN));
    }

    @Test
    void withoutTheActuator_noIndicator() {
        RUNNER.withClassLoader(new FilteredClassLoader("org.springframework.boot.actuate.health")).run(context ->
                assertThat(context).hasNotFailed().doesNotHaveBean(IdemHealthConfigurations.BEAN)
                        .hasSingleBean(IdempotencyConfig.class));
    }

    @Test
    void applicationIndicatorNamedIdem_wins() {
        RUNNER.withBean(IdemHealthConfigurations.BEAN, Object.class, Object::new).run(context ->
                assertThat(context).hasNotFailed().doesNotHaveBean(Boot3StoreHealthIndicator.class));
    }

    @Test
    void verifyProxies_passesForProxiedBeans() {
        RUNNER.withBean(Greeter.class).withPropertyValues("idem.verify-proxies=true").run(context ->
                assertThat(context).hasNotFailed().hasSingleBean(IdempotentProxyVerifier.class));
    }

    @Test
    void verifyProxies_failsStartUp_forAFinalMethod_namingBeanAndMethod() {
        RUNNER.withBean("finalGreeter", FinalGreeter.class).withPropertyValues("idem.verify-proxies=true")
                .run(context -> assertThat(context).hasFailed().getFailure()
                        .hasMessageContaining("bean 'finalGreeter'")
                        .hasMessageContaining("FinalGreeter.greet(java.lang.String)"));
    }

    @Test
    void verifyProxies_isOffByDefault() {
        RUNNER.withBean(FinalGreeter.class).run(context ->
                assertThat(context).hasNotFailed().doesNotHaveBean(IdempotentProxyVerifier.class));
    }

    @Test
    void verifyProxies_failsForARegisteredSingleton_thatNothingAdvises() {
        RUNNER.withInitializer(context -> ((GenericApplicationContext) context).getBeanFactory()
                        .registerSingleton("readyMade", new Greeter()))
                .withPropertyValues("idem.verify-proxies=true")
                .run(context -> assertThat(context).hasFailed().getFailure()
                        .hasMessageContaining("bean 'readyMade'"));
    }

    @Test
    void verifyProxies_acceptsAnAspectJWovenSingleton() {
        Object woven = WovenBeans.wovenPayments();
        assertThat(IdempotentProxyVerifier.unprotectedMethods(woven)).isEmpty();
        assertThat(IdempotentProxyVerifier.unprotectedMethods(new Greeter())).hasSize(1);
        RUNNER.withInitializer(context -> ((GenericApplicationContext) context).getBeanFactory()
                        .registerSingleton("woven", woven))
                .withPropertyValues("idem.verify-proxies=true")
                .run(context -> assertThat(context).hasNotFailed());
    }

    @Test
    void verifyProxies_interfaceProxy_onlyInterfaceMethodsAreAdvised() {
        RUNNER.withBean("viaInterface", ByInterface.class)
                .withPropertyValues("idem.verify-proxies=true", "spring.aop.proxy-target-class=false")
                .run(context -> assertThat(context).hasFailed().getFailure()
                        .hasMessageContaining("ByInterface.notOnTheInterface")
                        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("ByInterface.onTheInterface")));
    }

    /** An interface for a JDK proxy. */
    interface Exposed {
        String onTheInterface(String key);
    }

    /** Two {@code @Idempotent} methods, one of them not on the proxied interface. */
    static class ByInterface implements Exposed {
        @Override
        @dev.idem.annotation.Idempotent(key = "#key")
        public String onTheInterface(String key) {
            return key;
        }

        @dev.idem.annotation.Idempotent(key = "#key")
        public String notOnTheInterface(String key) {
            return key;
        }
    }
}
