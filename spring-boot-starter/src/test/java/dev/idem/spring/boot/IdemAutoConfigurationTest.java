package dev.idem.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.idem.core.Idempotency;
import dev.idem.core.IdempotencyConfig;
import dev.idem.core.IdempotencyKeyException;
import dev.idem.core.event.IdempotencyEvent;
import dev.idem.core.event.IdempotencyListener;
import dev.idem.core.spi.IdempotencyStore;
import dev.idem.spring.IdempotentSpringAspect;
import dev.idem.spring.boot.TestBeans.Greeter;
import dev.idem.store.caffeine.CaffeineIdempotencyStore;
import dev.idem.testing.InMemoryIdempotencyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.aop.support.AopUtils;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.annotation.Order;

/**
 * The core of the auto-configuration in application contexts: each {@code idem.*} property that is not a store's own
 * changes the configuration in force, the application's beans win, the disabled switch, and the class conditions.
 */
class IdemAutoConfigurationTest {
    static final ApplicationContextRunner RUNNER = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class, IdemAutoConfiguration.class));

    @AfterEach
    void resetIdem() {
        Idempotency.reset();
    }

    @Test
    void defaults_caffeineStore_installedConfig_andAnAdvisedBeanReplays() {
        RUNNER.withBean(Greeter.class).run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(IdempotentSpringAspect.class)
                    .hasSingleBean(IdempotencyConfig.class);
            IdempotencyConfig config = context.getBean(IdempotencyConfig.class);
            assertThat(Idempotency.config()).isSameAs(config);
            assertThat(config.enabled()).isTrue();
            assertThat(config.keyPrefix()).isEmpty();
            assertThat(config.maxKeyLength()).isEqualTo(IdempotencyConfig.DEFAULT_MAX_KEY_LENGTH);
            assertThat(config.maxOutcomeBytes()).isEqualTo(IdempotencyConfig.DEFAULT_MAX_OUTCOME_BYTES);
            assertThat(config.defaultStore()).isInstanceOf(CaffeineIdempotencyStore.class)
                    .isSameAs(context.getBean(IdempotencyStore.class))
                    .hasToString("CaffeineIdempotencyStore[maximumSize="
                            + CaffeineIdempotencyStore.DEFAULT_MAXIMUM_SIZE + "]");

            Greeter greeter = context.getBean(Greeter.class);
            assertThat(AopUtils.isAopProxy(greeter)).isTrue();
            String first = greeter.greet("k1");
            assertThat(greeter.greet("k1")).isEqualTo(first);
            assertThat(greeter.greet("k2")).isNotEqualTo(first);
            assertThat(AopUtils.getTargetClass(greeter)).isEqualTo(Greeter.class);
        });
    }

    @Test
    void propertyDefaults_areTheCoresDefaults() {
        IdemProperties properties = new IdemProperties();
        assertThat(properties.getMaxKeyLength()).isEqualTo(IdempotencyConfig.DEFAULT_MAX_KEY_LENGTH);
        assertThat(properties.getMaxOutcomeBytes()).isEqualTo(IdempotencyConfig.DEFAULT_MAX_OUTCOME_BYTES);
        assertThat(properties.getCaffeine().getMaximumSize()).isEqualTo(CaffeineIdempotencyStore.DEFAULT_MAXIMUM_SIZE);
        assertThat(properties.getJdbc().getTable()).isEqualTo(dev.idem.store.jdbc.JdbcIdempotencyStore.DEFAULT_TABLE);
    }

    @Test
    void keyPrefix_maxKeyLength_maxOutcomeBytes_caffeineMaximumSize_areApplied() {
        RUNNER.withBean(Greeter.class)
                .withPropertyValues("idem.key-prefix=orders:", "idem.max-key-length=5", "idem.max-outcome-bytes=1024",
                        "idem.caffeine.maximum-size=42")
                .run(context -> {
                    IdempotencyConfig config = context.getBean(IdempotencyConfig.class);
                    assertThat(config.keyPrefix()).isEqualTo("orders:");
                    assertThat(config.maxKeyLength()).isEqualTo(5);
                    assertThat(config.maxOutcomeBytes()).isEqualTo(1024);
                    assertThat(config.defaultStore()).hasToString("CaffeineIdempotencyStore[maximumSize=42]");
                    Greeter greeter = context.getBean(Greeter.class);
                    greeter.greet("12345");
                    org.assertj.core.api.Assertions.assertThatThrownBy(() -> greeter.greet("123456"))
                            .isInstanceOf(IdempotencyKeyException.class);
                });
    }

    @Test
    void idemSettingsSpelledAsInCore_bindToo() {
        RUNNER.withPropertyValues("idem.keyPrefix=shop:", "idem.maxKeyLength=7", "idem.store=CAFFEINE")
                .run(context -> {
                    IdempotencyConfig config = context.getBean(IdempotencyConfig.class);
                    assertThat(config.keyPrefix()).isEqualTo("shop:");
                    assertThat(config.maxKeyLength()).isEqualTo(7);
                    assertThat(config.defaultStore()).isInstanceOf(CaffeineIdempotencyStore.class);
                });
    }

    @Test
    void invalidValues_failStartUp_withTheCoresMessage() {
        RUNNER.withPropertyValues("idem.max-key-length=0").run(context -> assertThat(context).hasFailed()
                .getFailure().rootCause().hasMessageContaining("maxKeyLength must be at least 1"));
        RUNNER.withPropertyValues("idem.caffeine.maximum-size=0").run(context -> assertThat(context).hasFailed());
        RUNNER.withPropertyValues("idem.store=memcached").run(context -> assertThat(context).hasFailed()
                .getFailure().hasStackTraceContaining("memcached"));
    }

    @Test
    void disabled_noStore_noHealth_methodsRunUnprotected_evenWithoutAKey() {
        RUNNER.withBean(Greeter.class).withPropertyValues("idem.enabled=false", "idem.store=redisson").run(context -> {
            assertThat(context).hasNotFailed().doesNotHaveBean(IdempotencyStore.class)
                    .doesNotHaveBean(IdemHealthConfigurations.BEAN);
            IdempotencyConfig config = context.getBean(IdempotencyConfig.class);
            assertThat(config.enabled()).isFalse();
            assertThat(config.defaultStore()).isNull();
            assertThat(Idempotency.config()).isSameAs(config);
            Greeter greeter = context.getBean(Greeter.class);
            assertThat(greeter.greet("k")).isNotEqualTo(greeter.greet("k"));
            assertThat(greeter.greet(null)).endsWith("#3");
        });
    }

    @Test
    void applicationStoreBean_isTheDefaultStore() {
        InMemoryIdempotencyStore own = InMemoryIdempotencyStore.create();
        RUNNER.withBean("myStore", IdempotencyStore.class, () -> own).run(context -> {
            assertThat(context).hasNotFailed().doesNotHaveBean(IdemStoreConfigurations.STORE_BEAN);
            assertThat(context.getBean(IdempotencyConfig.class).defaultStore()).isSameAs(own);
        });
    }

    @Test
    void applicationConfigBean_isInstalled_andNoStoreIsCreated() {
        IdempotencyConfig own = IdempotencyConfig.builder().defaultStore(InMemoryIdempotencyStore.create())
                .keyPrefix("mine:").build();
        RUNNER.withBean(IdempotencyConfig.class, () -> own).withPropertyValues("idem.key-prefix=ignored:")
                .run(context -> {
                    assertThat(context).hasNotFailed().doesNotHaveBean(IdempotencyStore.class);
                    assertThat(context.getBean(IdempotencyConfig.class)).isSameAs(own);
                    assertThat(Idempotency.config()).isSameAs(own);
                });
    }

    @Test
    void applicationAspectBean_switchesTheStartersConfigurationOff() {
        IdempotencyConfig own = IdempotencyConfig.builder().defaultStore(InMemoryIdempotencyStore.create()).build();
        RUNNER.withBean(Greeter.class).withBean(IdempotentSpringAspect.class, () -> new IdempotentSpringAspect(own))
                .run(context -> {
                    assertThat(context).hasNotFailed().hasSingleBean(IdempotentSpringAspect.class)
                            .doesNotHaveBean(IdempotencyConfig.class).doesNotHaveBean(IdempotencyStore.class);
                    assertThat(Idempotency.config()).isSameAs(own);
                    Greeter greeter = context.getBean(Greeter.class);
                    assertThat(greeter.greet("k")).isEqualTo(greeter.greet("k"));
                });
    }

    @Test
    void listenerBeans_inOrder_andCustomizers_areApplied() {
        List<String> calls = new CopyOnWriteArrayList<>();
        RUNNER.withBean(Greeter.class)
                .withBean("second", IdempotencyListener.class, () -> new SecondListener(calls))
                .withBean("first", IdempotencyListener.class, () -> new FirstListener(calls))
                .withBean(IdempotencyConfigCustomizer.class,
                        () -> builder -> builder.store("local", CaffeineIdempotencyStore.create()))
                .run(context -> {
                    IdempotencyConfig config = context.getBean(IdempotencyConfig.class);
                    assertThat(config.stores()).containsOnlyKeys("local");
                    assertThat(config.listeners()).hasSize(2);
                    context.getBean(Greeter.class).greet("k");
                    assertThat(calls).containsExactly("first EXECUTED", "second EXECUTED");
                });
    }

    @Order(2)
    record SecondListener(List<String> calls) implements IdempotencyListener {
        @Override
        public void onEvent(IdempotencyEvent event) {
            calls.add("second " + event.type());
        }
    }

    @Order(1)
    record FirstListener(List<String> calls) implements IdempotencyListener {
        @Override
        public void onEvent(IdempotencyEvent event) {
            calls.add("first " + event.type());
        }
    }

    @Test
    void withoutIdemSpringOrAspectJ_nothingIsConfigured() {
        RUNNER.withClassLoader(new FilteredClassLoader(IdempotentSpringAspect.class)).run(context ->
                assertThat(context).hasNotFailed().doesNotHaveBean(IdempotencyConfig.class)
                        .doesNotHaveBean(IdemProperties.class));
        RUNNER.withClassLoader(new FilteredClassLoader("org.aspectj.lang.annotation")).run(context ->
                assertThat(context).hasNotFailed().doesNotHaveBean(IdempotencyConfig.class));
    }

    @Test
    void withoutTheCaffeineStore_theDefaultFailsStartUp_namingTheModule() {
        RUNNER.withClassLoader(new FilteredClassLoader(CaffeineIdempotencyStore.class)).run(context ->
                assertThat(context).hasFailed().getFailure().rootCause()
                        .hasMessageContaining("idem.store=caffeine needs dev.idem:idem-store-caffeine"));
    }

    @Test
    void withoutTheRedisOrJdbcStoreModule_choosingItFailsStartUp_namingTheModule() {
        RUNNER.withClassLoader(new FilteredClassLoader("dev.idem.store.redisson"))
                .withPropertyValues("idem.store=redisson").run(context ->
                        assertThat(context).hasFailed().getFailure().rootCause()
                                .hasMessageContaining("idem.store=redisson needs dev.idem:idem-store-redisson"));
        RUNNER.withClassLoader(new FilteredClassLoader("dev.idem.store.jdbc"))
                .withPropertyValues("idem.store=jdbc").run(context ->
                        assertThat(context).hasFailed().getFailure().rootCause()
                                .hasMessageContaining("idem.store=jdbc needs dev.idem:idem-store-jdbc"));
    }

    @Test
    void startUp_logsTheStoreOnce() {
        Logger logger = Logger.getLogger("dev.idem.spring.boot");
        List<String> messages = new ArrayList<>();
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                messages.add(record.getMessage());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        logger.addHandler(handler);
        try {
            RUNNER.withBean(Greeter.class).withPropertyValues("idem.key-prefix=p:").run(context -> {
                context.getBean(Greeter.class).greet("a");
                context.getBean(Greeter.class).greet("b");
            });
        } finally {
            logger.removeHandler(handler);
        }
        assertThat(messages).containsExactly("idem uses the store CaffeineIdempotencyStore[maximumSize=100000] "
                + "(idem.store=caffeine), key prefix 'p:'");
    }

    @Test
    void closingTheContext_resetsTheInstalledConfig() {
        IdempotencyConfig[] installed = new IdempotencyConfig[1];
        RUNNER.run(context -> installed[0] = context.getBean(IdempotencyConfig.class));
        assertThat(Idempotency.config()).isNotSameAs(installed[0]);
    }
}
