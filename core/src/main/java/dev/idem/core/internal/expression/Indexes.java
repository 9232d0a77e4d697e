package dev.idem.core.internal.expression;

import java.lang.reflect.Array;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Accessors for {@code [index]} steps. An index past the end and a missing map key both read as null, so that they
 * surface as a null segment (or as null after {@code ?.}) rather than as an exception from the collection. A receiver
 * that is not the collection its declaration promises fails the cast, which {@link ChainExpression} reports.
 */
final class Indexes {
    private Indexes() {
    }

    static Function<Object, Object> objectArray(int index) {
        return array -> {
            Object[] elements = (Object[]) array;
            return index < elements.length ? elements[index] : null;
        };
    }

    static Function<Object, Object> primitiveArray(int index) {
        return array -> index < Array.getLength(array) ? Array.get(array, index) : null;
    }

    static Function<Object, Object> list(int index) {
        return list -> {
            List<?> elements = (List<?>) list;
            return index < elements.size() ? elements.get(index) : null;
        };
    }

    /** An integer index on a map is looked up as an {@link Integer} key. */
    static Function<Object, Object> map(Object key) {
        return receiver -> {
            Map<?, ?> map = (Map<?, ?>) receiver; // outside the try: a receiver that is no map is not a missing key
            try {
                return map.get(key);
            } catch (ClassCastException e) {
                return null; // a sorted map of another key type: the key is not there
            }
        };
    }
}
