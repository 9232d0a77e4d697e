package dev.idem.tck;

import java.util.function.Function;

/** The ways into idem that the suite runs every test through. */
public enum EntryPoint {
    /** {@code @Idempotent} methods woven by the AspectJ compiler. */
    ASPECT(WovenPayments::new),
    /** {@code IdempotentOperation}, no weaving. */
    PROGRAMMATIC(ProgrammaticPayments::new);

    private final Function<Body, Payments> factory;

    EntryPoint(Function<Body, Payments> factory) {
        this.factory = factory;
    }

    Payments payments(Body body) {
        return factory.apply(body);
    }
}
