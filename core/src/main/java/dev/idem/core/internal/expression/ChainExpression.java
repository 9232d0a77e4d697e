package dev.idem.core.internal.expression;

import dev.idem.core.spi.KeyResolver.KeyExpression;
import dev.idem.core.spi.KeyResolver.NullSegmentException;
import java.util.List;
import java.util.function.Function;

/**
 * A compiled {@code #param.step.step...}: an argument index and an array of pre-resolved steps. Evaluation is a loop
 * of null checks and accessor calls; nothing is looked up. Immutable, and so thread-safe (a step that resolves at run
 * time keeps its own thread-safe cache).
 */
final class ChainExpression implements KeyExpression {

    /**
     * One step.
     *
     * @param accessor reads the step's value from a non-null receiver
     * @param nullSafe whether a null receiver ends the whole chain with null ({@code ?.}) instead of failing
     * @param receiverSource the source text of the receiver, named when it is null
     */
    record Step(Function<Object, Object> accessor, boolean nullSafe, String receiverSource) {
    }

    private final String source;
    private final int parameterIndex;
    private final Step[] steps;

    ChainExpression(String source, int parameterIndex, List<Step> steps) {
        this.source = source;
        this.parameterIndex = parameterIndex;
        this.steps = steps.toArray(new Step[0]);
    }

    @Override
    public Object evaluate(Object[] args) {
        Object value = args[parameterIndex];
        for (Step step : steps) {
            if (value == null) {
                if (step.nullSafe()) {
                    return null;
                }
                throw new NullSegmentException(step.receiverSource());
            }
            value = step.accessor().apply(value);
        }
        return value;
    }

    @Override
    public String toString() {
        return source;
    }
}
