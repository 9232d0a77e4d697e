package dev.idem.micrometer;

import static dev.idem.micrometer.IdempotencyObservationDocumentation.LowCardinalityKeyNames.NAMESPACE;
import static dev.idem.micrometer.IdempotencyObservationDocumentation.LowCardinalityKeyNames.OPERATION;
import static dev.idem.micrometer.IdempotencyObservationDocumentation.LowCardinalityKeyNames.OUTCOME;
import static dev.idem.micrometer.IdempotencyObservationDocumentation.LowCardinalityKeyNames.STORE;

import dev.idem.core.event.CallStart;
import dev.idem.core.event.IdempotencyEvent;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The {@code idem.call} and {@code idem.wait} timers recorded straight into a meter registry, without observations:
 * the meters a {@code DefaultMeterObservationHandler} would make of them (same names, same tags, {@code error} is
 * {@code none} or the exception's simple class name), but without its long task timers, for a fraction of the cost.
 * Timers are looked up once per method, outcome and error class: the engine hands the same {@link CallStart} to
 * every call of a method, so a call finds its timer without building tags.
 */
final class CallTimers {
    private static final String NONE = "none";

    private final MeterRegistry registry;
    private final ConcurrentHashMap<CallStart, Row> rows = new ConcurrentHashMap<>();

    CallTimers(MeterRegistry registry) {
        this.registry = registry;
    }

    /** The timers of one method. */
    final class Row {
        private final CallStart call;
        /** Per outcome, the timer of calls that ended without an exception. */
        private final AtomicReferenceArray<Timer> clean = new AtomicReferenceArray<>(Names.typeCount());
        /** The timers of calls that ended with an exception, by outcome and exception class. */
        private final ConcurrentHashMap<String, Timer> failed = new ConcurrentHashMap<>();
        private volatile Timer wait;

        Row(CallStart call) {
            this.call = call;
        }

        void recordCall(IdempotencyEvent.Type outcome, Throwable error, long nanos) {
            Timer timer;
            if (error == null) {
                timer = clean.get(outcome.ordinal());
                if (timer == null) {
                    timer = callTimer(outcome, NONE);
                    clean.set(outcome.ordinal(), timer); // two threads may both register: the registry dedupes
                }
            } else {
                String errorName = error.getClass().getSimpleName();
                timer = failed.computeIfAbsent(Names.of(outcome) + ' ' + errorName, k -> callTimer(outcome,
                        errorName.isEmpty() ? error.getClass().getName() : errorName));
            }
            timer.record(nanos, TimeUnit.NANOSECONDS);
        }

        void recordWait(long nanos) {
            Timer timer = wait;
            if (timer == null) {
                timer = Timer.builder(DefaultIdempotencyWaitObservationConvention.NAME)
                        .tag(OPERATION.asString(), call.operation())
                        .tag(NAMESPACE.asString(), call.namespace())
                        .tag(STORE.asString(), call.store())
                        .tag("error", NONE)
                        .register(registry);
                wait = timer;
            }
            timer.record(nanos, TimeUnit.NANOSECONDS);
        }

        private Timer callTimer(IdempotencyEvent.Type outcome, String error) {
            return Timer.builder(DefaultIdempotencyObservationConvention.NAME)
                    .tag(OPERATION.asString(), call.operation())
                    .tag(NAMESPACE.asString(), call.namespace())
                    .tag(STORE.asString(), call.store())
                    .tag(OUTCOME.asString(), Names.of(outcome))
                    .tag("error", error)
                    .register(registry);
        }
    }

    Row of(CallStart call) {
        Row row = rows.get(call);
        return row != null ? row : rows.computeIfAbsent(call, Row::new);
    }
}
