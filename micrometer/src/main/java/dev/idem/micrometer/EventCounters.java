package dev.idem.micrometer;

import static dev.idem.micrometer.IdempotencyObservationDocumentation.LowCardinalityKeyNames.NAMESPACE;
import static dev.idem.micrometer.IdempotencyObservationDocumentation.LowCardinalityKeyNames.OPERATION;
import static dev.idem.micrometer.IdempotencyObservationDocumentation.LowCardinalityKeyNames.STORE;

import dev.idem.core.event.IdempotencyEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The {@code idem.events} counters, one per decision type, operation, namespace and store. Each is registered once
 * and kept here, so that counting an event is a map read and an increment, not a registry lookup with new tags.
 * Operations, namespaces and stores are few (they come from code, not from requests), so the map stays small.
 */
final class EventCounters {
    private record Source(String operation, String namespace, String store) {
    }

    private final MeterRegistry registry;
    private final ConcurrentHashMap<Source, AtomicReferenceArray<Counter>> counters = new ConcurrentHashMap<>();

    EventCounters(MeterRegistry registry) {
        this.registry = registry;
    }

    void count(IdempotencyEvent event) {
        Source source = new Source(event.operation(), event.namespace(), event.store());
        AtomicReferenceArray<Counter> row = counters.get(source);
        if (row == null) {
            row = counters.computeIfAbsent(source, s -> new AtomicReferenceArray<>(Names.typeCount()));
        }
        int type = event.type().ordinal();
        Counter counter = row.get(type);
        if (counter == null) {
            // Two threads may both register: the registry answers both with the same counter.
            counter = Counter.builder(MicrometerIdempotencyListener.EVENTS)
                    .description("idem's decisions, by type")
                    .tag(MicrometerIdempotencyListener.EVENT_TAG, Names.of(event.type()))
                    .tag(OPERATION.asString(), source.operation())
                    .tag(NAMESPACE.asString(), source.namespace())
                    .tag(STORE.asString(), source.store())
                    .register(registry);
            row.set(type, counter);
        }
        counter.increment();
    }
}
