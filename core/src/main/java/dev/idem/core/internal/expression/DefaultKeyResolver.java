package dev.idem.core.internal.expression;

import dev.idem.core.spi.KeyResolver;
import java.lang.reflect.Method;
import java.util.Objects;

/**
 * The built-in {@link KeyResolver}: a small, SpEL-compatible language compiled once into a chain of pre-resolved
 * accessors, so that evaluating a key does no reflective lookup.
 *
 * <ul>
 *   <li>{@code #name}: a parameter by name (the method's class must be compiled with {@code -parameters});
 *       {@code #p0} or {@code #a0}: a parameter by position, unless a parameter has exactly that name.</li>
 *   <li>{@code .prop}: the public getter {@code getProp()}, else {@code isProp()} returning a boolean, else the
 *       record accessor or method {@code prop()}, else the public field {@code prop}. {@code .method()}: a public
 *       method without arguments. {@code .length} on an array.</li>
 *   <li>{@code [0]} on arrays and lists, {@code ['k']} or {@code ["k"]} on maps (an integer index on a map looks up an
 *       {@code Integer} key, a quoted one a {@code String}; where the map's declared key type can hold neither, as
 *       {@code [0]} on a {@code Map<String, V>}, compiling fails rather than missing the entry on every call). An
 *       index past the end or a missing key reads as null.</li>
 *   <li>{@code ?.} (also {@code ?.[0]}): if the receiver is null, the whole chain is null.</li>
 *   <li>String literals {@code '...'} (a quote is written {@code ''}) and {@code +}, which always concatenates:
 *       {@code #tenant.id + ':' + #request.id}. Unlike SpEL, {@code #p0 + #p1} on two numbers is not a sum.</li>
 * </ul>
 *
 * <p>A lone chain evaluates to its value, unconverted and possibly null. A concatenation evaluates to a string, its
 * non-literal parts converted by their canonical text; a part that is null fails with
 * {@link KeyResolver.NullSegmentException}, as does a step other than {@code ?.} whose receiver is null.
 *
 * <p>Members are resolved at compile time against the static types of the method's parameters and of each member's
 * declaration; where a static type lacks a member but a subclass could have it ({@code Object}, an interface, a
 * class that is not final), the member is resolved against each value's class on first sight of that class, and an
 * absent one fails that evaluation with {@link IllegalArgumentException}. Errors found at compile time throw
 * {@link IllegalArgumentException} naming the column and the expression.
 *
 * <p>Evaluation throws {@link KeyResolver.NullSegmentException} for a null on the path, and
 * {@link IllegalArgumentException} for: a member absent from a value's class (above); a value that is not of its
 * declared type, as a {@code List<Item>} filled with maps through a raw type leaves it (naming the sub-expression and
 * both types); and a concatenated part that has no canonical text. Exceptions thrown by the members themselves
 * propagate unchanged.
 *
 * <p>This class is stateless and threadsafe, and so are the expressions it compiles.
 */
public final class DefaultKeyResolver implements KeyResolver {

    /** Creates the resolver. It holds no state; one instance can serve every method. */
    public DefaultKeyResolver() {
    }

    /**
     * Parses and resolves an expression once.
     *
     * @param expression the expression text
     * @param method the method whose arguments the expression reads
     * @return the compiled expression; its {@code toString()} is the expression text
     * @throws IllegalArgumentException if the expression is malformed, names a parameter or member that does not
     *     exist, or indexes a map with a key its declared key type cannot hold, with the 1-based column of the
     *     offending token in the message; never another exception for any text
     * @throws NullPointerException if the expression or the method is null, which the SPI rules out
     */
    @Override
    public KeyExpression compile(String expression, Method method) {
        Objects.requireNonNull(expression, "expression");
        Objects.requireNonNull(method, "method");
        return ExpressionCompiler.compile(expression, method);
    }

    /**
     * Compiles a condition on a method's result: {@code #result}, of static type {@code resultType}, is its only
     * variable, at index 0 of the evaluated array.
     *
     * @param expression the expression text
     * @param method the method
     * @param resultType the static type of the result
     * @return the compiled expression
     * @throws IllegalArgumentException as {@link #compile}
     */
    @Override
    public KeyExpression compileCondition(String expression, Method method, java.lang.reflect.Type resultType) {
        Objects.requireNonNull(expression, "expression");
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(resultType, "resultType");
        return ExpressionCompiler.compile(expression, method, resultType);
    }
}
