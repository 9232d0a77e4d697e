package dev.idem.core.internal.expression;

import dev.idem.core.spi.KeyResolver.KeyExpression;
import dev.idem.core.spi.KeyResolver.NullSegmentException;
import java.lang.invoke.MethodType;
import java.util.List;
import java.util.function.Function;

/**
 * A compiled {@code #param.step.step...}: an argument index and an array of pre-resolved steps. Evaluation is a loop
 * of null checks and accessor calls; nothing is looked up. Immutable, and so thread-safe (a step that resolves at run
 * time keeps its own thread-safe cache).
 *
 * <p>A pre-resolved accessor casts its receiver to the type it was resolved against. Generics are erased, so a value
 * can lie about its type (a {@code List<Item>} that a raw-typed caller or a lossy decoder filled with maps), and the
 * cast then fails with a bare {@link ClassCastException} that names no part of the expression. Evaluation catches
 * what an accessor throws only to ask, off the fast path, whether the receiver was of its declared type: if not, the
 * failure is reported as an {@link IllegalArgumentException} naming the sub-expression and both types; if so, the
 * exception is the member's own and propagates unchanged.
 */
final class ChainExpression implements KeyExpression {

    /**
     * One step.
     *
     * @param accessor reads the step's value from a non-null receiver
     * @param nullSafe whether a null receiver ends the whole chain with null ({@code ?.}) instead of failing
     * @param receiverSource the source text of the receiver, named when it is null
     * @param declaredType the class the accessor was resolved against and casts to, or null for a step resolved
     *     against each value's own class
     */
    record Step(Function<Object, Object> accessor, boolean nullSafe, String receiverSource, Class<?> declaredType) {
    }

    private final String source;
    private final int parameterIndex;
    private final Step[] steps;
    /** The only step of a one-step chain ({@code #request.id}, the usual key), read without the loop; else null. */
    private final Step only;
    /** Its accessor, or null. */
    private final Function<Object, Object> onlyAccessor;

    ChainExpression(String source, int parameterIndex, List<Step> steps) {
        this.source = source;
        this.parameterIndex = parameterIndex;
        this.steps = steps.toArray(new Step[0]);
        this.only = this.steps.length == 1 ? this.steps[0] : null;
        this.onlyAccessor = only == null ? null : only.accessor();
    }

    @Override
    public Object evaluate(Object[] args) {
        Object value = args[parameterIndex];
        Function<Object, Object> accessor = onlyAccessor;
        if (accessor != null && value != null) {
            try {
                return accessor.apply(value);
            } catch (RuntimeException e) {
                throw notOfDeclaredType(only, value, e);
            }
        }
        for (Step step : steps) {
            if (value == null) {
                if (step.nullSafe()) {
                    return null;
                }
                throw new NullSegmentException(step.receiverSource());
            }
            try {
                value = step.accessor().apply(value);
            } catch (RuntimeException e) {
                throw notOfDeclaredType(step, value, e);
            }
        }
        return value;
    }

    /** The exception to throw for a failed step: ours if the receiver was not what its declaration says, else e. */
    private static RuntimeException notOfDeclaredType(Step step, Object receiver, RuntimeException e) {
        Class<?> declared = step.declaredType();
        if (declared == null || MethodType.methodType(declared).wrap().returnType().isInstance(receiver)) {
            return e;
        }
        return new IllegalArgumentException(step.receiverSource() + " is a " + receiver.getClass().getTypeName()
                + ", not the declared " + declared.getTypeName() + " (a collection or generic value holding another"
                + " type than its declaration says, filled through a raw or unchecked type?)", e);
    }

    @Override
    public String toString() {
        return source;
    }
}
