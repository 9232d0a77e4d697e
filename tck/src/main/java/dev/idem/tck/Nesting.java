package dev.idem.tck;

import dev.idem.annotation.Idempotent;
import dev.idem.tck.Model.ChargeRequest;
import java.math.BigDecimal;

/** A woven method whose body makes another idempotent call. */
class Nesting {
    private final Payments inner;

    Nesting(Payments inner) {
        this.inner = inner;
    }

    @Idempotent(key = "#id", namespace = "tck.nesting")
    String outer(String id) throws Exception {
        return id + ":" + inner.charge(new ChargeRequest("inner", BigDecimal.ONE)).serial();
    }
}
