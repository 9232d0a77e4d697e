package dev.idem.examples.springboot;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A payment service whose {@code POST /payments} honours the {@code Idempotency-Key} header: a retried request gets
 * the first request's payment back instead of paying twice. There is no idem-specific wiring: idem-spring-boot-starter
 * declares the aspect and the store, configured by the {@code idem.*} properties in {@code application.properties}.
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
}
