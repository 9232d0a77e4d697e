package dev.idem.spring.boot.webapp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.idem.core.Idempotency;
import dev.idem.core.IdempotencyConfig;
import dev.idem.spring.boot.webapp.OrdersApplication.OrderService;
import dev.idem.store.caffeine.CaffeineIdempotencyStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * Spring Boot 3.5: an application with the starter and no idem wiring, over real HTTP on a random port: 201, a replay
 * with {@code Idempotent-Replayed: true} and the same body, 409 for a duplicate while the first runs, 422 for the key
 * with another body, 400 for a blank key, and the store's health on the actuator's endpoint.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"management.endpoint.health.show-components=always", "idem.key-prefix=orders:",
            // this module's tests have spring-boot-starter-jdbc for the JDBC store's tests; this app has no database
            "spring.autoconfigure.exclude=org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration"})
class OrdersOverHttpTest {
    private static final String TWO_BOOKS = "{\"item\":\"book\",\"quantity\":2}";
    private static final String THREE_BOOKS = "{\"item\":\"book\",\"quantity\":3}";

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @Value("${local.server.port}")
    int port;

    @Autowired
    OrderService orders;

    @Autowired
    IdempotencyConfig config;

    @AfterAll
    static void resetIdem() {
        Idempotency.reset();
    }

    @Test
    void theStartersConfiguration_isInForce() {
        assertThat(Idempotency.config()).isSameAs(config);
        assertThat(config.defaultStore()).isInstanceOf(CaffeineIdempotencyStore.class);
        assertThat(config.keyPrefix()).isEqualTo("orders:");
    }

    @Test
    void firstCall201_replay201WithTheHeaderAndTheSameBody() throws Exception {
        String key = UUID.randomUUID().toString();
        HttpResponse<String> first = post(key, TWO_BOOKS);
        HttpResponse<String> replay = post(key, TWO_BOOKS);

        assertThat(first.statusCode()).isEqualTo(201);
        assertThat(first.headers().firstValue("Idempotent-Replayed")).isEmpty();
        assertThat(replay.statusCode()).isEqualTo(201);
        assertThat(replay.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(replay.body()).isEqualTo(first.body()).contains("\"serial\":");
    }

    @Test
    void sameKeyOtherBody_is422() throws Exception {
        String key = UUID.randomUUID().toString();
        assertThat(post(key, TWO_BOOKS).statusCode()).isEqualTo(201);
        HttpResponse<String> reused = post(key, THREE_BOOKS);
        assertThat(reused.statusCode()).isEqualTo(422);
        assertThat(reused.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
    }

    @Test
    void duplicateWhileTheFirstRuns_is409_thenTheFirstCompletes() throws Exception {
        String key = UUID.randomUUID().toString();
        String slow = "{\"item\":\"slow\",\"quantity\":1}";
        CompletableFuture<HttpResponse<String>> first = CompletableFuture.supplyAsync(() -> {
            try {
                return post(key, slow);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        orders.awaitSlowEntered();
        try {
            assertThat(post(key, slow).statusCode()).isEqualTo(409);
        } finally {
            orders.open(key);
        }
        assertThat(first.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(201);
        assertThat(post(key, slow).headers().firstValue("Idempotent-Replayed")).hasValue("true");
    }

    @Test
    void blankKey_is400() throws Exception {
        assertThat(post(" ", TWO_BOOKS).statusCode()).isEqualTo(400);
    }

    @Test
    void actuatorHealth_showsTheStoreUp() throws Exception {
        HttpResponse<String> health = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/actuator/health")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("\"idem\":{\"status\":\"UP\"");
    }

    private HttpResponse<String> post(String key, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/orders"))
                .header("Content-Type", "application/json").header("Idempotency-Key", key)
                .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
