package dev.idem.micrometer;

import dev.idem.core.event.IdempotencyEvent;
import java.util.Locale;

/** The tag values of decision types, made once: {@code LEASE_LOST} is {@code lease-lost}. */
final class Names {
    private static final IdempotencyEvent.Type[] TYPES = IdempotencyEvent.Type.values();
    private static final String[] VALUES = new String[TYPES.length];

    static {
        for (IdempotencyEvent.Type type : TYPES) {
            VALUES[type.ordinal()] = type.name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    private Names() {
    }

    static String of(IdempotencyEvent.Type type) {
        return VALUES[type.ordinal()];
    }

    static int typeCount() {
        return TYPES.length;
    }
}
