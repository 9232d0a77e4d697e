package dev.idem.examples.springboot;

import dev.idem.core.IdempotencyConfig;
import dev.idem.spring.IdempotentSpringAspect;
import dev.idem.store.caffeine.CaffeineIdempotencyStore;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/**
 * A payment service whose {@code POST /payments} honours the {@code Idempotency-Key} header: a retried request gets
 * the first request's payment back instead of paying twice. The only idem-specific wiring is the aspect bean below;
 * Spring Boot's AOP starter turns on the proxying that applies it.
 */
@SpringBootApplication
public class PaymentsApplication {

    /**
     * Starts the service.
     *
     * @param args Spring Boot's arguments, for example {@code --server.port=9090}
     */
    public static void main(String[] args) {
        SpringApplication.run(PaymentsApplication.class, args);
    }

    /**
     * Applies idem to every {@code @Idempotent} method of this application's beans, and configures idem: records
     * live in an in-process Caffeine store (with {@code idem-store-caffeine} on the class path that is also the
     * zero-configuration default; it is spelled out here to show where a shared store would go).
     *
     * @return the aspect
     */
    @Bean
    IdempotentSpringAspect idempotentSpringAspect() {
        return new IdempotentSpringAspect(IdempotencyConfig.builder()
                .defaultStore(CaffeineIdempotencyStore.create())
                .build());
    }
}
