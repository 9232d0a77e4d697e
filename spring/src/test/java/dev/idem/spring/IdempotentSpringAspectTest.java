package dev.idem.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.idem.annotation.Idempotent;
import dev.idem.core.Idempotency;
import dev.idem.core.IdempotencyConfig;
import dev.idem.store.caffeine.CaffeineIdempotencyStore;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.aspectj.lang.ProceedingJoinPoint;
import org.aspectj.lang.annotation.Around;
import org.aspectj.lang.annotation.Aspect;
import org.junit.jupiter.api.Test;
import org.springframework.aop.support.AopUtils;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.EnableAspectJAutoProxy;
import org.springframework.core.annotation.Order;

/** The aspect in a plain Spring context, through both kinds of Spring AOP proxy. */
class IdempotentSpringAspectTest {

    @AfterEach
    void resetConfiguration() {
        Idempotency.reset();
    }

    @Test
    void interfaceProxy_runsTheImplementationsAnnotatedMethodOnce() {
        try (var context = new AnnotationConfigApplicationContext(InterfaceProxyConfig.class)) {
            Greeter greeter = context.getBean(Greeter.class);
            assertThat(AopUtils.isJdkDynamicProxy(greeter)).isTrue();

            for (int i = 0; i < 3; i++) {
                assertThat(greeter.greet("ada")).isEqualTo("hello ada #1");
            }

            assertThat(context.getBean("greetings", AtomicInteger.class).get()).isEqualTo(1);
        }
    }

    @Test
    void classProxy_runsTheAnnotatedMethodOnce() {
        try (var context = new AnnotationConfigApplicationContext(ClassProxyConfig.class)) {
            Counter counter = context.getBean(Counter.class);
            assertThat(AopUtils.isCglibProxy(counter)).isTrue();

            for (int i = 0; i < 3; i++) {
                assertThat(counter.next("k")).isEqualTo(1);
            }

            assertThat(counter.runs()).isEqualTo(1);
        }
    }

    @Test
    void classProxy_anotherKeyRunsAgain() {
        try (var context = new AnnotationConfigApplicationContext(ClassProxyConfig.class)) {
            Counter counter = context.getBean(Counter.class);

            assertThat(counter.next("a")).isEqualTo(1);
            assertThat(counter.next("b")).isEqualTo(2);
            assertThat(counter.next("a")).isEqualTo(1);

            assertThat(counter.runs()).isEqualTo(2);
        }
    }

    @Test
    void interfaceBeanWithProxyTargetClass_runsOnce() {
        try (var context = new AnnotationConfigApplicationContext(TargetClassProxyConfig.class)) {
            Greeter greeter = context.getBean(Greeter.class);
            assertThat(AopUtils.isCglibProxy(greeter)).isTrue();

            for (int i = 0; i < 3; i++) {
                assertThat(greeter.greet("ada")).isEqualTo("hello ada #1");
            }

            assertThat(context.getBean("greetings", AtomicInteger.class).get()).isEqualTo(1);
        }
    }

    @Test
    void selfInvocation_isNotIntercepted() {
        try (var context = new AnnotationConfigApplicationContext(ClassProxyConfig.class)) {
            Counter counter = context.getBean(Counter.class);

            counter.nextTwiceFromInside("k");

            // The documented Spring AOP limit: the inner calls do not pass through the proxy.
            assertThat(counter.runs()).isEqualTo(2);
        }
    }

    @Test
    void order_putsTheAspectOutsideOtherAdvice() {
        try (var context = new AnnotationConfigApplicationContext(OrderedConfig.class)) {
            Counter counter = context.getBean(Counter.class);

            for (int i = 0; i < 3; i++) {
                counter.next("k");
            }

            // Idem runs outside, so the inner advice, like the body, sees only the first call.
            assertThat(context.getBean(InnerAdvice.class).calls.get()).isEqualTo(1);
            assertThat(counter.runs()).isEqualTo(1);
        }
    }

    @Test
    void configConstructor_installsTheConfiguration() {
        IdempotencyConfig config = IdempotencyConfig.builder().defaultStore(CaffeineIdempotencyStore.create()).build();

        new IdempotentSpringAspect(config);

        assertThat(Idempotency.config()).isSameAs(config);
    }

    /** A service seen through its interface. */
    public interface Greeter {
        /**
         * Greets.
         *
         * @param name who
         * @return the greeting and how many times the body has run
         */
        String greet(String name);
    }

    /** The annotation sits on the implementation, as Spring AOP requires. */
    public static class CountingGreeter implements Greeter {
        // Outside the bean: a JDK proxy hides the class's own members, a class-based proxy its fields.
        private final AtomicInteger runs;

        CountingGreeter(AtomicInteger runs) {
            this.runs = runs;
        }

        @Override
        @Idempotent(key = "#name")
        public String greet(String name) {
            return "hello " + name + " #" + runs.incrementAndGet();
        }
    }

    /** A service with no interface, so Spring proxies its class. */
    public static class Counter {
        private final AtomicInteger runs = new AtomicInteger();

        @Idempotent(key = "#key")
        public int next(String key) {
            return runs.incrementAndGet();
        }

        public void nextTwiceFromInside(String key) {
            next(key);
            next(key);
        }

        public int runs() {
            return runs.get();
        }
    }

    @Configuration
    @EnableAspectJAutoProxy
    static class InterfaceProxyConfig {
        @Bean
        IdempotentSpringAspect idempotentSpringAspect() {
            return new IdempotentSpringAspect(
                    IdempotencyConfig.builder().defaultStore(CaffeineIdempotencyStore.create()).build());
        }

        @Bean
        AtomicInteger greetings() {
            return new AtomicInteger();
        }

        @Bean
        Greeter greeter(AtomicInteger greetings) {
            return new CountingGreeter(greetings);
        }
    }

    /** Other advice on the same methods, such as a transaction, that idem should wrap. */
    @Aspect
    @Order(0)
    public static class InnerAdvice {
        final AtomicInteger calls = new AtomicInteger();

        @Around("execution(@dev.idem.annotation.Idempotent * *(..))")
        public Object count(ProceedingJoinPoint joinPoint) throws Throwable {
            calls.incrementAndGet();
            return joinPoint.proceed();
        }
    }

    @Configuration
    @EnableAspectJAutoProxy
    static class OrderedConfig extends ClassProxyConfig {
        @Override
        @Bean
        IdempotentSpringAspect idempotentSpringAspect() {
            IdempotentSpringAspect aspect = super.idempotentSpringAspect();
            aspect.setOrder(-1);
            return aspect;
        }

        @Bean
        InnerAdvice innerAdvice() {
            return new InnerAdvice();
        }
    }

    @Configuration
    @EnableAspectJAutoProxy(proxyTargetClass = true)
    static class TargetClassProxyConfig extends InterfaceProxyConfig {
    }

    @Configuration
    @EnableAspectJAutoProxy
    static class ClassProxyConfig {
        @Bean
        IdempotentSpringAspect idempotentSpringAspect() {
            return new IdempotentSpringAspect(
                    IdempotencyConfig.builder().defaultStore(CaffeineIdempotencyStore.create()).build());
        }

        @Bean
        Counter counter() {
            return new Counter();
        }
    }
}
