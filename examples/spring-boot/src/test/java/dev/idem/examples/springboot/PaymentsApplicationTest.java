package dev.idem.examples.springboot;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.idem.core.Idempotency;
import dev.idem.core.IdempotencyConfig;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * Drives the running service over loopback with the JDK's HTTP client, as a client that retries would, and counts how
 * often the payment was really made.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class PaymentsApplicationTest {
    private static final String TEN_EUROS = "{\"amountCents\":1000,\"currency\":\"EUR\",\"description\":\"books\"}";
    private static final String TWENTY_EUROS = "{\"amountCents\":2000,\"currency\":\"EUR\",\"description\":\"books\"}";

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final ObjectMapper json = new ObjectMapper();

    @Value("${local.server.port}")
    int port;

    @Autowired
    PaymentService payments;

    @Autowired
    IdempotencyConfig config;

    @AfterAll
    static void resetIdem() {
        Idempotency.reset();
    }

    @Test
    void theStarter_configuredIdemFromApplicationProperties() {
        assertThat(Idempotency.config()).isSameAs(config);
        assertThat(config.defaultStore()).hasToString("CaffeineIdempotencyStore[maximumSize=500000]");
    }

    @Test
    void repeats_returnTheSamePayment_andPayOnce() throws Exception {
        String key = newKey();

        HttpResponse<String> first = post(key, TEN_EUROS);
        HttpResponse<String> second = post(key, TEN_EUROS);
        HttpResponse<String> third = post(key, TEN_EUROS);

        assertThat(first.statusCode()).isEqualTo(201);
        assertThat(first.headers().firstValue("Idempotent-Replayed")).isEmpty();
        assertThat(json.readTree(first.body()).get("amountCents").asLong()).isEqualTo(1000);
        for (HttpResponse<String> repeat : List.of(second, third)) {
            assertThat(repeat.statusCode()).isEqualTo(201);
            assertThat(repeat.headers().firstValue("Idempotent-Replayed")).hasValue("true");
            assertThat(json.readTree(repeat.body())).isEqualTo(json.readTree(first.body()));
        }
        assertThat(payments.paymentsMade(key)).isEqualTo(1);
    }

    @Test
    void anotherKey_makesAnotherPayment() throws Exception {
        String firstId = paymentId(post(newKey(), TEN_EUROS));
        String secondId = paymentId(post(newKey(), TEN_EUROS));

        assertThat(secondId).isNotEqualTo(firstId);
    }

    @Test
    void sameKeyWithAnotherBody_is422_andPaysNothingMore() throws Exception {
        String key = newKey();
        assertThat(post(key, TEN_EUROS).statusCode()).isEqualTo(201);

        HttpResponse<String> reused = post(key, TWENTY_EUROS);

        assertThat(reused.statusCode()).isEqualTo(422);
        assertThat(reused.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(json.readTree(reused.body()).get("title").asText()).isEqualTo("Idempotency key reused");
        assertThat(payments.paymentsMade(key)).isEqualTo(1);
    }

    @Test
    void missingKey_is400() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(uri())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(TEN_EUROS))
                .build();

        assertThat(http.send(request, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(400);
    }

    @Test
    void blankKey_is400() throws Exception {
        assertThat(post(" ", TEN_EUROS).statusCode()).isEqualTo(400);
    }

    @Test
    void concurrentDuplicates_makeOnePayment() throws Exception {
        String key = newKey();
        int callers = 50;
        CountDownLatch start = new CountDownLatch(1);
        List<Future<HttpResponse<String>>> responses = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        try {
            for (int i = 0; i < callers; i++) {
                responses.add(pool.submit(() -> {
                    start.await();
                    return post(key, TEN_EUROS);
                }));
            }
            start.countDown();

            List<String> ids = new ArrayList<>();
            for (Future<HttpResponse<String>> response : responses) {
                HttpResponse<String> r = response.get(60, java.util.concurrent.TimeUnit.SECONDS);
                assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
                ids.add(paymentId(r));
            }
            assertThat(ids).hasSize(callers).containsOnly(ids.get(0));
        } finally {
            pool.shutdownNow();
        }
        assertThat(payments.paymentsMade(key)).isEqualTo(1);
    }

    private HttpResponse<String> post(String key, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(uri())
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", key)
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private String paymentId(HttpResponse<String> response) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return json.readTree(response.body()).get("id").asText();
    }

    private URI uri() {
        return URI.create("http://127.0.0.1:" + port + "/payments");
    }

    private static String newKey() {
        return UUID.randomUUID().toString();
    }
}
