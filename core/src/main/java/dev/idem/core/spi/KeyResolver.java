package dev.idem.core.spi;

import java.lang.reflect.Method;

/**
 * Compiles the key and fingerprint expressions of an idempotent method. The default resolver understands the small,
 * SpEL-compatible language described on {@link dev.idem.annotation.Idempotent#key()}; install another one (a SpEL
 * adapter, for example) with {@code IdempotencyConfig.Builder#keyResolver}.
 *
 * <p>An expression is compiled once per method, on its first call, and then evaluated on every call, so
 * {@link #compile} should do all the reflective work and {@link KeyExpression#evaluate} as little as possible.
 * Implementations must be thread-safe.
 */
public interface KeyResolver {

    /**
     * Compiles an expression for a method.
     *
     * @param expression the expression text, never null or blank
     * @param method the method whose arguments the expression reads
     * @return the compiled expression, safe for concurrent use
     * @throws IllegalArgumentException if the expression is invalid; the message should say what is wrong and where
     *     (the column), the engine adds the method and the attribute
     */
    KeyExpression compile(String expression, Method method);

    /**
     * Compiles a condition on a method's result, for {@code @Idempotent(unless = ...)}: as {@link #compile}, but its
     * only variable is {@code #result}, the result, which {@link KeyExpression#evaluate} gets as a one-element array;
     * a condition naming a parameter fails to compile. The expression must evaluate to a {@code Boolean}. The default
     * refuses: a resolver that does not override this cannot serve {@code unless}.
     *
     * @param expression the expression text, never null or blank
     * @param method the method whose result the expression reads
     * @param resultType the static type of the result (for a method returning a {@code CompletionStage}, its value's)
     * @return the compiled expression, safe for concurrent use
     * @throws IllegalArgumentException if the expression is invalid, or this resolver does not compile conditions
     */
    default KeyExpression compileCondition(String expression, Method method, java.lang.reflect.Type resultType) {
        throw new IllegalArgumentException("the key resolver " + getClass().getName() + " does not compile "
                + "conditions on the result (KeyResolver#compileCondition)");
    }

    /** A compiled expression. Implementations must be thread-safe. */
    @FunctionalInterface
    interface KeyExpression {

        /**
         * Evaluates the expression against one call's arguments.
         *
         * @param args the arguments of the call, in declaration order
         * @return the value, possibly null
         * @throws NullSegmentException if a non-null-safe step met a null, or a part of a concatenation was null
         */
        Object evaluate(Object[] args);
    }

    /**
     * Thrown by {@link KeyExpression#evaluate} when the expression meets a null on its path. Carries the text of the
     * sub-expression that was null so that the engine can name it. It has no stack trace: it is a signal, not a bug.
     */
    final class NullSegmentException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final String segment;

        /**
         * Creates the signal.
         *
         * @param segment the source text of the sub-expression that was null, for example {@code #request.customer}
         */
        public NullSegmentException(String segment) {
            super(segment + " is null", null, false, false);
            this.segment = segment;
        }

        /**
         * The source text of the sub-expression that was null.
         *
         * @return the null segment, for example {@code #request.customer}
         */
        public String segment() {
            return segment;
        }
    }
}
