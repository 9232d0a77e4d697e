package dev.idem.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.idem.core.Idempotency;
import dev.idem.core.IdempotencyConfig;
import dev.idem.micrometer.MicrometerIdempotencyListener;
import dev.idem.spring.IdempotentSpringAspect;
import dev.idem.spring.ReplayMarker;
import dev.idem.spring.boot.TestBeans.Greeter;
import dev.idem.spring.web.IdempotencyProblemHandler;
import dev.idem.spring.web.IdempotentReplayedHeader;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;

/**
 * {@code idem.metrics.*} and {@code idem.web.*} in application contexts: the Micrometer listener on the application's
 * registries (observed or timers only), the problem handler and the replay header in web applications, every switch,
 * the application's own beans winning, and the class and bean conditions.
 */
class IdemMetricsAndWebAutoConfigurationTest {
    private static final AutoConfigurations IDEM =
            AutoConfigurations.of(AopAutoConfiguration.class, IdemAutoConfiguration.class);
    private static final ApplicationContextRunner PLAIN = new ApplicationContextRunner().withConfiguration(IDEM);
    private static final WebApplicationContextRunner SERVLET = new WebApplicationContextRunner().withConfiguration(IDEM);

    @AfterEach
    void resetIdem() {
        Idempotency.reset();
    }

