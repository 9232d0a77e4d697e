package com.example.starter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.idem.core.Idempotency;
import dev.idem.store.redisson.RedissonIdempotencyStore;
import dev.idem.store.redisson.testing.RedisServer;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ShopApplicationTest {
    private static final RedisServer REDIS = start();

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Value("${local.server.port}")
    int port;

    @Autowired
    MeterRegistry meters;

    @DynamicPropertySource
    static void redis(DynamicPropertyRegistry registry) {
        registry.add("idem.redisson.address", REDIS::address);
    }

    @AfterAll
    static void stopRedis() {
        Idempotency.reset();
        REDIS.close();
    }

    @Test
    void firstCall201_replayFromRedisWithTheHeader_reused422_allFromTheStarter() throws Exception {
        assertThat(Idempotency.config().defaultStore()).isInstanceOf(RedissonIdempotencyStore.class);
        String key = UUID.randomUUID().toString();

        HttpResponse<String> first = post(key, "{\"card\":\"4242\",\"amountCents\":990}");
        HttpResponse<String> replay = post(key, "{\"card\":\"4242\",\"amountCents\":990}");
        HttpResponse<String> reused = post(key, "{\"card\":\"4242\",\"amountCents\":1990}");

        assertThat(first.statusCode()).isEqualTo(201);
        assertThat(first.headers().firstValue("Idempotent-Replayed")).isEmpty();
        assertThat(replay.statusCode()).isEqualTo(201);
        assertThat(replay.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(replay.headers().firstValue("Location")).isEqualTo(first.headers().firstValue("Location"));
        assertThat(replay.body()).isEqualTo(first.body());
        assertThat(reused.statusCode()).isEqualTo(422);
        assertThat(reused.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));

        assertThat(meters.get("idem.events").tag("idem.event", "replayed").counter().count()).isEqualTo(1.0);
        assertThat(meters.get("idem.call").tag("idem.outcome", "executed").timer().count()).isEqualTo(1);
    }

    @Test
    void theStoresHealth_isUpOnTheActuator() throws Exception {
        HttpResponse<String> health = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/actuator/health")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(health.body()).contains("\"idem\":{\"status\":\"UP\"");
    }

    @Test
    void micrometerIsBoots() {
        assertThat(MeterRegistry.class.getPackage().getImplementationVersion())
                .isEqualTo(System.getProperty("expected.micrometer.version"));
    }

    private HttpResponse<String> post(String key, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/charges"))
                .header("Content-Type", "application/json").header("Idempotency-Key", key)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static RedisServer start() {
        try {
            return RedisServer.start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start redis-server", e);
        }
    }
}
