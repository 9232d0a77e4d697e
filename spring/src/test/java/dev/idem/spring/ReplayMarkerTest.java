package dev.idem.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.idem.annotation.Idempotent;
import dev.idem.core.Idempotency;
import dev.idem.core.IdempotencyConfig;
import dev.idem.store.caffeine.CaffeineIdempotencyStore;
import java.lang.reflect.Method;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.EnableAspectJAutoProxy;

/** The aspect hands replayed results, and only those of outermost calls, to its replay marker. */
class ReplayMarkerTest {

    @AfterEach
    void resetConfiguration() {
        Idempotency.reset();
    }

    @Test
    void replayedResult_isWhatTheMarkerReturns_firstRunIsUntouched() {
        try (var context = new AnnotationConfigApplicationContext(Config.class)) {
            Service service = context.getBean(Service.class);
            Recorder marker = context.getBean(Recorder.class);

            assertThat(service.value("k")).isEqualTo("v1");
            assertThat(marker.marked).isEmpty();

            assertThat(service.value("k")).isEqualTo("v1 (replayed)");
            assertThat(service.value("k")).isEqualTo("v1 (replayed)");
            assertThat(marker.marked).containsExactly("value", "value");
            assertThat(service.runs()).isEqualTo(1);
        }
    }

    @Test
    void replayedCallInsideTheBodyOfACallThatRan_isNotMarked() {
        try (var context = new AnnotationConfigApplicationContext(Config.class)) {
            Service service = context.getBean(Service.class);
            Outer outer = context.getBean(Outer.class);
            Recorder marker = context.getBean(Recorder.class);
            service.value("inner"); // recorded: the outer call's body will get it replayed

            assertThat(outer.call("first")).isEqualTo("outer(v1)");

            assertThat(marker.marked).isEmpty();
            assertThat(outer.call("first")).isEqualTo("outer(v1) (replayed)");
            assertThat(marker.marked).containsExactly("call");
        }
    }

    @Test
    void withoutAMarker_resultsAreLeftAlone() {
        try (var context = new AnnotationConfigApplicationContext(Config.class)) {
            context.getBean(IdempotentSpringAspect.class).setReplayMarker(null);
            Service service = context.getBean(Service.class);

            service.value("k");

            assertThat(service.value("k")).isEqualTo("v1");
            assertThat(context.getBean(Recorder.class).marked).isEmpty();
        }
    }

    @Test
    void exceptionsPassThroughUnchanged() {
        try (var context = new AnnotationConfigApplicationContext(Config.class)) {
            Service service = context.getBean(Service.class);

            assertThatThrownBy(() -> service.fail("k")).isInstanceOf(IllegalStateException.class).hasMessage("no");
            assertThatThrownBy(() -> service.fail("k")).isInstanceOf(IllegalStateException.class).hasMessage("no");
            assertThat(service.runs()).isEqualTo(2); // not a replayable failure: each call ran
        }
    }

    /** Marks a String result and records which methods it marked. */
    static final class Recorder implements ReplayMarker {
        final List<String> marked = new CopyOnWriteArrayList<>();

        @Override
        public Object markReplayed(Object result, Method method) {
            marked.add(method.getName());
            return result + " (replayed)";
        }
    }

    /** Idempotent methods. */
    public static class Service {
        final AtomicInteger runs = new AtomicInteger();

        @Idempotent(key = "#key")
        public String value(String key) {
            return "v" + runs.incrementAndGet();
        }

        public int runs() { // through the class-based proxy: its own fields are not the target's
            return runs.get();
        }

        @Idempotent(key = "#key")
        public String fail(String key) {
            runs.incrementAndGet();
            throw new IllegalStateException("no");
        }
    }

    /** An idempotent method whose body makes another idempotent call. */
    public static class Outer {
        private final Service service;

        Outer(Service service) {
            this.service = service;
        }

        @Idempotent(key = "#key")
        public String call(String key) {
            return "outer(" + service.value("inner") + ")";
        }
    }

    @Configuration
    @EnableAspectJAutoProxy
    static class Config {
        @Bean
        Recorder recorder() {
            return new Recorder();
        }

        @Bean
        IdempotentSpringAspect idempotentSpringAspect(Recorder recorder) {
            IdempotentSpringAspect aspect = new IdempotentSpringAspect(
                    IdempotencyConfig.builder().defaultStore(CaffeineIdempotencyStore.create()).build());
            aspect.setReplayMarker(recorder);
            return aspect;
        }

        @Bean
        Service service() {
            return new Service();
        }

        @Bean
        Outer outer(Service service) {
            return new Outer(service);
        }
    }
}
