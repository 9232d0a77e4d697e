package dev.idem.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.idem.annotation.Idempotent;
import dev.idem.core.Idempotency;
import dev.idem.core.IdempotencyConfig;
import dev.idem.core.TypeRef;
import dev.idem.core.internal.OutcomeCodec;
import dev.idem.core.spi.ResultTypeSupport;
import dev.idem.store.caffeine.CaffeineIdempotencyStore;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.EnableAspectJAutoProxy;

/**
 * An application without spring-web (and without the servlet API): idem-spring still loads and works, and its
 * ResultTypeSupport answers null. The default test run has spring-web on the class path for the web tests, so these
 * checks run in the surefire execution {@code without-spring-web} (see the pom), and are skipped here.
 */
class WithoutSpringWebTest {

    @BeforeEach
    void onlyWithoutSpringWeb() {
        assumeFalse(present("org.springframework.http.ResponseEntity"),
                "spring-web is on the class path (see the without-spring-web execution)");
    }

    @AfterEach
    void resetConfiguration() {
        Idempotency.reset();
    }

    @Test
    void noWebClassesAtAll() {
        assertThat(present("org.springframework.web.context.request.RequestContextHolder")).isFalse();
        assertThat(present("jakarta.servlet.http.HttpServletResponse")).isFalse();
    }

    @Test
    void theResultTypeSupport_loads_andAnswersNull() {
        List<ResultTypeSupport> supports = ServiceLoader.load(ResultTypeSupport.class).stream()
                .map(ServiceLoader.Provider::get).toList();

        assertThat(supports).extracting(support -> support.getClass().getName())
                .contains("dev.idem.spring.web.SpringWebResultTypeSupport");
        for (ResultTypeSupport support : supports) {
            assertThat(support.codecModule()).isNull();
            assertThat(support.defaultUnless(Object.class)).isNull();
        }
    }

    @Test
    void theCodec_stillEncodes() {
        var type = OutcomeCodec.javaType(new TypeRef<List<String>>() { }.type());

        assertThat(OutcomeCodec.encodeVerified(List.of("a"), type)).isNotEmpty();
    }

    @Test
    void theAspect_makesMethodsIdempotent_withAMarkerToo() {
        try (var context = new AnnotationConfigApplicationContext(Config.class)) {
            Counter counter = context.getBean(Counter.class);
            context.getBean(IdempotentSpringAspect.class).setReplayMarker((result, method) -> (Integer) result + 100);

            assertThat(counter.next("k")).isEqualTo(1);
            assertThat(counter.next("k")).isEqualTo(101);
            assertThat(counter.runs()).isEqualTo(1);
        }
    }

    private static boolean present(String className) {
        try {
            Class.forName(className, false, WithoutSpringWebTest.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    /** A counter. */
    public static class Counter {
        private final AtomicInteger runs = new AtomicInteger();

        @Idempotent(key = "#key")
        public int next(String key) {
            return runs.incrementAndGet();
        }

        public int runs() {
            return runs.get();
        }
    }

    @Configuration
    @EnableAspectJAutoProxy
    static class Config {
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
