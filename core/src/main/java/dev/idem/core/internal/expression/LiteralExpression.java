package dev.idem.core.internal.expression;

import dev.idem.core.spi.KeyResolver.KeyExpression;

/** A compiled expression that is a single string literal: the same key on every call. Immutable. */
final class LiteralExpression implements KeyExpression {
    private final String source;
    private final String value;

    LiteralExpression(String source, String value) {
        this.source = source;
        this.value = value;
    }

    @Override
    public Object evaluate(Object[] args) {
        return value;
    }

    @Override
    public String toString() {
        return source;
    }
}
