package dev.idem.core.internal;

import dev.idem.core.IdempotencyConfig;
import dev.idem.core.event.CallObservation;
import dev.idem.core.event.IdempotencyEvent;
import dev.idem.core.event.IdempotencyListener;
import java.util.List;

/** Where the engine reports: the {@code dev.idem} logger and the configured listeners. */
final class Events {
    static final System.Logger LOG = System.getLogger("dev.idem");

    private Events() {
    }

    /**
     * Tells every listener; a listener that throws is logged and otherwise ignored.
     *
     * @param start when the call started ({@link System#nanoTime}), or 0 if unknown
     */
    static void emit(IdempotencyConfig config, IdempotencyEvent.Type type, OperationSpec spec, long start,
            String detail) {
        emit(config, type, spec, start, detail, null);
    }

    /**
     * Tells every listener, then the call's observation (if not null).
     *
     * @param start when the call started ({@link System#nanoTime}), or 0 if unknown
     */
    static void emit(IdempotencyConfig config, IdempotencyEvent.Type type, OperationSpec spec, long start,
            String detail, CallObservation observation) {
        List<IdempotencyListener> listeners = config.listeners();
        if (listeners.isEmpty()) {
            return;
        }
        IdempotencyEvent event = new IdempotencyEvent(type, spec.operation(), spec.namespace(), spec.storeLabel(),
                start == 0 ? 0 : System.nanoTime() - start, detail);
        for (int i = 0; i < listeners.size(); i++) { // an immutable list: no iterator on the hot path
            try {
                listeners.get(i).onEvent(event);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "an IdempotencyListener failed", e);
            }
        }
        if (observation != null) {
            tell(observation, o -> o.onEvent(event));
        }
    }

    /**
     * Asks every listener to follow a call that starts; null when none does (or nobody listens).
     */
    static CallObservation observe(IdempotencyConfig config, OperationSpec spec) {
        List<IdempotencyListener> listeners = config.listeners();
        if (listeners.isEmpty()) {
            return null;
        }
        CallObservation only = null;
        CallObservation[] many = null;
        int count = 0;
        for (int i = 0; i < listeners.size(); i++) {
            CallObservation o;
            try {
                o = listeners.get(i).onCallStart(spec.callStart());
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "an IdempotencyListener failed", e);
                continue;
            }
            if (o == null || o == CallObservation.NONE) {
                continue;
            }
            if (count == 0) {
                only = o;
            } else {
                if (many == null) {
                    many = new CallObservation[listeners.size()];
                    many[0] = only;
                }
                many[count] = o;
            }
            count++;
        }
        return many == null ? only : new Observations(java.util.Arrays.copyOf(many, count));
    }

    /** Tells an observation of something; one that throws is logged and otherwise ignored. */
    static void tell(CallObservation observation, java.util.function.Consumer<CallObservation> what) {
        try {
            what.accept(observation);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "an idempotency CallObservation failed", e);
        }
    }

    /** The observations of several listeners, told in the listeners' order (ends in reverse, as scopes nest). */
    private record Observations(CallObservation[] all) implements CallObservation {
        @Override
        public void onEvent(IdempotencyEvent event) {
            for (CallObservation o : all) {
                tell(o, x -> x.onEvent(event));
            }
        }

        @Override
        public void onWaitStart() {
            for (CallObservation o : all) {
                tell(o, CallObservation::onWaitStart);
            }
        }

        @Override
        public void onWaitEnd() {
            for (CallObservation o : all) {
                tell(o, CallObservation::onWaitEnd);
            }
        }

        @Override
        public void onBodyStart() {
            for (CallObservation o : all) {
                tell(o, CallObservation::onBodyStart);
            }
        }

        @Override
        public void onBodyEnd() {
            for (int i = all.length - 1; i >= 0; i--) {
                tell(all[i], CallObservation::onBodyEnd);
            }
        }

        @Override
        public void onEnd(IdempotencyEvent.Type outcome, Throwable error) {
            for (int i = all.length - 1; i >= 0; i--) {
                tell(all[i], o -> o.onEnd(outcome, error));
            }
        }
    }
}
