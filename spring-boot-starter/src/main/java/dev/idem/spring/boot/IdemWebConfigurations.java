package dev.idem.spring.boot;

import dev.idem.spring.ReplayMarker;
import dev.idem.spring.web.IdempotencyProblemHandler;
import dev.idem.spring.web.IdempotentReplayedHeader;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * What the starter adds to a Spring MVC or WebFlux application: idem's exceptions as problem details, and the header
 * on replayed responses. Each backs off for a bean of the application's own and has a switch.
 */
final class IdemWebConfigurations {
    /**
     * The order the starter gives its {@link IdempotencyProblemHandler}: ahead of advice beans without an order (a
     * catch-all {@code @ExceptionHandler(Exception.class)} would otherwise turn a 409 into a 500), behind advice the
     * application orders before 0.
     */
    static final int PROBLEM_HANDLER_ORDER = 0;

    private IdemWebConfigurations() {
    }

    /** {@code idem.web.problem-details}: the {@link IdempotencyProblemHandler} bean. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnWebApplication
    @ConditionalOnClass(name = "org.springframework.http.ProblemDetail")
    @ConditionalOnBooleanProperty(name = "idem.web.problem-details", matchIfMissing = true)
    static class ProblemDetails {

        @Bean
        @ConditionalOnMissingBean
        IdempotencyProblemHandler idempotencyProblemHandler() {
            IdempotencyProblemHandler handler = new IdempotencyProblemHandler();
            handler.setOrder(PROBLEM_HANDLER_ORDER);
            return handler;
        }
    }

    /** {@code idem.web.replayed-header.*}: the {@link ReplayMarker} the starter's aspect uses. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnWebApplication
    @ConditionalOnClass(name = "org.springframework.web.context.request.RequestContextHolder")
    @ConditionalOnBooleanProperty(name = "idem.web.replayed-header.enabled", matchIfMissing = true)
    static class ReplayedHeader {

        @Bean
        @ConditionalOnMissingBean(ReplayMarker.class)
        IdempotentReplayedHeader idempotentReplayedHeader(IdemProperties properties) {
            String name = properties.getWeb().getReplayedHeader().getName();
            if (name == null || name.isBlank()) {
                throw new IllegalStateException("idem.web.replayed-header.name is blank: give a header name, or set"
                        + " idem.web.replayed-header.enabled=false for no header");
            }
            return new IdempotentReplayedHeader(name.strip());
        }
    }
}
