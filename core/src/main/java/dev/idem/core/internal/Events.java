package dev.idem.core.internal;

import dev.idem.core.IdempotencyConfig;
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
        List<IdempotencyListener> listeners = config.listeners();
        if (listeners.isEmpty()) {
            return;
        }
        IdempotencyEvent event = new IdempotencyEvent(type, spec.operation(), spec.namespace(),
                start == 0 ? 0 : System.nanoTime() - start, detail);
        for (int i = 0; i < listeners.size(); i++) { // an immutable list: no iterator on the hot path
            try {
                listeners.get(i).onEvent(event);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "an IdempotencyListener failed", e);
            }
        }
    }
}
