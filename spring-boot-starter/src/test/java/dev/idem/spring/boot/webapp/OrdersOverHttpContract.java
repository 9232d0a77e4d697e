package dev.idem.spring.boot.webapp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.idem.core.Idempotency;
import dev.idem.core.IdempotencyConfig;
import dev.idem.micrometer.MicrometerIdempotencyListener;
import dev.idem.spring.boot.webapp.OrdersApplication.OrderService;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
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

/**
 * What a Boot application with the starter and no idem code of its own does over real HTTP, on each Boot line (a
 * subclass per line is the {@code @SpringBootTest}): 201, a replay with {@code Idempotent-Replayed: true} and the same
 * status, headers and body (a {@code ResponseEntity} on a controller, and a plain result of a service), 409 for a
 * duplicate while the first runs, 422 for the key with another body, 400 for a blank key, all as
 * {@code application/problem+json} from the starter's problem handler; a 400 answer is not recorded; the decisions
 * reach the application's meter registry; the store's health is on the actuator's endpoint.
 */
public abstract class OrdersOverHttpContract {
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

    @Autowired
    MeterRegistry meters;

    /** For the subclass. */
    protected OrdersOverHttpContract() {
    }

    /** Goes back to idem's defaults after the class. */
    @AfterAll
    static void resetIdem() {
        Idempotency.reset();
    }

    /**
     * The configuration in force.
     *
     * @return the starter's
     */
    protected IdempotencyConfig config() {
        return config;
    }

    @Test
    void theStartersConfiguration_isInForce() {
        assertThat(Idempotency.config()).isSameAs(config);
    }

    @Test
    void firstCall201_replay201WithTheHeader_andTheSameStatusHeadersAndBody() throws Exception {
        String key = UUID.randomUUID().toString();
        double replayedBefore = decisions("replayed");
        HttpResponse<String> first = post("/orders", key, TWO_BOOKS);
        HttpResponse<String> replay = post("/orders", key, TWO_BOOKS);

        assertThat(first.statusCode()).isEqualTo(201);
        assertThat(first.headers().firstValue("Idempotent-Replayed")).isEmpty();
        assertThat(first.headers().firstValue("Location")).hasValueSatisfying(
                location -> assertThat(location).matches(".*/orders/[0-9]+"));
        assertThat(replay.statusCode()).isEqualTo(201);
        assertThat(replay.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(replay.headers().firstValue("Location")).isEqualTo(first.headers().firstValue("Location"));
        assertThat(replay.body()).isEqualTo(first.body()).contains("\"serial\":");
        assertThat(decisions("replayed") - replayedBefore).isEqualTo(1.0);
    }

    @Test
    void aServiceResult_replayedWithTheHeaderOnTheServletResponse() throws Exception {
        String key = UUID.randomUUID().toString();
        HttpResponse<String> first = post("/payments", key, TWO_BOOKS);
        HttpResponse<String> replay = post("/payments", key, TWO_BOOKS);
        assertThat(first.statusCode()).isEqualTo(201);
        assertThat(first.headers().firstValue("Idempotent-Replayed")).isEmpty();
        assertThat(replay.statusCode()).isEqualTo(201);
        assertThat(replay.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(replay.body()).isEqualTo(first.body());
    }

    @Test
    void a400Answer_isNotRecorded_soTheCorrectedRequestWithTheSameKeyIsMade() throws Exception {
        String key = UUID.randomUUID().toString();
        int made = orders.made();
        HttpResponse<String> refused = post("/orders", key, "{\"item\":\"book\",\"quantity\":0}");
        assertThat(refused.statusCode()).isEqualTo(400);
        HttpResponse<String> corrected = post("/orders", key, TWO_BOOKS);
        assertThat(corrected.statusCode()).isEqualTo(201);
        assertThat(corrected.headers().firstValue("Idempotent-Replayed")).isEmpty();
        assertThat(orders.made()).isEqualTo(made + 1);
    }

    @Test
    void sameKeyOtherBody_is422_asProblemDetails() throws Exception {
        String key = UUID.randomUUID().toString();
        assertThat(post("/orders", key, TWO_BOOKS).statusCode()).isEqualTo(201);
        double mismatchesBefore = decisions("mismatch");
        HttpResponse<String> reused = post("/orders", key, THREE_BOOKS);
        assertProblem(reused, 422, "Idempotency key reused");
        assertThat(decisions("mismatch") - mismatchesBefore).isEqualTo(1.0);
    }

    @Test
    void duplicateWhileTheFirstRuns_is409_thenTheFirstCompletes_andIsReplayed() throws Exception {
        String key = UUID.randomUUID().toString();
        String slow = "{\"item\":\"slow\",\"quantity\":1}";
        CompletableFuture<HttpResponse<String>> first = CompletableFuture.supplyAsync(() -> {
            try {
                return post("/orders", key, slow);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        orders.awaitSlowEntered();
        try {
            assertProblem(post("/orders", key, slow), 409, "Request in progress");
        } finally {
            orders.open(key);
        }
        assertThat(first.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(201);
        HttpResponse<String> replay = post("/orders", key, slow);
        assertThat(replay.statusCode()).isEqualTo(201);
        assertThat(replay.headers().firstValue("Idempotent-Replayed")).hasValue("true");
    }

    @Test
    void blankKey_is400_asProblemDetails() throws Exception {
        assertProblem(post("/orders", " ", TWO_BOOKS), 400, "Idempotency key missing or invalid");
    }

    @Test
    void actuatorHealth_showsTheStoreUp() throws Exception {
        HttpResponse<String> health = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/actuator/health")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("\"idem\":{\"status\":\"UP\"");
    }

    private static void assertProblem(HttpResponse<String> response, int status, String title) {
        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(response.body()).contains("\"status\":" + status).contains("\"title\":\"" + title + "\"");
    }

    /** The application's count of one kind of decision, over all methods. */
    private double decisions(String type) {
        return meters.find(MicrometerIdempotencyListener.EVENTS).tag(MicrometerIdempotencyListener.EVENT_TAG, type)
                .counters().stream().mapToDouble(Counter::count).sum();
    }

    private HttpResponse<String> post(String path, String key, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", "application/json").header("Idempotency-Key", key)
                .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
