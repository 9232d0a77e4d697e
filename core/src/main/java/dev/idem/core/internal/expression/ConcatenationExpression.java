package dev.idem.core.internal.expression;

import dev.idem.core.internal.Canonical;
import dev.idem.core.spi.KeyResolver.KeyExpression;
import dev.idem.core.spi.KeyResolver.NullSegmentException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.StringConcatException;
import java.lang.invoke.StringConcatFactory;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A compiled {@code part + part + ...}: always a string. Literal parts are appended as they are, other parts by their
 * canonical text. A part that is null, even through {@code ?.}, fails with its own source text: a key silently
 * containing {@code "null"} would merge calls that should be distinct. Immutable, and so thread-safe.
 *
 * <p>The key is built as {@code javac} builds {@code a + ":" + b}: by a {@link StringConcatFactory} concatenation made
 * once for this expression's shape (its literals are constants of it), which sizes the string exactly and allocates
 * nothing else. Up to {@value #MAX_DIRECT} evaluated parts are passed to it directly; more go through
 * {@link String#join}.
 */
final class ConcatenationExpression implements KeyExpression {
    static final int MAX_DIRECT = 4;

    private final String source;
    /** Each a {@link String} (a literal) or a {@link KeyExpression} (a chain, named by its {@code toString()}). */
    private final Object[] parts;
    /** The parts that are evaluated, in order. */
    private final KeyExpression[] chains;
    /** (String x chains.length)String with the literals built in, or null beyond {@link #MAX_DIRECT} chains. */
    private final MethodHandle concat;

    ConcatenationExpression(String source, List<Object> parts) {
        this.source = source;
        this.parts = parts.toArray();
        List<KeyExpression> evaluated = new ArrayList<>();
        for (Object part : this.parts) {
            if (part instanceof KeyExpression chain) {
                evaluated.add(chain);
            }
        }
        this.chains = evaluated.toArray(new KeyExpression[0]);
        this.concat = chains.length <= MAX_DIRECT ? concatenation(this.parts, chains.length) : null;
    }

    private static MethodHandle concatenation(Object[] parts, int arguments) {
        StringBuilder recipe = new StringBuilder();
        List<Object> constants = new ArrayList<>();
        for (Object part : parts) {
            if (part instanceof String literal) {
                recipe.append('\u0002'); // a constant, so that a literal may hold any character
                constants.add(literal);
            } else {
                recipe.append('\u0001');
            }
        }
        MethodType type = MethodType.methodType(String.class, Collections.nCopies(arguments, String.class));
        try {
            return StringConcatFactory.makeConcatWithConstants(MethodHandles.lookup(), "key", type,
                    recipe.toString(), constants.toArray()).getTarget();
        } catch (StringConcatException e) {
            return null; // the JDK refused this shape: String.join builds it
        }
    }

    @Override
    public Object evaluate(Object[] args) {
        MethodHandle concat = this.concat;
        if (concat == null) {
            return join(args);
        }
        KeyExpression[] chains = this.chains;
        try {
            return switch (chains.length) {
                case 0 -> (String) concat.invokeExact();
                case 1 -> (String) concat.invokeExact(text(chains[0], args));
                case 2 -> (String) concat.invokeExact(text(chains[0], args), text(chains[1], args));
                case 3 -> (String) concat.invokeExact(text(chains[0], args), text(chains[1], args),
                        text(chains[2], args));
                default -> (String) concat.invokeExact(text(chains[0], args), text(chains[1], args),
                        text(chains[2], args), text(chains[3], args));
            };
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("concatenating " + source, e); // never: the handle throws nothing checked
        }
    }

    private String join(Object[] args) {
        String[] texts = new String[parts.length];
        for (int i = 0; i < parts.length; i++) {
            Object part = parts[i];
            texts[i] = part instanceof String literal ? literal : text((KeyExpression) part, args);
        }
        return String.join("", texts);
    }

    private static String text(KeyExpression chain, Object[] args) {
        Object value = chain.evaluate(args);
        if (value == null) {
            throw new NullSegmentException(chain.toString());
        }
        return Canonical.text(value);
    }

    @Override
    public String toString() {
        return source;
    }
}
