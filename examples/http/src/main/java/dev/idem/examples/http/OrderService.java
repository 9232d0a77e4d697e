package dev.idem.examples.http;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.idem.annotation.OnInFlight;
import dev.idem.core.Idempotency;
import dev.idem.core.IdempotencyConfig;
import dev.idem.core.IdempotencyInProgressException;
import dev.idem.core.IdempotencyKeyException;
import dev.idem.core.IdempotencyKeyReuseException;
import dev.idem.core.IdempotencyStoreException;
import dev.idem.core.IdempotentOperation;
import dev.idem.core.IdempotentResult;
import dev.idem.core.spi.IdempotencyStore;
import dev.idem.store.caffeine.CaffeineIdempotencyStore;
import dev.idem.store.redisson.RedissonIdempotencyStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.redisson.config.Config;

/**
 * An order service on the JDK's own HTTP server that makes {@code POST /orders} idempotent with the
 * {@code Idempotency-Key} header, as the IETF httpapi draft and Stripe do:
 *
 * <table>
 *   <caption>responses of POST /orders</caption>
 *   <tr><th>request</th><th>response</th></tr>
 *   <tr><td>first call with a key</td><td>201, the order as JSON, {@code Location: /orders/{id}}</td></tr>
 *   <tr><td>a retry (same key, same body)</td><td>the same status and body, plus {@code Idempotent-Replayed: true}
 *       </td></tr>
 *   <tr><td>a retry while the first call still runs</td><td>409, {@code Retry-After: 1}</td></tr>
 *   <tr><td>same key, different body</td><td>422</td></tr>
 *   <tr><td>key missing or malformed ({@link IdempotencyKeyHeader}), or the body is not an order</td><td>400</td>
 *       </tr>
 *   <tr><td>the idempotency store fails</td><td>503 (the order is not created)</td></tr>
 * </table>
 *
 * <p>Errors are RFC 9457 {@code application/problem+json} bodies. A request that fails validation (400) is answered
 * before idem sees it, so it records nothing and the client may fix it and retry with the same key.
 *
 * <p>All of it is one {@link IdempotentOperation}, built at start-up: the key is the header's value, the payload is the
 * parsed body (an {@link OrderRequest} record, compared by value), and a duplicate that arrives while the first call
 * runs is rejected ({@link OnInFlight#REJECT}) rather than held open. {@link IdempotentResult#replayed()} sets the
 * {@code Idempotent-Replayed} header.
 *
 * <p>Run it with {@code mvn -B -q -pl examples/http -am package -DskipTests -Pdemo} from the repository root (see
 * {@code examples/http/README.md}). Thread-safe.
 */
