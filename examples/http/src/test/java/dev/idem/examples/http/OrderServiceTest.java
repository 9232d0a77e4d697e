package dev.idem.examples.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.idem.core.Idempotency;
import dev.idem.core.spi.ClaimResult;
import dev.idem.core.spi.Fingerprint;
import dev.idem.core.spi.IdempotencyStore;
import dev.idem.core.spi.Outcome;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Drives the running service over loopback with {@link HttpClient}, as a client would: every status code of
 * {@code POST /orders}, the problem+json bodies, and concurrent duplicates. Each test starts its own service on a free
 * port; the number of orders it created ({@link OrderService#ordersCreated()}) shows how often the body ran.
 */
class OrderServiceTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final String BOOK = "{\"item\":\"book\",\"quantity\":2}";
    private static final String PEN = "{\"item\":\"pen\",\"quantity\":1}";
    private static final int CONCURRENT_REQUESTS = 50;

    private static HttpClient client;
    private static ExecutorService callers;
    private final List<OrderService> services = new ArrayList<>();

    @BeforeAll
    static void startClient() {
        callers = Executors.newFixedThreadPool(CONCURRENT_REQUESTS);
        client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(TIMEOUT)
                .build();
    }

    @AfterAll
    static void stopClient() {
        callers.shutdownNow();
    }

    @AfterEach
    void stopServices() {
        services.forEach(OrderService::stop);
        Idempotency.reset();
    }

    private OrderService start(Duration delay) throws IOException {
        return start(delay, null);
    }

    private OrderService start(Duration delay, IdempotencyStore store) throws IOException {
        OrderService.Options options = OrderService.Options.of(0, delay);
        OrderService service = store == null ? OrderService.start(options) : OrderService.start(options, store);
        services.add(service);
        return service;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // 201 and replays

    @Test
    void firstCall_creates201WithTheOrder() throws Exception {
        OrderService service = start(Duration.ZERO);

        HttpResponse<String> response = post(service, newKey(), BOOK);

        assertThat(response.statusCode()).isEqualTo(201);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(response.headers().firstValue(OrderService.REPLAYED_HEADER)).isEmpty();
        JsonNode order = JSON.readTree(response.body());
        assertThat(order.get("id").asLong()).isEqualTo(1);
        assertThat(order.get("item").asText()).isEqualTo("book");
        assertThat(order.get("quantity").asInt()).isEqualTo(2);
        assertThat(order.get("createdAt").asText()).isNotBlank();
        assertThat(response.headers().firstValue("Location")).hasValue("/orders/1");
        assertThat(service.ordersCreated()).isEqualTo(1);

        HttpResponse<String> fetched = send(HttpRequest.newBuilder(service.baseUri().resolve("/orders/1")).GET());
        assertThat(fetched.statusCode()).isEqualTo(200);
        assertThat(fetched.body()).isEqualTo(response.body());
    }

    @Test
    void retry_replaysTheSame201AndBody_withIdempotentReplayed() throws Exception {
        OrderService service = start(Duration.ZERO);
        String key = newKey();

        HttpResponse<String> first = post(service, key, BOOK);
        HttpResponse<String> second = post(service, key, BOOK);
        HttpResponse<String> third = post(service, key, "{ \"quantity\": 2, \"item\": \"book\" }"); // equal value

        assertThat(first.statusCode()).isEqualTo(201);
        for (HttpResponse<String> replay : List.of(second, third)) {
            assertThat(replay.statusCode()).isEqualTo(201);
            assertThat(replay.body()).isEqualTo(first.body());
            assertThat(replay.headers().firstValue(OrderService.REPLAYED_HEADER)).hasValue("true");
            assertThat(replay.headers().firstValue("Location")).isEqualTo(first.headers().firstValue("Location"));
        }
        assertThat(service.ordersCreated()).isEqualTo(1);

        HttpResponse<String> otherKey = post(service, newKey(), BOOK);
        assertThat(otherKey.statusCode()).isEqualTo(201);
        assertThat(otherKey.headers().firstValue(OrderService.REPLAYED_HEADER)).isEmpty();
        assertThat(service.ordersCreated()).isEqualTo(2);
    }

    @Test
    void theSdStringFormOfTheKey_isTheSameKeyAsTheBareForm() throws Exception {
        OrderService service = start(Duration.ZERO);

        HttpResponse<String> bare = post(service, "order-42", BOOK);
        HttpResponse<String> quoted = post(service, "\"order-42\"", BOOK);

        assertThat(bare.statusCode()).isEqualTo(201);
        assertThat(quoted.statusCode()).isEqualTo(201);
        assertThat(quoted.headers().firstValue(OrderService.REPLAYED_HEADER)).hasValue("true");
        assertThat(service.ordersCreated()).isEqualTo(1);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // 409 and 422

    @Test
    void duplicateWhileTheFirstCallRuns_gets409_andTheFirstCallStillCreatesOneOrder() throws Exception {
        OrderService service = start(Duration.ofSeconds(2));
        String key = newKey();

        CompletableFuture<HttpResponse<String>> first = postAsync(service, key, BOOK);
        awaitTrue(() -> service.ordersBeingCreated() == 1, "the first call is creating its order");

        HttpResponse<String> duplicate = post(service, key, BOOK);
        assertProblem(duplicate, 409, "idempotency-key-in-progress");
        assertThat(duplicate.headers().firstValue("Retry-After")).hasValue("1");

        HttpResponse<String> otherBody = post(service, key, PEN);
        assertProblem(otherBody, 422, "idempotency-key-reused");

        HttpResponse<String> firstResponse = first.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        assertThat(firstResponse.statusCode()).isEqualTo(201);
        assertThat(firstResponse.headers().firstValue(OrderService.REPLAYED_HEADER)).isEmpty();

        HttpResponse<String> retry = post(service, key, BOOK);
        assertThat(retry.statusCode()).isEqualTo(201);
        assertThat(retry.headers().firstValue(OrderService.REPLAYED_HEADER)).hasValue("true");
        assertThat(retry.body()).isEqualTo(firstResponse.body());
        assertThat(service.ordersCreated()).isEqualTo(1);
    }

    @Test
    void sameKeyWithADifferentBody_gets422_andCreatesNothing() throws Exception {
        OrderService service = start(Duration.ZERO);
        String key = newKey();
        HttpResponse<String> first = post(service, key, BOOK);

        HttpResponse<String> reused = post(service, key, PEN);
        HttpResponse<String> reusedQuantity = post(service, key, "{\"item\":\"book\",\"quantity\":3}");

        assertProblem(reused, 422, "idempotency-key-reused");
        assertProblem(reusedQuantity, 422, "idempotency-key-reused");
        assertThat(service.ordersCreated()).isEqualTo(1);
        // the record is untouched: the original request still replays
        HttpResponse<String> retry = post(service, key, BOOK);
        assertThat(retry.statusCode()).isEqualTo(201);
        assertThat(retry.body()).isEqualTo(first.body());
    }

    // ---------------------------------------------------------------------------------------------------------------
    // 400

    @Test
    void missingKey_gets400() throws Exception {
        OrderService service = start(Duration.ZERO);

        HttpResponse<String> response = send(HttpRequest.newBuilder(ordersUri(service))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(BOOK)));

        assertProblem(response, 400, "idempotency-key-missing");
        assertThat(service.ordersCreated()).isZero();
    }

    @Test
    void emptyKey_gets400() throws Exception {
        OrderService service = start(Duration.ZERO);

        assertProblem(post(service, "", BOOK), 400, "idempotency-key-malformed");
        assertProblem(post(service, "   ", BOOK), 400, "idempotency-key-malformed");
        assertProblem(post(service, "\"\"", BOOK), 400, "idempotency-key-malformed");
        assertThat(service.ordersCreated()).isZero();
    }

    @Test
    void keyLongerThan255Characters_gets400_and255AreAccepted() throws Exception {
        OrderService service = start(Duration.ZERO);

        HttpResponse<String> tooLong = post(service, "k".repeat(256), BOOK);
        assertProblem(tooLong, 400, "idempotency-key-malformed");
        assertThat(JSON.readTree(tooLong.body()).get("detail").asText()).contains("256", "255");
        assertThat(service.ordersCreated()).isZero();

        assertThat(post(service, "k".repeat(255), BOOK).statusCode()).isEqualTo(201);
        assertThat(service.ordersCreated()).isEqualTo(1);
    }

    @Test
    void nonAsciiKey_gets400() throws Exception {
        OrderService service = start(Duration.ZERO);

        // java.net.http.HttpClient sends '?' for a non-ASCII header character, so this goes over a raw socket: the
        // UTF-8 bytes of "commande-é", as a careless client would send them.
        RawResponse utf8 = rawPost(service, "commande-é".getBytes(StandardCharsets.UTF_8));
        RawResponse latin1 = rawPost(service, "commande-é".getBytes(StandardCharsets.ISO_8859_1));

        for (RawResponse response : List.of(utf8, latin1)) {
            assertProblem(response.status(), response.header("Content-Type"),
                    response.header(OrderService.REPLAYED_HEADER), response.body(), 400, "idempotency-key-malformed");
            assertThat(JSON.readTree(response.body()).get("detail").asText()).contains("printable ASCII");
        }
        assertThat(service.ordersCreated()).isZero();

        // the same raw request with an ASCII key is accepted, so the 400s above are about the key alone
        assertThat(rawPost(service, "commande-e".getBytes(StandardCharsets.US_ASCII)).status()).isEqualTo(201);
    }

    @Test
    void keySentTwice_gets400() throws Exception {
        OrderService service = start(Duration.ZERO);

        HttpResponse<String> response = send(HttpRequest.newBuilder(ordersUri(service))
                .header("Idempotency-Key", "a")
                .header("Idempotency-Key", "b")
                .POST(HttpRequest.BodyPublishers.ofString(BOOK)));

        assertProblem(response, 400, "idempotency-key-malformed");
    }

    @Test
    void bodyThatIsNotAnOrder_gets400_recordsNothing_andTheKeyStaysUsable() throws Exception {
        OrderService service = start(Duration.ZERO);
        String key = newKey();

        for (String body : List.of("{\"item\":", "not json", "", "null", "[1,2]", "{\"item\":\"book\"}",
                "{\"item\":\"book\",\"quantity\":0}", "{\"item\":\" \",\"quantity\":1}",
                "{\"item\":\"book\",\"quantity\":2,\"price\":3}", BOOK + " {}")) {
            HttpResponse<String> response = post(service, key, body);
            assertProblem(response, 400, "invalid-body");
        }
        assertThat(service.ordersCreated()).isZero();
        assertThat(detail(post(service, key, "{\"item\":"))).startsWith("the body is not valid JSON (line 1, column");
        assertThat(detail(post(service, key, "{\"item\":\"book\",\"quantity\":2,\"price\":3}")))
                .startsWith("unknown field \"price\"");
        assertThat(detail(post(service, key, "{\"item\":\"book\",\"quantity\":\"two\"}")))
                .startsWith("field \"quantity\" is missing or has the wrong type");
        assertThat(detail(post(service, key, "{\"item\":\"book\"}")))
                .startsWith("field \"quantity\" is missing or has the wrong type");
        assertThat(detail(post(service, key, "{\"item\":\"book\",\"quantity\":0}")))
                .startsWith("\"quantity\" must be at least 1");

        // a 400 is answered before idem sees the request: the client may fix the body and keep its key
        assertThat(post(service, key, BOOK).statusCode()).isEqualTo(201);
        assertThat(service.ordersCreated()).isEqualTo(1);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // 503

    @Test
    void storeFailure_gets503_andCreatesNothing() throws Exception {
        OrderService service = start(Duration.ZERO, new FailingStore());

        HttpResponse<String> response = post(service, newKey(), BOOK);

        assertProblem(response, 503, "idempotency-store-unavailable");
        assertThat(response.headers().firstValue("Retry-After")).isPresent();
        assertThat(response.body()).doesNotContain("connection refused"); // internals stay in the server's log
        assertThat(service.ordersCreated()).isZero();
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Concurrent requests

    @Test
    void concurrentDuplicates_createExactlyOneOrder_andGet201Or409() throws Exception {
        OrderService service = start(Duration.ofMillis(300));
        String key = newKey();

        List<HttpResponse<String>> responses = postAtOnce(service, i -> key);

        assertThat(service.ordersCreated()).isEqualTo(1);
        assertThat(responses).extracting(HttpResponse::statusCode).isSubsetOf(201, 409);
        List<HttpResponse<String>> created = responses.stream().filter(r -> r.statusCode() == 201).toList();
        assertThat(created).isNotEmpty();
        assertThat(created.stream().map(HttpResponse::body).collect(Collectors.toSet())).hasSize(1);
        assertThat(created.stream().filter(r -> r.headers().firstValue(OrderService.REPLAYED_HEADER).isEmpty()))
                .as("exactly one 201 is the first call; the others are replays").hasSize(1);
        for (HttpResponse<String> rejected : responses.stream().filter(r -> r.statusCode() == 409).toList()) {
            assertProblem(rejected, 409, "idempotency-key-in-progress");
        }

        HttpResponse<String> retry = post(service, key, BOOK);
        assertThat(retry.statusCode()).isEqualTo(201);
        assertThat(retry.body()).isEqualTo(created.get(0).body());
        assertThat(service.ordersCreated()).isEqualTo(1);
    }

    @Test
    void concurrentRequestsWithDifferentKeys_createOneOrderEach() throws Exception {
        OrderService service = start(Duration.ofMillis(300));
        String prefix = newKey();

        List<HttpResponse<String>> responses = postAtOnce(service, i -> prefix + "-" + i);

        assertThat(responses).extracting(HttpResponse::statusCode).containsOnly(201);
        assertThat(responses).allSatisfy(r ->
                assertThat(r.headers().firstValue(OrderService.REPLAYED_HEADER)).isEmpty());
        Set<Long> ids = new HashSet<>();
        for (HttpResponse<String> response : responses) {
            ids.add(JSON.readTree(response.body()).get("id").asLong());
        }
        assertThat(ids).hasSize(CONCURRENT_REQUESTS);
        assertThat(service.ordersCreated()).isEqualTo(CONCURRENT_REQUESTS);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Other routes, start-up and the command line

    @Test
    void otherMethodsAndPaths_getProblemDetails() throws Exception {
        OrderService service = start(Duration.ZERO);

        HttpResponse<String> get = send(HttpRequest.newBuilder(ordersUri(service)).GET());
        assertThat(get.statusCode()).isEqualTo(405);
        assertThat(get.headers().firstValue("Allow")).hasValue("POST");
        assertThat(get.headers().firstValue("Content-Type")).hasValue("application/problem+json");

        HttpResponse<String> unknownOrder = send(HttpRequest.newBuilder(service.baseUri().resolve("/orders/7")).GET());
        assertThat(unknownOrder.statusCode()).isEqualTo(404);
        HttpResponse<String> unknownPath = send(HttpRequest.newBuilder(service.baseUri().resolve("/carts")).GET());
        assertThat(unknownPath.statusCode()).isEqualTo(404);
        assertThat(unknownPath.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    }

    @Test
    void portZero_picksAFreePort_andTheBannerShowsItWithCurlLines() throws Exception {
        OrderService service = start(Duration.ZERO);
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8)) {
            service.printBanner(out);
        }

        assertThat(service.port()).isPositive();
        assertThat(buffer.toString(StandardCharsets.UTF_8))
                .contains("http://127.0.0.1:" + service.port() + "/orders")
                .contains("curl -i http://127.0.0.1:" + service.port() + "/orders")
                .contains("Idempotency-Key: order-1");
    }

    @Test
    void stop_closesThePort_andCanBeCalledTwice() throws Exception {
        OrderService service = start(Duration.ZERO);
        URI orders = ordersUri(service);

        service.stop();
        service.stop();
        service.awaitStop();

        assertThatThrownBy(() -> client.send(HttpRequest.newBuilder(orders).timeout(TIMEOUT)
                .POST(HttpRequest.BodyPublishers.ofString(BOOK)).build(), HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(IOException.class);
    }

    @Test
    void stop_letsARunningRequestFinish() throws Exception {
        OrderService service = start(Duration.ofMillis(500));
        CompletableFuture<HttpResponse<String>> running = postAsync(service, newKey(), BOOK);
        awaitTrue(() -> service.ordersBeingCreated() == 1, "the request is creating its order");

        service.stop();

        assertThat(running.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS).statusCode()).isEqualTo(201);
        assertThat(service.ordersCreated()).isEqualTo(1);
    }

    @Test
    void commandLine_parsesOptions_andRejectsBadOnes() {
        OrderService.Options defaults = OrderService.Options.parse();
        assertThat(defaults.port()).isEqualTo(8080);
        assertThat(defaults.delay()).isEqualTo(OrderService.Options.DEFAULT_DELAY);
        assertThat(defaults.redis()).isNull();

        OrderService.Options options = OrderService.Options.parse("--port", "0", "--delay-ms=5000");
        assertThat(options.port()).isZero();
        assertThat(options.delay()).isEqualTo(Duration.ofSeconds(5));
        assertThat(OrderService.Options.parse("--help").help()).isTrue();

        assertThatThrownBy(() -> OrderService.Options.parse("--port", "70000"))
                .isInstanceOf(OrderService.UsageException.class).hasMessageContaining("--port");
        assertThatThrownBy(() -> OrderService.Options.parse("--delay-ms"))
                .isInstanceOf(OrderService.UsageException.class).hasMessageContaining("needs a value");
        assertThatThrownBy(() -> OrderService.Options.parse("--verbose"))
                .isInstanceOf(OrderService.UsageException.class).hasMessageContaining("unknown option");
        assertThatThrownBy(() -> OrderService.Options.parse("--redis", "localhost:6379"))
                .isInstanceOf(OrderService.UsageException.class).hasMessageContaining("redis://");
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Helpers

    private static String newKey() {
        return UUID.randomUUID().toString();
    }

    private static URI ordersUri(OrderService service) {
        return service.baseUri().resolve("/orders");
    }

    private static HttpRequest.Builder postRequest(OrderService service, String key, String body) {
        return HttpRequest.newBuilder(ordersUri(service))
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", key)
                .POST(HttpRequest.BodyPublishers.ofString(body));
    }

    private static HttpResponse<String> post(OrderService service, String key, String body) throws Exception {
        return send(postRequest(service, key, body));
    }

    private static CompletableFuture<HttpResponse<String>> postAsync(OrderService service, String key, String body) {
        return client.sendAsync(postRequest(service, key, body).timeout(TIMEOUT).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return client.send(request.timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    /** Sends {@link #CONCURRENT_REQUESTS} POSTs of {@link #BOOK}, released together by one latch. */
    private static List<HttpResponse<String>> postAtOnce(OrderService service, java.util.function.IntFunction<String> key)
            throws Exception {
        CountDownLatch ready = new CountDownLatch(CONCURRENT_REQUESTS);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<HttpResponse<String>>> futures = new ArrayList<>();
        for (int i = 0; i < CONCURRENT_REQUESTS; i++) {
            HttpRequest request = postRequest(service, key.apply(i), BOOK).timeout(TIMEOUT).build();
            futures.add(callers.submit(() -> {
                ready.countDown();
                go.await();
                return client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            }));
        }
        assertThat(ready.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).as("all callers ready").isTrue();
        go.countDown();
        List<HttpResponse<String>> responses = new ArrayList<>();
        for (Future<HttpResponse<String>> future : futures) {
            responses.add(future.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS));
        }
        return responses;
    }

    private static void assertProblem(HttpResponse<String> response, int status, String typeSuffix)
            throws IOException {
        assertProblem(response.statusCode(), response.headers().firstValue("Content-Type"),
                response.headers().firstValue(OrderService.REPLAYED_HEADER), response.body(), status, typeSuffix);
    }

    private static String detail(HttpResponse<String> response) throws IOException {
        return JSON.readTree(response.body()).get("detail").asText();
    }

    /** An RFC 9457 problem: its media type and its four members, consistent with the response's status. */
    private static void assertProblem(int actualStatus, Optional<String> contentType, Optional<String> replayed,
            String body, int status, String typeSuffix) throws IOException {
        assertThat(actualStatus).as("status of %s", body).isEqualTo(status);
        assertThat(contentType).hasValue("application/problem+json");
        assertThat(replayed).isEmpty();
        JsonNode problem = JSON.readTree(body);
        assertThat(problem.get("type").asText()).startsWith("tag:").endsWith("/" + typeSuffix);
        assertThat(problem.get("title").asText()).isNotBlank();
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(problem.get("detail").asText()).isNotBlank();
    }

    /** A response read off a raw socket. */
    private record RawResponse(int status, Map<String, String> headers, String body) {
        Optional<String> header(String name) {
            return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
        }
    }

    /** POSTs {@link #BOOK} with the key's bytes as they are, which {@link HttpClient} would not send. */
    private static RawResponse rawPost(OrderService service, byte[] key) throws IOException {
        byte[] body = BOOK.getBytes(StandardCharsets.UTF_8);
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), service.port())) {
            socket.setSoTimeout((int) TIMEOUT.toMillis());
            OutputStream out = socket.getOutputStream();
            out.write(("POST /orders HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                    + "Content-Type: application/json\r\nContent-Length: " + body.length + "\r\nIdempotency-Key: ")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(key);
            out.write("\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int headEnd = response.indexOf("\r\n\r\n");
            String[] head = response.substring(0, headEnd).split("\r\n");
            Map<String, String> headers = new HashMap<>();
            for (int i = 1; i < head.length; i++) {
                int colon = head[i].indexOf(':');
                headers.put(head[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                        head[i].substring(colon + 1).trim());
            }
            return new RawResponse(Integer.parseInt(head[0].split(" ")[1]), headers,
                    response.substring(headEnd + 4));
        }
    }

    /** Waits (bounded) for a condition that another thread makes true. */
    private static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() - deadline).as("timed out waiting until " + what).isNegative();
            Thread.sleep(5);
        }
    }

    /** A store whose backend is unreachable: every operation fails, as a store's client would. */
    private static final class FailingStore implements IdempotencyStore {
        private static RuntimeException down() {
            return new IllegalStateException("connection refused: 127.0.0.1:6379");
        }

        @Override
        public CompletionStage<ClaimResult> claim(String key, String token, Fingerprint fingerprint, long nowMillis,
                long leaseMillis) {
            return CompletableFuture.failedFuture(down());
        }

        @Override
        public CompletionStage<Boolean> complete(String key, String token, Fingerprint fingerprint, Outcome outcome,
                long nowMillis, long ttlMillis) {
            return CompletableFuture.failedFuture(down());
        }

        @Override
        public CompletionStage<Boolean> release(String key, String token, long nowMillis) {
            return CompletableFuture.failedFuture(down());
        }

        @Override
        public CompletionStage<Boolean> renew(String key, String token, long nowMillis, long leaseMillis) {
            return CompletableFuture.failedFuture(down());
        }

        @Override
        public CompletionStage<?> whenSettled(String key) {
            return CompletableFuture.failedFuture(down());
        }

        @Override
        public boolean keepsObjects() {
            return true;
        }
    }
}
