/**
 * The default key-expression language: a small, SpEL-compatible subset compiled once per method into a chain of
 * pre-resolved accessors. {@link dev.idem.core.internal.expression.DefaultKeyResolver} is the only public type; the
 * rest is the lexer, the parser, the compiler that resolves members against static types, and the accessors.
 */
package dev.idem.core.internal.expression;
