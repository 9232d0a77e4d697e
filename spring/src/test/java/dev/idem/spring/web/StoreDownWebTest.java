package dev.idem.spring.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.idem.core.Idempotency;
import dev.idem.core.IdempotencyConfig;
import dev.idem.spring.web.PaymentsApp.PaymentsController;
import dev.idem.store.redisson.RedissonIdempotencyStore;
import dev.idem.store.redisson.testing.RedisServer;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;

/** Redis gone: the request is not processed, and the client is told so with a 503 problem. */
class StoreDownWebTest {
    private RedisServer redis;
    private RedissonClient client;
    private MvcServer server;

    @BeforeEach
    void start() throws Exception {
        redis = RedisServer.start();
        Config config = new Config();
        config.useSingleServer().setAddress(redis.address());
        client = Redisson.create(config);
        Idempotency.configure(IdempotencyConfig.builder()
                .defaultStore(RedissonIdempotencyStore.builder(client)
                        .commandTimeout(Duration.ofMillis(500)).retryAttempts(0).build())
                .build());
        server = MvcServer.start(PaymentsApp.class);
    }

    @AfterEach
    void stop() throws Exception {
        try {
            server.close();
        } finally {
            Idempotency.reset();
            client.shutdown();
            redis.close();
        }
    }

    @Test
    void redisDown_is503Problem_andTheBodyDoesNotRun() throws Exception {
        String books = "{\"amountCents\":1000,\"currency\":\"EUR\"}";
        assertThat(server.post("/payments", "up", books).statusCode()).isEqualTo(201);
        int runs = server.bean(PaymentsController.class).bodyRuns();

        redis.kill();
        HttpResponse<String> response = server.post("/payments", "down", books);

        WebBehaviourSuite.assertProblem(response, 503);
        assertThat(response.body()).doesNotContain("down");
        assertThat(server.bean(PaymentsController.class).bodyRuns()).isEqualTo(runs);
    }
}
