package dev.idem.spring.boot.webapp;

import dev.idem.annotation.Idempotent;
import dev.idem.annotation.OnInFlight;
import dev.idem.core.Idempotency;
import dev.idem.core.IdempotencyInProgressException;
import dev.idem.core.IdempotencyKeyException;
import dev.idem.core.IdempotencyKeyReuseException;
import dev.idem.core.IdempotentResult;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Service;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** A web application that uses the starter with no idem wiring of its own: POST /orders with an Idempotency-Key. */
@SpringBootApplication
public class OrdersApplication {

    /** An order request; it must match on a repeat. */
    public record OrderRequest(String item, int quantity) {
    }

    /** An order as made; {@code serial} tells a replay (same) from a second run (new). */
    public record Order(String item, int quantity, int serial) {
    }

    /** Makes orders once per key; an order for item {@code slow} waits at a gate the test opens. */
    @Service
    public static class OrderService {
        final AtomicInteger serials = new AtomicInteger();
        final ConcurrentHashMap<String, CountDownLatch> gates = new ConcurrentHashMap<>();
        final CountDownLatch slowEntered = new CountDownLatch(1);

        /**
         * Makes an order.
         *
         * @param key the idempotency key
         * @param request the order
         * @return the order
         * @throws InterruptedException if interrupted at the gate
         */
        @Idempotent(key = "#key", fingerprint = "#request", onInFlight = OnInFlight.REJECT)
        public Order order(String key, OrderRequest request) throws InterruptedException {
            if (request.item().equals("slow")) {
                slowEntered.countDown();
                if (!gates.computeIfAbsent(key, k -> new CountDownLatch(1)).await(30, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("the test never opened the gate");
                }
            }
            return new Order(request.item(), request.quantity(), serials.incrementAndGet());
        }

        /**
         * Opens the gate of a slow order.
         *
         * @param key its key
         */
        public void open(String key) {
            gates.computeIfAbsent(key, k -> new CountDownLatch(1)).countDown();
        }

        /**
         * Waits until a slow order's body runs.
         *
         * @throws InterruptedException if interrupted
         */
        public void awaitSlowEntered() throws InterruptedException {
            if (!slowEntered.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the slow order never started");
            }
        }
    }

    /** POST /orders. */
    @RestController
    public static class OrderController {
        private final OrderService orders;

        OrderController(OrderService orders) {
            this.orders = orders;
        }

        /**
         * Makes an order, 201 either way; a replay says so in {@code Idempotent-Replayed}.
         *
         * @param key the Idempotency-Key header
         * @param request the order
         * @return 201 and the order
         * @throws Exception what the service throws
         */
        @PostMapping("/orders")
        public ResponseEntity<Order> order(@RequestHeader("Idempotency-Key") String key,
                @RequestBody OrderRequest request) throws Exception {
            IdempotentResult<Order> result = Idempotency.capture(() -> orders.order(key, request));
            ResponseEntity.BodyBuilder response = ResponseEntity.status(HttpStatus.CREATED);
            if (result.replayed()) {
                response.header("Idempotent-Replayed", "true");
            }
            return response.body(result.value());
        }
    }

    /** The Idempotency-Key pattern's status codes. */
    @RestControllerAdvice
    public static class Problems {
        @ExceptionHandler
        ProblemDetail reused(IdempotencyKeyReuseException e) {
            return ProblemDetail.forStatus(HttpStatus.UNPROCESSABLE_ENTITY);
        }

        @ExceptionHandler
        ProblemDetail inProgress(IdempotencyInProgressException e) {
            return ProblemDetail.forStatus(HttpStatus.CONFLICT);
        }

        @ExceptionHandler
        ProblemDetail badKey(IdempotencyKeyException e) {
            return ProblemDetail.forStatus(HttpStatus.BAD_REQUEST);
        }
    }
}
