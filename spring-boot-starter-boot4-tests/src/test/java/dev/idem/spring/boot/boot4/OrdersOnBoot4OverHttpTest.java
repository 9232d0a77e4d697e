package dev.idem.spring.boot.boot4;

import static org.assertj.core.api.Assertions.assertThat;

import dev.idem.spring.boot.webapp.OrdersApplication;
import dev.idem.spring.boot.webapp.OrdersOverHttpContract;
import dev.idem.store.redisson.RedissonIdempotencyStore;
import dev.idem.store.redisson.testing.RedisServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootVersion;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * {@link OrdersOverHttpContract} on Spring Boot 4.0 (split modules, Jackson 3 for the web), with the starter jar as
 * built against Boot 3.5 and the Redis store on Redisson 4 (so idem's Jackson 2 encodes the outcomes, a
 * {@code ResponseEntity} among them, beside Boot's Jackson 3), and Boot 4's health indicator.
 */
@SpringBootTest(classes = OrdersApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"management.endpoint.health.show-components=always", "idem.store=redisson",
                "idem.key-prefix=boot4:"})
class OrdersOnBoot4OverHttpTest extends OrdersOverHttpContract {
    private static final RedisServer REDIS = startRedis();

    @Autowired
    ApplicationContext context;

    private static RedisServer startRedis() {
        try {
            return RedisServer.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @DynamicPropertySource
    static void redis(DynamicPropertyRegistry registry) {
        registry.add("idem.redisson.address", REDIS::address);
    }

    @AfterAll
    static void stopRedis() {
        REDIS.close();
    }

    @Test
    void runsOnBoot4_withTheStartersRedisStore_andBoot4sHealthIndicator() throws Exception {
        assertThat(SpringBootVersion.getVersion()).startsWith("4.0.");
        assertThat(config().defaultStore()).isInstanceOf(RedissonIdempotencyStore.class);
        assertThat(context.getBean("idemHealthIndicator"))
                .isInstanceOf(Class.forName("org.springframework.boot.health.contributor.HealthIndicator"));
        // Boot 3.5's interface is not on this class path at all
        assertThat(getClass().getClassLoader().getResource("org/springframework/boot/actuate/health/HealthIndicator.class"))
                .isNull();
        // the web layer's Jackson 3 and idem's Jackson 2 side by side
        assertThat(Class.forName("tools.jackson.databind.json.JsonMapper")).isNotNull();
        assertThat(Class.forName("com.fasterxml.jackson.databind.ObjectMapper")).isNotNull();
    }
}
