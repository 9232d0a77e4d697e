package dev.idem.core.internal.expression;

import java.util.function.Function;

/**
 * An accessor for a step whose member the static type does not have (an {@code Object} or interface parameter, an
 * element of a raw list): the member is resolved against each value's class, once per class, and then called like a
 * statically resolved one.
 *
 * <p>Per-class accessors live in a {@link ClassValue}, which ties them to the class rather than to a map that would
 * keep classes from being unloaded (only the class last seen is held, by the inline cache). In front of it sits a
 * monomorphic inline cache of the last class seen, since a call site almost always sees one class: a hit costs a
 * field read and a reference comparison. The cache field is written racily on purpose; {@link Last} has only final
 * fields, so a reader sees either a complete entry or an older one, and a stale entry only costs a lookup in the
 * {@code ClassValue}.
 */
final class RuntimeResolvedAccessor implements Function<Object, Object> {

    private record Last(Class<?> type, Function<Object, Object> accessor) {
    }

    private final ClassValue<Function<Object, Object>> byClass;
    private Last last;

    /**
     * @param resolve the accessor for a class; for a class without the member, an accessor that throws the error
     */
    RuntimeResolvedAccessor(Function<Class<?>, Function<Object, Object>> resolve) {
        this.byClass = new ClassValue<>() {
            @Override
            protected Function<Object, Object> computeValue(Class<?> type) {
                return resolve.apply(type);
            }
        };
    }

    @Override
    public Object apply(Object receiver) {
        Class<?> type = receiver.getClass();
        Last cached = last;
        if (cached == null || cached.type() != type) {
            cached = new Last(type, byClass.get(type));
            last = cached;
        }
        return cached.accessor().apply(receiver);
    }
}
