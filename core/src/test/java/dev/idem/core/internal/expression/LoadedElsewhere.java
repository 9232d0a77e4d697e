package dev.idem.core.internal.expression;

/** A top-level record (no nest host to lose) that {@link AccessorsTest} loads again in another class loader. */
public record LoadedElsewhere(String id) {
}
