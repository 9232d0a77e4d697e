package dev.idem.spring.boot.webapp;

import dev.idem.annotation.Idempotent;
import dev.idem.annotation.OnInFlight;
import java.net.URI;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Service;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * A web application that uses the starter with no idem wiring of its own (no advice, no header code): the starter's
 * problem handler and replay header do it. {@code POST /orders}: {@code @Idempotent} on the controller method, which
 * returns a {@code ResponseEntity}; {@code POST /payments}: on a service method that returns a plain object. Shared by
 * the Boot 3.5 test here and the Boot 4.0 one (spring-boot-starter-boot4-tests, through this module's test jar).
 */
@SpringBootApplication
public class OrdersApplication {

    /** Creates the application; Spring does. */
    public OrdersApplication() {
    }

    /**
     * An order request; a repeat must carry the same one.
     *
     * @param item what
     * @param quantity how many; 0 or less is refused with a 400, which is not recorded
     */
    public record OrderRequest(String item, int quantity) {
    }

    /**
     * An order as made; {@code serial} tells a replay (same) from a second run (new).
     *
     * @param item what
     * @param quantity how many
     * @param serial the how-manieth order of this application
     */
    public record Order(String item, int quantity, int serial) {
    }

    /** Makes orders; an order for item {@code slow} waits at a gate the test opens. Not idempotent by itself. */
    @Service
    public static class OrderService {
        final AtomicInteger serials = new AtomicInteger();
        final ConcurrentHashMap<String, CountDownLatch> gates = new ConcurrentHashMap<>();
        final CountDownLatch slowEntered = new CountDownLatch(1);

        /** Creates the service; Spring does. */
        public OrderService() {
        }

        Order make(String key, OrderRequest request) throws InterruptedException {
            if (request.item().equals("slow")) {
                slowEntered.countDown();
                if (!gates.computeIfAbsent(key, k -> new CountDownLatch(1)).await(30, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("the test never opened the gate");
                }
            }
            return new Order(request.item(), request.quantity(), serials.incrementAndGet());
        }

        /**
         * How many orders and payments were made.
         *
         * @return the count
         */
        public int made() {
            return serials.get();
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

    /** Takes payments once per key, on a service method: its result is a plain object. */
    @Service
    public static class PaymentService {
        private final OrderService orders;

        PaymentService(OrderService orders) {
            this.orders = orders;
        }

        /**
         * Takes a payment.
         *
         * @param key the idempotency key
         * @param request what is paid for
         * @return the payment
         * @throws InterruptedException never here
         */
        @Idempotent(key = "#key", fingerprint = "#request")
        public Order pay(String key, OrderRequest request) throws InterruptedException {
            return orders.make(key, request);
        }
    }

    /** POST /orders and POST /payments. */
    @RestController
    public static class OrderController {
        private final OrderService orders;
        private final PaymentService payments;

        OrderController(OrderService orders, PaymentService payments) {
            this.orders = orders;
            this.payments = payments;
        }

        /**
         * Makes an order once per key: 201 with a Location, replayed with status, headers and body; 400 (not
         * recorded, so the corrected request with the same key is made) for a quantity below 1.
         *
         * @param key the Idempotency-Key header
         * @param request the order
         * @return 201 and the order, or 400
         * @throws InterruptedException if interrupted at a slow order's gate
         */
        @PostMapping("/orders")
        @Idempotent(key = "#key", fingerprint = "#request", onInFlight = OnInFlight.REJECT)
        public ResponseEntity<Order> order(@RequestHeader("Idempotency-Key") String key,
                @RequestBody OrderRequest request) throws InterruptedException {
            if (request.quantity() < 1) {
                return ResponseEntity.badRequest().build();
            }
            Order order = orders.make(key, request);
            return ResponseEntity.created(URI.create("/orders/" + order.serial())).body(order);
        }

        /**
         * Takes a payment once per key (the service is {@code @Idempotent}): 201.
         *
         * @param key the Idempotency-Key header
         * @param request what is paid for
         * @return the payment
         * @throws InterruptedException never here
         */
        @PostMapping("/payments")
        @ResponseStatus(HttpStatus.CREATED)
        public Order pay(@RequestHeader("Idempotency-Key") String key, @RequestBody OrderRequest request)
                throws InterruptedException {
            return payments.pay(key, request);
        }
    }
}
