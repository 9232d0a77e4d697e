package dev.idem.spring.web;

import dev.idem.annotation.Idempotent;
import dev.idem.annotation.OnInFlight;
import dev.idem.spring.IdempotentSpringAspect;
import java.net.URI;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.EnableAspectJAutoProxy;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.config.annotation.EnableWebMvc;

/**
 * A minimal payments API, as an application would write it: the controller's methods are {@code @Idempotent} on the
 * {@code Idempotency-Key} header, the aspect marks replays, and the problem handler maps idem's exceptions. The store
 * is whatever configuration the test installed before the server started.
 */
@Configuration
@EnableWebMvc
@EnableAspectJAutoProxy
class PaymentsApp {

    @Bean
    IdempotentSpringAspect idempotentSpringAspect() {
        IdempotentSpringAspect aspect = new IdempotentSpringAspect(); // the configuration the test installed
        aspect.setReplayMarker(new IdempotentReplayedHeader());
        return aspect;
    }

    @Bean
    IdempotencyProblemHandler idempotencyProblemHandler() {
        return new IdempotencyProblemHandler();
    }

    /** A payment request. */
    public record PaymentRequest(long amountCents, String currency) {
    }

    /** A payment made. */
    public record Payment(String id, long amountCents, String currency) {
    }

    /** The API (a member class of the configuration, so registered with it). Counters are read through methods: the class-based proxy has its own, unused fields. */
    @RestController
    public static class PaymentsController {
        private final AtomicInteger bodyRuns = new AtomicInteger();
        private final AtomicInteger payments = new AtomicInteger();
        private volatile CountDownLatch entered = new CountDownLatch(1);
        private volatile CountDownLatch release = new CountDownLatch(0);

        /** 201 with a Location and the payment; 400 (the controller's own answer) for a non-positive amount. */
        @PostMapping("/payments")
        @Idempotent(key = "#key", fingerprint = "#request")
        public ResponseEntity<Payment> pay(@RequestHeader(name = "Idempotency-Key", required = false) String key,
                @RequestBody PaymentRequest request) {
            bodyRuns.incrementAndGet();
            if (request.amountCents() <= 0) {
                return ResponseEntity.badRequest().header("X-Problem", "amount").build();
            }
            int n = payments.incrementAndGet();
            return ResponseEntity.created(URI.create("/payments/" + n)).header("X-Payment-Number", "" + n)
                    .body(new Payment("pay-" + n, request.amountCents(), request.currency()));
        }

        /** The same, returning the payment itself (200): the header goes on the servlet response. */
        @PostMapping("/payments/plain")
        @Idempotent(key = "#key", fingerprint = "#request")
        public Payment payPlain(@RequestHeader(name = "Idempotency-Key", required = false) String key,
                @RequestBody PaymentRequest request) {
            bodyRuns.incrementAndGet();
            int n = payments.incrementAndGet();
            return new Payment("pay-" + n, request.amountCents(), request.currency());
        }

        /** Holds the call until {@link #releaseSlow()}: a duplicate meanwhile is rejected (409). */
        @PostMapping("/payments/slow")
        @Idempotent(key = "#key", fingerprint = "#request", onInFlight = OnInFlight.REJECT)
        public ResponseEntity<Payment> paySlow(@RequestHeader(name = "Idempotency-Key", required = false) String key,
                @RequestBody PaymentRequest request) throws InterruptedException {
            bodyRuns.incrementAndGet();
            entered.countDown();
            if (!release.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("not released");
            }
            int n = payments.incrementAndGet();
            return ResponseEntity.status(201).body(new Payment("pay-" + n, request.amountCents(),
                    request.currency()));
        }

        public int bodyRuns() {
            return bodyRuns.get();
        }

        /** Makes the next slow call wait for {@link #releaseSlow()}; returns the latch it counts down on entry. */
        public CountDownLatch holdSlow() {
            entered = new CountDownLatch(1);
            release = new CountDownLatch(1);
            return entered;
        }

        public void releaseSlow() {
            release.countDown();
        }
    }
}
