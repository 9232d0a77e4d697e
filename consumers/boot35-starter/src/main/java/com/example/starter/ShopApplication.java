package com.example.starter;

import dev.idem.annotation.Idempotent;
import java.net.URI;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/** POST /charges with an Idempotency-Key: the annotation is the only idem code. */
@SpringBootApplication
public class ShopApplication {
    public static void main(String[] args) {
        SpringApplication.run(ShopApplication.class, args);
    }

    public record ChargeRequest(String card, long amountCents) {
    }

    public record Charge(String card, long amountCents, int number) {
    }

    @RestController
    public static class ChargeController {
        final AtomicInteger charges = new AtomicInteger();

        @PostMapping("/charges")
        @Idempotent(key = "#key", fingerprint = "#request")
        public ResponseEntity<Charge> charge(@RequestHeader("Idempotency-Key") String key,
                @RequestBody ChargeRequest request) {
            Charge charge = new Charge(request.card(), request.amountCents(), charges.incrementAndGet());
            return ResponseEntity.created(URI.create("/charges/" + charge.number())).body(charge);
        }
    }
}
