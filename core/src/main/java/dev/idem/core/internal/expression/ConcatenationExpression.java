package dev.idem.core.internal.expression;

import dev.idem.core.internal.Canonical;
import dev.idem.core.spi.KeyResolver.KeyExpression;
import dev.idem.core.spi.KeyResolver.NullSegmentException;
import java.util.List;

/**
 * A compiled {@code part + part + ...}: always a string. Literal parts are appended as they are, other parts by their
 * canonical text. A part that is null, even through {@code ?.}, fails with its own source text: a key silently
 * containing {@code "null"} would merge calls that should be distinct. Immutable, and so thread-safe.
 */
final class ConcatenationExpression implements KeyExpression {
    private final String source;
    /** Each a {@link String} (a literal) or a {@link KeyExpression} (a chain, named by its {@code toString()}). */
    private final Object[] parts;

    ConcatenationExpression(String source, List<Object> parts) {
        this.source = source;
        this.parts = parts.toArray();
    }

    @Override
    public Object evaluate(Object[] args) {
        StringBuilder key = new StringBuilder();
        for (Object part : parts) {
            if (part instanceof String literal) {
                key.append(literal);
            } else {
                KeyExpression chain = (KeyExpression) part;
                Object value = chain.evaluate(args);
                if (value == null) {
                    throw new NullSegmentException(chain.toString());
                }
                key.append(Canonical.text(value));
            }
        }
        return key.toString();
    }

    @Override
    public String toString() {
        return source;
    }
}
