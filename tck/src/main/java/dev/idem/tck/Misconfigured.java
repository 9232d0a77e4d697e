package dev.idem.tck;

import dev.idem.annotation.Idempotent;
import dev.idem.tck.Model.ChargeRequest;
import java.util.concurrent.atomic.AtomicInteger;

/** Woven methods whose annotations are wrong: each call must fail before the body runs. */
class Misconfigured {
    final AtomicInteger runs = new AtomicInteger();

    @Idempotent(key = "#request.idd")
    String unknownProperty(ChargeRequest request) {
        runs.incrementAndGet();
        return "ran";
    }

    @Idempotent(key = "#request.id +")
    String danglingPlus(ChargeRequest request) {
        runs.incrementAndGet();
        return "ran";
    }

    @Idempotent(key = "#reqest.id")
    String unknownParameter(ChargeRequest request) {
        runs.incrementAndGet();
        return "ran";
    }

    @Idempotent(key = "#request.id", ttl = "10x")
    String badTtl(ChargeRequest request) {
        runs.incrementAndGet();
        return "ran";
    }

    @Idempotent(key = "#request.id", lease = "0s")
    String zeroLease(ChargeRequest request) {
        runs.incrementAndGet();
        return "ran";
    }

    @Idempotent(key = "#request.id", ttl = "106751991167d")
    String hugeTtl(ChargeRequest request) {
        runs.incrementAndGet();
        return "ran";
    }

    @Idempotent(key = "#request.id", fingerprint = "#request.amount.")
    String badFingerprint(ChargeRequest request) {
        runs.incrementAndGet();
        return "ran";
    }

    @Idempotent(key = "#request.id", store = "nowhere")
    String unknownStore(ChargeRequest request) {
        runs.incrementAndGet();
        return "ran";
    }

    /** Overloads must not share keys by default. */
    @Idempotent(key = "#id")
    String overloaded(String id) {
        runs.incrementAndGet();
        return "string";
    }

    @Idempotent(key = "#id")
    String overloaded(Integer id) {
        runs.incrementAndGet();
        return "integer";
    }
}
