package dev.idem.core.internal.expression;

/** Builds the one shape of compile error: what is wrong, then where (1-based column) in which expression. */
final class Errors {
    private Errors() {
    }

    static IllegalArgumentException at(String source, int offset, String message) {
        return new IllegalArgumentException(message + " at column " + (offset + 1) + " of '" + source + "'");
    }
}
