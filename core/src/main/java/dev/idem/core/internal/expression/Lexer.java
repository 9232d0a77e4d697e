package dev.idem.core.internal.expression;

/**
 * Splits an expression into tokens on demand, so that the first error in reading order is the one reported.
 * Whitespace between tokens is skipped.
 */
final class Lexer {

    enum Kind {
        /** {@code #name}; the token's value is the name without the {@code #}. */
        VARIABLE,
        IDENTIFIER,
        /** An unsigned decimal integer; the value is its digits. */
        INTEGER,
        /** A quoted literal; the value is its text with the doubled quotes undone. */
        STRING,
        DOT,
        SAFE_DOT,
        LEFT_BRACKET,
        RIGHT_BRACKET,
        LEFT_PAREN,
        RIGHT_PAREN,
        PLUS,
        END
    }

    /**
     * One token.
     *
     * @param start offset of its first character
     * @param end offset just past its last character
     */
    record Token(Kind kind, String value, int start, int end) {
    }

    private final String source;
    private int position;

    Lexer(String source) {
        this.source = source;
    }

    /** The token's text as written, quoted, or {@code end of expression}, for messages. */
    String describe(Token token) {
        if (token.kind() == Kind.END) {
            return "end of expression";
        }
        return "'" + source.substring(token.start(), token.end()) + "'";
    }

    Token next() {
        while (position < source.length() && Character.isWhitespace(source.charAt(position))) {
            position++;
        }
        int start = position;
        if (start == source.length()) {
            return new Token(Kind.END, "", start, start);
        }
        char c = source.charAt(start);
        switch (c) {
            case '.':
                return single(Kind.DOT);
            case '[':
                return single(Kind.LEFT_BRACKET);
            case ']':
                return single(Kind.RIGHT_BRACKET);
            case '(':
                return single(Kind.LEFT_PAREN);
            case ')':
                return single(Kind.RIGHT_PAREN);
            case '+':
                return single(Kind.PLUS);
            case '?':
                if (start + 1 < source.length() && source.charAt(start + 1) == '.') {
                    position += 2;
                    return new Token(Kind.SAFE_DOT, "?.", start, position);
                }
                throw Errors.at(source, start, "unexpected character '?' (only '?.' is supported)");
            case '#':
                return variable(start);
            case '\'':
            case '"':
                return string(start, c);
            default:
                break;
        }
        if (Character.isJavaIdentifierStart(c)) {
            position = identifierEnd(start);
            return new Token(Kind.IDENTIFIER, source.substring(start, position), start, position);
        }
        if (c >= '0' && c <= '9') {
            position = start;
            while (position < source.length() && source.charAt(position) >= '0' && source.charAt(position) <= '9') {
                position++;
            }
            return new Token(Kind.INTEGER, source.substring(start, position), start, position);
        }
        throw Errors.at(source, start, "unexpected character '" + c + "'");
    }

    private Token single(Kind kind) {
        int start = position++;
        return new Token(kind, source.substring(start, position), start, position);
    }

    private Token variable(int start) {
        int nameStart = start + 1;
        if (nameStart == source.length() || !Character.isJavaIdentifierStart(source.charAt(nameStart))) {
            throw Errors.at(source, start, "expected a parameter name after '#'");
        }
        position = identifierEnd(nameStart);
        return new Token(Kind.VARIABLE, source.substring(nameStart, position), start, position);
    }

    private int identifierEnd(int from) {
        int end = from + 1;
        while (end < source.length() && Character.isJavaIdentifierPart(source.charAt(end))) {
            end++;
        }
        return end;
    }

    /** A literal in {@code '...'} or {@code "..."}; the quote is escaped by doubling it, as in SpEL. */
    private Token string(int start, char quote) {
        StringBuilder text = new StringBuilder();
        int i = start + 1;
        while (true) {
            if (i == source.length()) {
                throw Errors.at(source, start, "unterminated string literal");
            }
            char c = source.charAt(i);
            if (c == quote) {
                if (i + 1 < source.length() && source.charAt(i + 1) == quote) {
                    text.append(quote);
                    i += 2;
                    continue;
                }
                position = i + 1;
                return new Token(Kind.STRING, text.toString(), start, position);
            }
            text.append(c);
            i++;
        }
    }
}