public final class OrderService implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(OrderService.class.getName());

    /** The header set on a replayed response. */
    static final String REPLAYED_HEADER = "Idempotent-Replayed";

    static {
        // The JDK server writes a response's headers and body separately; with Nagle's algorithm on, the body then
        // waits for the client's delayed ACK (about 40 ms a response). Read once, when the server classes load.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    /** How long {@link #stop()} lets running requests finish. */
    static final Duration STOP_GRACE = Duration.ofSeconds(2);

    /** Threads that serve requests; a request blocks one while its order is created. */
    private static final int HANDLER_THREADS = 64;

    private final Options options;
    private final String storeName;
    private final IdempotentOperation<Order> createOrder;
    private final HttpServer server;
    private final ExecutorService handlers;
    private final AtomicLong ids = new AtomicLong();
    private final AtomicInteger creating = new AtomicInteger();
    private final Map<Long, Order> orders = new ConcurrentHashMap<>();
    private final AtomicInteger activeRequests = new AtomicInteger();
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final CountDownLatch stopped = new CountDownLatch(1);
    /** The store this service made from its options (and closes when it stops); null if the caller brought one. */
    private volatile IdempotencyStore ownedStore;

    private OrderService(Options options, IdempotencyStore store) throws IOException {
        this.options = options;
        this.storeName = store.getClass().getSimpleName();
        // This app owns idem's configuration: one store, the default one.
        Idempotency.configure(IdempotencyConfig.builder().defaultStore(store).build());
        this.createOrder = Idempotency.operation("orders.create", Order.class)
                .ttl(Duration.ofHours(24))
                .onInFlight(OnInFlight.REJECT)
                .build();
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), options.port()), 256);
        AtomicInteger threadNumber = new AtomicInteger();
        this.handlers = Executors.newFixedThreadPool(HANDLER_THREADS, runnable -> {
            Thread thread = new Thread(runnable, "order-service-" + threadNumber.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(handlers);
        server.createContext("/orders", this::handle);
        server.createContext("/", exchange -> {
            try (exchange) {
                sendProblem(exchange, Problem.notFound("no resource at " + exchange.getRequestURI().getPath()
                        + "; try POST /orders"));
            }
        });
    }

    /**
     * Starts the service with the store the options ask for (see {@link #storeFor}).
     *
     * @param options the options
     * @return the running service
     * @throws IOException if the port cannot be bound
     * @throws UsageException if the options ask for a store that cannot be used
     */
    public static OrderService start(Options options) throws IOException {
        IdempotencyStore store = storeFor(options);
        OrderService service;
        try {
            service = start(options, store);
        } catch (IOException | RuntimeException e) {
            closeQuietly(store);
            throw e;
        }
        service.ownedStore = store;
        return service;
    }

    private static void closeQuietly(IdempotencyStore store) {
        if (store instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                System.err.println("warning: closing the store failed: " + e);
            }
        }
    }

    /**
     * Starts the service with the given idempotency store (tests use this to bring a store of their own). It installs
     * an idem configuration with that store as the default store.
     *
     * @param options the options; {@code redis} is ignored
     * @param store the idempotency store
     * @return the running service
     * @throws IOException if the port cannot be bound
     */
    public static OrderService start(Options options, IdempotencyStore store) throws IOException {
        OrderService service = new OrderService(options, store);
        service.server.start();
        return service;
    }

    /**
     * The idempotency store the options ask for: the in-process Caffeine store unless {@code --redis} is given.
     *
     * @param options the options
     * @return the store
     * @throws UsageException if it cannot be created
     */
    static IdempotencyStore storeFor(Options options) {
        if (options.redis() == null) {
            return CaffeineIdempotencyStore.create();
        }
        return redisStore(options.redis());
    }

    /**
     * The Redis store at the given address, on a Redisson client of its own that {@link #stop()} shuts down. Every
     * instance of the service started with the same address shares its records.
     *
     * @param address a {@code redis://} or {@code rediss://} address
     * @return the store
     * @throws UsageException if Redis cannot be reached
     */
    static IdempotencyStore redisStore(URI address) {
        Config config = new Config();
        config.useSingleServer()
                .setAddress(address.toString())
                .setTimeout(2_000)        // fail a request within seconds when Redis is in trouble: a 503
                .setRetryAttempts(1)
                .setConnectionPoolSize(HANDLER_THREADS)
                .setConnectionMinimumIdleSize(4);
        try {
            return RedissonIdempotencyStore.fromConfig(config);
        } catch (RuntimeException e) {
            throw new UsageException("--redis " + address + ": cannot connect to Redis (" + e.getMessage() + ")");
        }
    }

    /**
     * The port the service listens on (the chosen one when started with port 0).
     *
     * @return the port
     */
    public int port() {
        return server.getAddress().getPort();
    }

    /**
     * The service's base address, such as {@code http://127.0.0.1:8080}.
     *
     * @return the address
     */
    public URI baseUri() {
        InetSocketAddress address = server.getAddress();
        return URI.create("http://" + address.getAddress().getHostAddress() + ":" + address.getPort());
    }

    /**
     * How many orders were created: each has the next id, so this is also the highest id.
     *
     * @return the number of orders created
     */
    public long ordersCreated() {
        return ids.get();
    }

    /** How many orders are being created right now (inside the artificial delay). */
    int ordersBeingCreated() {
        return creating.get();
    }

    /**
     * Stops the service: requests being served get up to {@link #STOP_GRACE} to finish, then every connection is
     * closed. Idempotent; a second caller waits for the first to finish.
     */
    public void stop() {
        if (!stopping.compareAndSet(false, true)) {
            awaitStopUninterruptibly();
            return;
        }
        // HttpServer.stop(seconds) waits the whole time while a client holds an idle keep-alive connection open, so
        // wait for our own count of running requests instead, then close everything at once.
        long deadline = System.nanoTime() + STOP_GRACE.toNanos();
        try {
            while (activeRequests.get() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        server.stop(0);
        handlers.shutdownNow();
        try {
            handlers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        IdempotencyStore store = ownedStore;
        if (store != null) {
            closeQuietly(store);
        }
        stopped.countDown();
    }

    private void awaitStopUninterruptibly() {
        boolean interrupted = false;
        while (true) {
            try {
                stopped.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stop();
    }

    /**
     * Blocks until {@link #stop()} has run.
     *
     * @throws InterruptedException if interrupted while waiting
     */
    public void awaitStop() throws InterruptedException {
        stopped.await();
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Requests

    private void handle(HttpExchange exchange) throws IOException {
        activeRequests.incrementAndGet();
        try (exchange) {
            try {
                route(exchange);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.ERROR, "request " + exchange.getRequestMethod() + " "
                        + exchange.getRequestURI() + " failed", e);
                if (exchange.getResponseCode() == -1) {
                    sendProblem(exchange, Problem.internalError("the request failed on the server; it is safe to "
                            + "retry with the same Idempotency-Key"));
                }
            }
        } finally {
            activeRequests.decrementAndGet();
        }
    }

    private void route(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String method = exchange.getRequestMethod();
        if (path.equals("/orders") || path.equals("/orders/")) {
            if (method.equals("POST")) {
                createOrder(exchange);
            } else {
                exchange.getResponseHeaders().set("Allow", "POST");
                sendProblem(exchange, Problem.methodNotAllowed(method + " is not supported on /orders; use POST"));
            }
        } else if (path.startsWith("/orders/")) {
            if (method.equals("GET") || method.equals("HEAD")) {
                getOrder(exchange, path.substring("/orders/".length()));
            } else {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                sendProblem(exchange, Problem.methodNotAllowed(method + " is not supported on " + path
                        + "; use GET"));
            }
        } else {
            sendProblem(exchange, Problem.notFound("no resource at " + path + "; try POST /orders"));
        }
    }

    private void createOrder(HttpExchange exchange) throws IOException {
        IdempotencyKeyHeader.Parsed key = IdempotencyKeyHeader.parse(
                exchange.getRequestHeaders().get(IdempotencyKeyHeader.NAME));
        if (key.problem() != null) {
            sendProblem(exchange, key.problem());
            return;
        }
        OrderRequest request;
        try (InputStream body = exchange.getRequestBody()) {
            request = JSON.readValue(body.readAllBytes(), OrderRequest.class);
        } catch (JsonProcessingException e) {
            sendProblem(exchange, Problem.invalidBody(whyNotAnOrder(e)));
            return;
        }
        String invalid = request == null ? "the body is JSON null" : request.problem();
        if (invalid != null) {
            sendProblem(exchange, Problem.invalidBody(invalid));
            return;
        }

        IdempotentResult<Order> result;
        try {
            result = createOrder.call(key.key(), request, () -> create(request));
        } catch (IdempotencyInProgressException e) {
            exchange.getResponseHeaders().set("Retry-After", "1");
            sendProblem(exchange, Problem.inProgress("a request with this Idempotency-Key is still being "
                    + "processed; retry it (with the same key and body) once that one has finished"));
            return;
        } catch (IdempotencyKeyReuseException e) {
            sendProblem(exchange, Problem.keyReused("this Idempotency-Key was already used with a different "
                    + "request body; use a new key for a new order"));
            return;
        } catch (IdempotencyKeyException e) {
            sendProblem(exchange, Problem.keyMalformed(e.getMessage()));
            return;
        } catch (IdempotencyStoreException e) {
            LOG.log(System.Logger.Level.WARNING, "idempotency store failed; no order was created", e);
            exchange.getResponseHeaders().set("Retry-After", "5");
            sendProblem(exchange, Problem.storeUnavailable("the idempotency store is unavailable, so the order "
                    + "was not created; retry later with the same Idempotency-Key"));
            return;
        }

        Order order = result.value();
        Headers headers = exchange.getResponseHeaders();
        headers.set("Location", "/orders/" + order.id());
        if (result.replayed()) {
            headers.set(REPLAYED_HEADER, "true");
        }
        send(exchange, 201, "application/json", json(order));
    }

    /** Says what is wrong with a body in the client's terms, without Jackson's class names and source excerpts. */
    private static String whyNotAnOrder(JsonProcessingException e) {
        String example = "; send an order such as {\"item\": \"book\", \"quantity\": 2}";
        if (e instanceof JsonParseException) {
            JsonLocation at = e.getLocation();
            return "the body is not valid JSON" + (at == null ? "" : " (line " + at.getLineNr() + ", column "
                    + at.getColumnNr() + ")") + example;
        }
        if (e instanceof UnrecognizedPropertyException unknown) {
            return "unknown field \"" + unknown.getPropertyName() + "\"" + example;
        }
        if (e instanceof MismatchedInputException mismatch && !mismatch.getPath().isEmpty()) {
            String field = mismatch.getPath().get(mismatch.getPath().size() - 1).getFieldName();
            if (field != null) {
                return "field \"" + field + "\" is missing or has the wrong type" + example;
            }
        }
        return "the body is not an order" + example;
    }

    /** Creates the order: the body of the idempotent operation, run once per key. */
    private Order create(OrderRequest request) {
        creating.incrementAndGet();
        try {
            if (!options.delay().isZero()) {
                Thread.sleep(options.delay().toMillis()); // the artificial work that holds the call in flight
            }
            long id = ids.incrementAndGet();
            Order order = new Order(id, request.item(), request.quantity(),
                    Instant.now().truncatedTo(ChronoUnit.MILLIS));
            orders.put(id, order);
            return order;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating an order (the service is stopping)", e);
        } finally {
            creating.decrementAndGet();
        }
    }

    private void getOrder(HttpExchange exchange, String id) throws IOException {
        Order order = null;
        try {
            order = orders.get(Long.parseLong(id));
        } catch (NumberFormatException e) {
            // not an order id: 404 below
        }
        if (order == null) {
            sendProblem(exchange, Problem.notFound("no order " + id));
            return;
        }
        send(exchange, 200, "application/json", json(order));
    }

    private static void sendProblem(HttpExchange exchange, Problem problem) throws IOException {
        send(exchange, problem.status(), Problem.MEDIA_TYPE, json(problem));
    }

    /** Compact JSON and a final newline, so that curl's output ends its line. */
    private static byte[] json(Object value) throws IOException {
        return (JSON.writeValueAsString(value) + "\n").getBytes(StandardCharsets.UTF_8);
    }

    private static void send(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        if (exchange.getRequestMethod().equals("HEAD")) {
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Command line

    /**
     * Runs the service until Ctrl-C.
     *
     * @param args {@code [--port N] [--delay-ms N] [--redis redis://host:port] [--help]}
     * @throws Exception if the service cannot start
     */
    public static void main(String[] args) throws Exception {
        Options options;
        IdempotencyStore store;
        try {
            options = Options.parse(args);
            if (options.help()) {
                System.out.println(Options.USAGE);
                return;
            }
            store = storeFor(options);
        } catch (UsageException e) {
            System.err.println("error: " + e.getMessage());
            System.err.println(Options.USAGE);
            System.exit(2);
            return;
        }
        OrderService service;
        try {
            service = start(options, store);
            service.ownedStore = store;
        } catch (BindException e) {
            closeQuietly(store);
            System.err.println("error: cannot listen on 127.0.0.1:" + options.port() + " (" + e.getMessage()
                    + "); choose another port with --port N, or --port 0 for a free one");
            System.exit(2);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(service::stop, "order-service-shutdown"));
        service.printBanner(System.out);
        service.awaitStop();
    }

    /**
     * Prints where the service listens and curl lines to try.
     *
     * @param out where to print
     */
    void printBanner(PrintStream out) {
        String orders = baseUri() + "/orders";
        String post = "curl -i " + orders + " -H 'Content-Type: application/json' ";
        out.println("idem order service listening on " + orders + " (store: " + storeName
                + ", order creation takes " + options.delay().toMillis() + " ms). Try:");
        out.println("  " + post + "-H 'Idempotency-Key: order-1' -d '{\"item\":\"book\",\"quantity\":2}'");
        out.println("      201 Created; run it again: the same 201 and body, plus Idempotent-Replayed: true");
        out.println("  " + post + "-H 'Idempotency-Key: order-1' -d '{\"item\":\"pen\",\"quantity\":1}'");
        out.println("      422: the key was already used with a different body");
        out.println("  " + post + "-d '{\"item\":\"book\",\"quantity\":2}'");
        out.println("      400: no Idempotency-Key");
        out.println("Stop with Ctrl-C.");
        out.flush();
    }

    /** A bad command line or an unusable store choice. */
    public static final class UsageException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }

    /**
     * The command-line options.
     *
     * @param port the port to listen on; 0 picks a free one
     * @param delay how long creating an order takes (artificial work, so that a duplicate can arrive meanwhile)
     * @param redis the Redis address for a shared store, or null for the in-process Caffeine store
     * @param help whether to print the usage and exit
     */
    public record Options(int port, Duration delay, URI redis, boolean help) {

        /** The default port. */
        public static final int DEFAULT_PORT = 8080;

        /** The default time to create an order. */
        public static final Duration DEFAULT_DELAY = Duration.ofMillis(200);

        static final String USAGE = String.join("\n",
                "usage: OrderService [--port N] [--delay-ms N] [--redis redis://host:port]",
                "  --port N        port to listen on, on 127.0.0.1 (default " + DEFAULT_PORT
                        + "; 0 picks a free port)",
                "  --delay-ms N    how long creating an order takes, in ms (default " + DEFAULT_DELAY.toMillis()
                        + "); raise it to see 409 for a retry that arrives meanwhile",
                "  --redis URI     keep idempotency records in Redis (redis://host:port), shared by every instance; default: in this process",
                "  --help          print this and exit");

        /**
         * Options with the given port and delay, the Caffeine store.
         *
         * @param port the port, 0 for a free one
         * @param delay how long creating an order takes
         * @return the options
         */
        public static Options of(int port, Duration delay) {
            return new Options(port, delay, null, false);
        }

        /**
         * Parses a command line: {@code --name value} or {@code --name=value}.
         *
         * @param args the arguments
         * @return the options
         * @throws UsageException for an unknown option or a bad value
         */
        public static Options parse(String... args) {
            int port = DEFAULT_PORT;
            Duration delay = DEFAULT_DELAY;
            URI redis = null;
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                if (arg.equals("--help") || arg.equals("-h")) {
                    return new Options(port, delay, redis, true);
                }
                String name = arg;
                String value = null;
                int equals = arg.indexOf('=');
                if (arg.startsWith("--") && equals > 0) {
                    name = arg.substring(0, equals);
                    value = arg.substring(equals + 1);
                }
                if (!name.equals("--port") && !name.equals("--delay-ms") && !name.equals("--redis")) {
                    throw new UsageException("unknown option '" + arg + "'");
                }
                if (value == null) {
                    if (i + 1 >= args.length) {
                        throw new UsageException(name + " needs a value");
                    }
                    value = args[++i];
                }
                switch (name) {
                    case "--port" -> port = (int) number(name, value, 0, 65_535);
                    case "--delay-ms" -> delay = Duration.ofMillis(number(name, value, 0, 600_000));
                    default -> redis = redisAddress(value);
                }
            }
            return new Options(port, delay, redis, false);
        }

        private static long number(String name, String value, long min, long max) {
            try {
                long n = Long.parseLong(value.trim());
                if (n >= min && n <= max) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new UsageException(name + " must be a whole number from " + min + " to " + max + ", was '"
                    + value + "'");
        }

        private static URI redisAddress(String value) {
            try {
                URI uri = new URI(value);
                if (("redis".equals(uri.getScheme()) || "rediss".equals(uri.getScheme())) && uri.getHost() != null) {
                    return uri;
                }
            } catch (java.net.URISyntaxException e) {
                // reported below
            }
            throw new UsageException("--redis must be an address such as redis://127.0.0.1:6379, was '" + value
                    + "'");
        }
    }
}
