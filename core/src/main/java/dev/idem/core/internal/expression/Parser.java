package dev.idem.core.internal.expression;

import dev.idem.core.internal.expression.Lexer.Kind;
import dev.idem.core.internal.expression.Lexer.Token;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads an expression into its syntax, without looking at any type. The grammar:
 *
 * <pre>
 * expression := part ('+' part)* END
 * part       := STRING | chain
 * chain      := VARIABLE step*
 * step       := ('.' | '?.') IDENTIFIER ('(' ')')?
 *             | '?.'? '[' (INTEGER | STRING) ']'
 * </pre>
 */
final class Parser {

    /** One operand of the expression. Offsets are into the whole expression. */
    sealed interface Part permits Literal, Chain {
        int start();

        int end();
    }

    record Literal(String value, int start, int end) implements Part {
    }

    /** {@code #name} followed by steps. {@code start} is the offset of the {@code #}. */
    record Chain(String name, int start, int nameEnd, List<Step> steps, int end) implements Part {
    }

    enum StepKind {
        PROPERTY,
        METHOD,
        INDEX
    }

    /**
     * One navigation step.
     *
     * @param name the property or method name, or null for an index
     * @param index the index: an {@link Integer} or a {@link String}, or null for a property or method
     * @param at offset of the token that names the step (the name, or the index), for error columns
     * @param end offset just past the step
     */
    record Step(StepKind kind, String name, Object index, boolean nullSafe, int at, int end) {
    }

    private final String source;
    private final Lexer lexer;
    private Token token;

    private Parser(String source) {
        this.source = source;
        this.lexer = new Lexer(source);
        this.token = lexer.next();
    }

    /** Parses an expression into its parts, or throws {@link IllegalArgumentException} naming the column. */
    static List<Part> parse(String source) {
        return new Parser(source).expression();
    }

    private List<Part> expression() {
        if (token.kind() == Kind.END) {
            throw Errors.at(source, token.start(), "empty expression");
        }
        List<Part> parts = new ArrayList<>();
        parts.add(part());
        while (token.kind() == Kind.PLUS) {
            advance();
            parts.add(part());
        }
        if (token.kind() != Kind.END) {
            throw unexpected("'+' or end of expression");
        }
        return List.copyOf(parts);
    }

    private Part part() {
        Token first = token;
        if (first.kind() == Kind.STRING) {
            advance();
            return new Literal(first.value(), first.start(), first.end());
        }
        if (first.kind() != Kind.VARIABLE) {
            throw unexpected("'#parameter' or a string literal");
        }
        advance();
        List<Step> steps = new ArrayList<>();
        int end = first.end();
        while (true) {
            boolean nullSafe = token.kind() == Kind.SAFE_DOT;
            if (token.kind() == Kind.DOT || nullSafe) {
                advance();
                if (nullSafe && token.kind() == Kind.LEFT_BRACKET) {
                    steps.add(index(true));
                } else {
                    steps.add(member(nullSafe));
                }
            } else if (token.kind() == Kind.LEFT_BRACKET) {
                steps.add(index(false));
            } else {
                break;
            }
            end = steps.get(steps.size() - 1).end();
        }
        return new Chain(first.value(), first.start(), first.end(), List.copyOf(steps), end);
    }

    private Step member(boolean nullSafe) {
        Token name = token;
        if (name.kind() != Kind.IDENTIFIER) {
            throw unexpected("a property or method name");
        }
        advance();
        if (token.kind() != Kind.LEFT_PAREN) {
            return new Step(StepKind.PROPERTY, name.value(), null, nullSafe, name.start(), name.end());
        }
        advance();
        if (token.kind() != Kind.RIGHT_PAREN) {
            if (token.kind() == Kind.END) {
                throw unexpected("')'");
            }
            throw Errors.at(source, token.start(),
                    "method arguments are not supported, only zero-argument methods such as '" + name.value() + "()'");
        }
        int end = token.end();
        advance();
        return new Step(StepKind.METHOD, name.value(), null, nullSafe, name.start(), end);
    }

    private Step index(boolean nullSafe) {
        advance(); // the '['
        Token key = token;
        Object index;
        if (key.kind() == Kind.STRING) {
            index = key.value();
        } else if (key.kind() == Kind.INTEGER) {
            try {
                index = Integer.valueOf(key.value());
            } catch (NumberFormatException e) {
                throw Errors.at(source, key.start(), "index " + key.value() + " is too large");
            }
        } else {
            throw unexpected("an integer index or a quoted map key");
        }
        advance();
        if (token.kind() != Kind.RIGHT_BRACKET) {
            throw unexpected("']'");
        }
        int end = token.end();
        advance();
        return new Step(StepKind.INDEX, null, index, nullSafe, key.start(), end);
    }

    private void advance() {
        token = lexer.next();
    }

    private IllegalArgumentException unexpected(String expected) {
        return Errors.at(source, token.start(), "expected " + expected + " but found " + lexer.describe(token));
    }
}
