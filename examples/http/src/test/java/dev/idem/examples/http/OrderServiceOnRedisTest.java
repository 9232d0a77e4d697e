package dev.idem.examples.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.idem.core.Idempotency;
import dev.idem.store.redisson.testing.RedisServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The service with {@code --redis}: records live in a real {@code redis-server} started on a free loopback port, so
 * they outlive the service instance that made them and are shared by every instance on the same Redis.
 */
class OrderServiceOnRedisTest {
    private static final String BOOK = "{\"item\":\"book\",\"quantity\":2}";
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private static RedisServer redis;
    private static HttpClient client;
    private final List<OrderService> services = new ArrayList<>();

    @BeforeAll
    static void startRedis() throws IOException {
        redis = RedisServer.start();
        client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(TIMEOUT).build();
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
    }

    @AfterEach
    void stopServices() {
        services.forEach(OrderService::stop);
        Idempotency.reset();
    }

    private OrderService start(int delayMillis) throws IOException {
        OrderService service = OrderService.start(OrderService.Options.parse(
                "--port", "0", "--delay-ms", Integer.toString(delayMillis), "--redis", redis.address()));
        services.add(service);
        return service;
    }

    private HttpResponse<String> post(OrderService service, String key, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(service.baseUri().resolve("/orders"))
                .timeout(TIMEOUT)
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", key)
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void recordsLiveInRedis_soANewInstanceReplaysWhatAnEarlierOneCreated() throws Exception {
        String key = UUID.randomUUID().toString();
        OrderService first = start(0);
        HttpResponse<String> created = post(first, key, BOOK);
        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(post(first, key, BOOK).headers().firstValue("Idempotent-Replayed")).hasValue("true");
        first.stop();

        OrderService second = start(0);
        HttpResponse<String> replay = post(second, key, BOOK);

        assertThat(replay.statusCode()).isEqualTo(201);
        assertThat(replay.body()).isEqualTo(created.body());
        assertThat(replay.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(second.ordersCreated()).isZero();
        assertThat(post(second, key, "{\"item\":\"pen\",\"quantity\":1}").statusCode()).isEqualTo(422);
    }

    @Test
    void fiftyConcurrentDuplicates_createOneOrder() throws Exception {
        OrderService service = start(300);
        String key = UUID.randomUUID().toString();
        int callers = 50;
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        List<Future<HttpResponse<String>>> responses = new ArrayList<>();
        try {
            for (int i = 0; i < callers; i++) {
                responses.add(pool.submit(() -> {
                    go.await();
                    return post(service, key, BOOK);
                }));
            }
            go.countDown();
            List<String> createdBodies = new ArrayList<>();
            for (Future<HttpResponse<String>> future : responses) {
                HttpResponse<String> response = future.get(60, TimeUnit.SECONDS);
                assertThat(response.statusCode()).as(response.body()).isIn(201, 409);
                if (response.statusCode() == 201) {
                    createdBodies.add(response.body());
                }
            }
            assertThat(createdBodies).isNotEmpty().containsOnly(createdBodies.get(0));
        } finally {
            pool.shutdownNow();
        }
        assertThat(service.ordersCreated()).isEqualTo(1);
    }

    @Test
    void unreachableRedis_isAClearStartUpError() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        URI address = URI.create("redis://127.0.0.1:" + closedPort);

        assertThatThrownBy(() -> OrderService.start(OrderService.Options.parse("--port", "0", "--redis",
                address.toString())))
                .isInstanceOf(OrderService.UsageException.class)
                .hasMessageContaining("cannot connect to Redis")
                .hasMessageContaining(address.toString());
    }
}
