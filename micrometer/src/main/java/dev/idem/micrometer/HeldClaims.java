package dev.idem.micrometer;

import static dev.idem.micrometer.IdempotencyObservationDocumentation.LowCardinalityKeyNames.STORE;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The {@code idem.claims.held} gauges: per store, the calls of this process whose body started and whose call has
 * not ended (an asynchronous call holds its claim until its stage completes). A store's gauge is registered when its
 * first call starts; the registry holds the count strongly, so the gauge never goes blank.
 */
final class HeldClaims {
    private final MeterRegistry registry;
    private final ConcurrentHashMap<String, AtomicInteger> byStore = new ConcurrentHashMap<>();

    HeldClaims(MeterRegistry registry) {
        this.registry = registry;
    }

    AtomicInteger of(String store) {
        AtomicInteger held = byStore.get(store);
        return held != null ? held : byStore.computeIfAbsent(store, this::register);
    }

    private AtomicInteger register(String store) {
        AtomicInteger held = new AtomicInteger();
        Gauge.builder(MicrometerIdempotencyListener.CLAIMS_HELD, held, AtomicInteger::get)
                .description("claims this process holds: bodies running under a claim, until their call ends")
                .tag(STORE.asString(), store)
                .strongReference(true)
                .register(registry);
        return held;
    }
}
