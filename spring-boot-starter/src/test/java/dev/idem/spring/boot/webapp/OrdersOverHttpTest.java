package dev.idem.spring.boot.webapp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.idem.store.caffeine.CaffeineIdempotencyStore;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootVersion;
import org.springframework.boot.test.context.SpringBootTest;

/** {@link OrdersOverHttpContract} on Spring Boot 3.5 with the default store (Caffeine). */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"management.endpoint.health.show-components=always", "idem.key-prefix=orders:",
            // this module's tests have spring-boot-starter-jdbc for the JDBC store's tests; this app has no database
            "spring.autoconfigure.exclude=org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration"})
class OrdersOverHttpTest extends OrdersOverHttpContract {

    @Test
    void runsOnBoot35_withTheDefaultStore() {
        assertThat(SpringBootVersion.getVersion()).startsWith("3.5.");
        assertThat(config().defaultStore()).isInstanceOf(CaffeineIdempotencyStore.class);
        assertThat(config().keyPrefix()).isEqualTo("orders:");
    }
}
