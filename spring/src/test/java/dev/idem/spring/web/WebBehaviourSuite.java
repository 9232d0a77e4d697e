package dev.idem.spring.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.idem.core.Idempotency;
import dev.idem.core.IdempotencyConfig;
import dev.idem.core.spi.IdempotencyStore;
import dev.idem.spring.web.PaymentsApp.PaymentsController;
import java.net.http.HttpResponse;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The web support end to end, over HTTP against a real Spring MVC app on an embedded Tomcat: what a client of a
 * payments API sees. Run once per store (subclasses): Caffeine keeps the ResponseEntity itself, Redis its encoding.
 */
abstract class WebBehaviourSuite {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BOOKS = "{\"amountCents\":1000,\"currency\":\"EUR\"}";

    static MvcServer server;

    /** Installs the store and starts the app; subclasses call it from {@code @BeforeAll}. */
    static void startWith(IdempotencyStore store) throws Exception {
        Idempotency.configure(IdempotencyConfig.builder().defaultStore(store).build());
        server = MvcServer.start(PaymentsApp.class);
    }

    /** Stops the app and resets the configuration; subclasses call it from {@code @AfterAll}. */
    static void stopServer() throws Exception {
        if (server != null) {
            server.close();
            server = null;
        }
        Idempotency.reset();
    }

    private static String newKey() {
        return "key-" + UUID.randomUUID();
    }

    private static PaymentsController controller() {
        return server.bean(PaymentsController.class);
    }

    @Test
    void firstCall_is201_replayHasTheSameStatusHeadersAndBody_andTheReplayedHeader() throws Exception {
        String key = newKey();
        int runs = controller().bodyRuns();

        HttpResponse<String> first = server.post("/payments", key, BOOKS);
        HttpResponse<String> replay = server.post("/payments", key, BOOKS);

        assertThat(first.statusCode()).isEqualTo(201);
        assertThat(first.headers().firstValue("Idempotent-Replayed")).isEmpty();
        assertThat(replay.statusCode()).isEqualTo(201);
        assertThat(replay.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(replay.headers().firstValue("Location")).isEqualTo(first.headers().firstValue("Location"))
                .isPresent();
        assertThat(replay.headers().firstValue("X-Payment-Number"))
                .isEqualTo(first.headers().firstValue("X-Payment-Number")).isPresent();
        assertThat(JSON.readTree(replay.body())).isEqualTo(JSON.readTree(first.body()));
        assertThat(JSON.readTree(first.body()).get("currency").textValue()).isEqualTo("EUR");
        assertThat(controller().bodyRuns()).isEqualTo(runs + 1);
    }

    @Test
    void plainResult_replayCarriesTheHeader_throughTheServletResponse() throws Exception {
        String key = newKey();

        HttpResponse<String> first = server.post("/payments/plain", key, BOOKS);
        HttpResponse<String> replay = server.post("/payments/plain", key, BOOKS);

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.headers().firstValue("Idempotent-Replayed")).isEmpty();
        assertThat(replay.statusCode()).isEqualTo(200);
        assertThat(replay.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(JSON.readTree(replay.body())).isEqualTo(JSON.readTree(first.body()));
    }

    @Test
    void clientError_isNotRecorded_theNextCallRunsAgain_andACorrectedRetrySucceeds() throws Exception {
        String key = newKey();
        String invalid = "{\"amountCents\":0,\"currency\":\"EUR\"}";
        int runs = controller().bodyRuns();

        HttpResponse<String> refused = server.post("/payments", key, invalid);
        HttpResponse<String> refusedAgain = server.post("/payments", key, invalid);

        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.headers().firstValue("X-Problem")).hasValue("amount");
        assertThat(refusedAgain.statusCode()).isEqualTo(400);
        assertThat(refusedAgain.headers().firstValue("Idempotent-Replayed")).isEmpty();
        assertThat(controller().bodyRuns()).isEqualTo(runs + 2); // ran both times: nothing was recorded

        // Had the 400 been recorded, another payload under the key would be a 422.
        HttpResponse<String> corrected = server.post("/payments", key, BOOKS);
        assertThat(corrected.statusCode()).isEqualTo(201);
        assertThat(server.post("/payments", key, BOOKS).headers().firstValue("Idempotent-Replayed")).hasValue("true");
    }

    @Test
    void duplicateWhileTheFirstRuns_withReject_is409Problem() throws Exception {
        String key = newKey();
        CountDownLatch entered = controller().holdSlow();
        CompletableFuture<HttpResponse<String>> first = CompletableFuture.supplyAsync(() -> {
            try {
                return server.post("/payments/slow", key, BOOKS);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        try {
            assertThat(entered.await(30, TimeUnit.SECONDS)).isTrue();

            HttpResponse<String> duplicate = server.post("/payments/slow", key, BOOKS);

            assertProblem(duplicate, 409);
        } finally {
            controller().releaseSlow();
        }
        assertThat(first.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(201);
        assertThat(server.post("/payments/slow", key, BOOKS).headers().firstValue("Idempotent-Replayed"))
                .hasValue("true");
    }

    @Test
    void keyReusedWithAnotherPayload_is422Problem_thatDoesNotShowTheKey() throws Exception {
        String key = newKey();
        assertThat(server.post("/payments", key, BOOKS).statusCode()).isEqualTo(201);
        int runs = controller().bodyRuns();

        HttpResponse<String> reused = server.post("/payments", key, "{\"amountCents\":2000,\"currency\":\"EUR\"}");

        JsonNode problem = assertProblem(reused, 422);
        assertThat(reused.body()).doesNotContain(key);
        assertThat(problem.get("title").textValue()).isNotBlank();
        assertThat(controller().bodyRuns()).isEqualTo(runs);
    }

    @Test
    void missingKey_is400Problem_andTheBodyDoesNotRun() throws Exception {
        int runs = controller().bodyRuns();

        HttpResponse<String> response = server.post("/payments", null, BOOKS);

        assertProblem(response, 400);
        assertThat(controller().bodyRuns()).isEqualTo(runs);
    }

    static JsonNode assertProblem(HttpResponse<String> response, int status) throws Exception {
        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        JsonNode problem = JSON.readTree(response.body());
        assertThat(problem.get("status").intValue()).isEqualTo(status);
        assertThat(problem.get("detail").textValue()).isNotBlank();
        return problem;
    }
}