    @Test
    void meterRegistryBean_listenerIsDeclaredAndInstalled_countsEveryDecision_andTimesCalls() {
        PLAIN.withBean(Greeter.class).withBean(MeterRegistry.class, SimpleMeterRegistry::new).run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(MicrometerIdempotencyListener.class);
            IdempotencyConfig config = context.getBean(IdempotencyConfig.class);
            assertThat(config.listeners()).containsExactly(context.getBean(MicrometerIdempotencyListener.class));

            Greeter greeter = context.getBean(Greeter.class);
            greeter.greet("a");
            greeter.greet("a");
            MeterRegistry meters = context.getBean(MeterRegistry.class);
            assertThat(meters.get(MicrometerIdempotencyListener.EVENTS).tag("idem.event", "executed").counter()
                    .count()).isEqualTo(1.0);
            assertThat(meters.get(MicrometerIdempotencyListener.EVENTS).tag("idem.event", "replayed").counter()
                    .count()).isEqualTo(1.0);
            // no ObservationRegistry bean: the timers are recorded without observations
            assertThat(meters.get("idem.call").timers()).extracting(timer -> timer.count()).containsOnly(1L);
            assertThat(meters.get("idem.call").timers()).hasSize(2);
        });
    }

    @Test
    void observationRegistryBean_callsAreObserved_andTimedOnceThroughItsMeterHandler() {
        List<String> observed = new CopyOnWriteArrayList<>();
        PLAIN.withBean(Greeter.class).withBean(MeterRegistry.class, SimpleMeterRegistry::new)
                .withBean(ObservationRegistry.class, () -> ObservationRegistry.create())
                .run(context -> {
                    ObservationRegistry observations = context.getBean(ObservationRegistry.class);
                    MeterRegistry meters = context.getBean(MeterRegistry.class);
                    observations.observationConfig().observationHandler(new DefaultMeterObservationHandler(meters))
                            .observationHandler(recording(observed));
                    Greeter greeter = context.getBean(Greeter.class);
                    greeter.greet("a");
                    greeter.greet("a");
                    assertThat(observed).containsExactly("idem.call", "idem.call");
                    // once per call: the meter handler's timer, not a second one of idem's own
                    assertThat(meters.get("idem.call").timers()).extracting(timer -> timer.count())
                            .containsOnly(1L);
                    assertThat(meters.get("idem.call").timers()).hasSize(2);
                });
    }

    @Test
    void observationsFalse_timersWithoutObservations_evenWithAnObservationRegistry() {
        List<String> observed = new CopyOnWriteArrayList<>();
        PLAIN.withBean(Greeter.class).withBean(MeterRegistry.class, SimpleMeterRegistry::new)
                .withBean(ObservationRegistry.class, () -> {
                    ObservationRegistry registry = ObservationRegistry.create();
                    registry.observationConfig().observationHandler(recording(observed));
                    return registry;
                })
                .withPropertyValues("idem.metrics.observations=false")
                .run(context -> {
                    context.getBean(Greeter.class).greet("a");
                    assertThat(observed).isEmpty();
                    assertThat(context.getBean(MeterRegistry.class).get("idem.call").timer().count()).isEqualTo(1);
                });
    }

    @Test
    void noListener_withoutAMeterRegistry_withMetricsDisabled_withoutMicrometer_orWithTwoRegistries() {
        PLAIN.run(context -> assertThat(context).hasNotFailed()
                .doesNotHaveBean(MicrometerIdempotencyListener.class));
        PLAIN.withBean(MeterRegistry.class, SimpleMeterRegistry::new).withPropertyValues("idem.metrics.enabled=false")
                .run(context -> {
                    assertThat(context).hasNotFailed().doesNotHaveBean(MicrometerIdempotencyListener.class);
                    assertThat(context.getBean(IdempotencyConfig.class).listeners()).isEmpty();
                });
        PLAIN.withClassLoader(new FilteredClassLoader("io.micrometer.core"))
                .run(context -> assertThat(context).hasNotFailed()
                        .doesNotHaveBean(MicrometerIdempotencyListener.class).hasSingleBean(IdempotencyConfig.class));
        // two registries and neither primary: which one the application means is not for idem to guess
        PLAIN.withBean("one", MeterRegistry.class, SimpleMeterRegistry::new)
                .withBean("two", MeterRegistry.class, SimpleMeterRegistry::new)
                .run(context -> assertThat(context).hasNotFailed()
                        .doesNotHaveBean(MicrometerIdempotencyListener.class));
    }

    @Test
    void applicationsOwnMicrometerListener_wins() {
        MeterRegistry own = new SimpleMeterRegistry();
        MicrometerIdempotencyListener mine = MicrometerIdempotencyListener.of(own);
        PLAIN.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
                .withBean(MicrometerIdempotencyListener.class, () -> mine)
                .run(context -> assertThat(context.getBean(IdempotencyConfig.class).listeners()).containsExactly(mine));
    }

    @Test
    void servletApplication_problemHandlerAheadOfUnorderedAdvice_andTheReplayedHeaderOnTheAspect() {
        SERVLET.run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(IdempotencyProblemHandler.class)
                    .hasSingleBean(IdempotentReplayedHeader.class);
            assertThat(context.getBean(IdempotencyProblemHandler.class).getOrder()).isZero();
            IdempotentReplayedHeader header = context.getBean(IdempotentReplayedHeader.class);
            assertThat(header.headerName()).isEqualTo("Idempotent-Replayed");
            assertThat(context.getBean(IdempotentSpringAspect.class).getReplayMarker()).isSameAs(header);
        });
    }

    @Test
    void reactiveApplication_getsThemToo() {
        new ReactiveWebApplicationContextRunner().withConfiguration(IDEM).run(context ->
                assertThat(context).hasNotFailed().hasSingleBean(IdempotencyProblemHandler.class)
                        .hasSingleBean(IdempotentReplayedHeader.class));
    }

    @Test
    void notAWebApplication_neither() {
        PLAIN.run(context -> {
            assertThat(context).hasNotFailed().doesNotHaveBean(IdempotencyProblemHandler.class)
                    .doesNotHaveBean(ReplayMarker.class);
            assertThat(context.getBean(IdempotentSpringAspect.class).getReplayMarker()).isNull();
        });
    }

    @Test
    void switches_problemDetailsOff_headerOff_headerRenamed() {
        SERVLET.withPropertyValues("idem.web.problem-details=false").run(context ->
                assertThat(context).hasNotFailed().doesNotHaveBean(IdempotencyProblemHandler.class)
                        .hasSingleBean(IdempotentReplayedHeader.class));
        SERVLET.withPropertyValues("idem.web.replayed-header.enabled=false").run(context -> {
            assertThat(context).hasNotFailed().doesNotHaveBean(ReplayMarker.class)
                    .hasSingleBean(IdempotencyProblemHandler.class);
            assertThat(context.getBean(IdempotentSpringAspect.class).getReplayMarker()).isNull();
        });
        SERVLET.withPropertyValues("idem.web.replayed-header.name= Replayed-By-Idem ").run(context ->
                assertThat(context.getBean(IdempotentReplayedHeader.class).headerName()).isEqualTo("Replayed-By-Idem"));
    }

    @Test
    void blankHeaderName_failsStartUp_sayingWhatToSet() {
        SERVLET.withPropertyValues("idem.web.replayed-header.name= ").run(context ->
                assertThat(context).hasFailed().getFailure().rootCause()
                        .hasMessageContaining("idem.web.replayed-header.name is blank")
                        .hasMessageContaining("idem.web.replayed-header.enabled=false"));
    }

    @Test
    void headerNameThatIsNotAToken_failsStartUp_withTheMarkersMessage() {
        SERVLET.withPropertyValues("idem.web.replayed-header.name=Idempotent Replayed").run(context ->
                assertThat(context).hasFailed().getFailure().rootCause()
                        .hasMessageContaining("'Idempotent Replayed' is not an HTTP token"));
    }

    @Test
    void applicationsOwnMarkerAndProblemHandler_win() {
        ReplayMarker mine = (result, method) -> result;
        IdempotencyProblemHandler handler = new IdempotencyProblemHandler();
        SERVLET.withBean(ReplayMarker.class, () -> mine).withBean(IdempotencyProblemHandler.class, () -> handler)
                .run(context -> {
                    assertThat(context).hasNotFailed().doesNotHaveBean(IdempotentReplayedHeader.class);
                    assertThat(context.getBean(IdempotentSpringAspect.class).getReplayMarker()).isSameAs(mine);
                    assertThat(context.getBean(IdempotencyProblemHandler.class)).isSameAs(handler);
                });
    }

    @Test
    void applicationsOwnAspect_keepsOnlyTheProblemHandler() {
        SERVLET.withBean(IdempotentSpringAspect.class, IdempotentSpringAspect::new)
                .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
                .run(context -> assertThat(context).hasNotFailed().hasSingleBean(IdempotencyProblemHandler.class)
                        .doesNotHaveBean(IdempotentReplayedHeader.class)
                        .doesNotHaveBean(MicrometerIdempotencyListener.class));
    }

    @Test
    void withoutProblemDetailInSpringWeb_noHandler() {
        SERVLET.withClassLoader(new FilteredClassLoader("org.springframework.http.ProblemDetail")).run(context ->
                assertThat(context).hasNotFailed().doesNotHaveBean(IdempotencyProblemHandler.class));
    }

    private static ObservationHandler<Observation.Context> recording(List<String> observed) {
        return new ObservationHandler<>() {
            @Override
            public void onStart(Observation.Context context) {
                observed.add(context.getName());
            }

            @Override
            public boolean supportsContext(Observation.Context context) {
                return true;
            }
        };
    }
}
