package dev.idem.core.internal;

import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.InaccessibleObjectException;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * Finds the first difference between a value and what came back from encoding and decoding it, so that an outcome
 * is recorded only if a replay would return an equal value of the declared type.
 *
 * <p>The comparison is by value, walking both sides together: null with null; an {@code Optional} by presence and
 * content; a map by size and typed keys ({@code containsKey}, so an {@code Integer} key that came back as a
 * {@code String} is found) and values; a list or other ordered collection pairwise; a set by size and membership
 * (its elements' {@code equals}, or their canonical forms for elements without one); an array by class and
 * elements; a JDK value type ({@link Values}) by class and {@code equals} (so a {@code BigDecimal} keeps its scale);
 * any other object by class and then field by field (transient fields too), falling back to equal canonical forms where its fields cannot
 * be read (a JDK class that is not opened). Collection classes may differ ({@code List.of} against
 * {@code ArrayList}, {@code TreeSet} against {@code HashSet}): those are equal values.
 *
 * <p>A difference is described by a path from the root ({@code $.items[0].amount}) and what happened there, without
 * the values themselves (they may be personal data and the description is logged and stored). Map keys that are
 * numbers, enum constants or UUIDs show in the path; other keys show as {@code [?]}.
 */
final class RoundTrip {
    /** Beyond this the walk stops, well inside the stack; Jackson itself writes no deeper than 1000 levels. */
    private static final int MAX_DEPTH = 1_000;

    private final Predicate<Field> visibleToCodec;

    private RoundTrip(Predicate<Field> visibleToCodec) {
        this.visibleToCodec = visibleToCodec;
    }

    /**
     * The first difference between a value and its decoded copy.
     *
     * @param original the value that was encoded
     * @param decoded what decoding gave back
     * @param declaredType the declared type, for the message (its name as written: {@code T}, {@code List<Order>})
     * @param visibleToCodec whether a field is written and read by the codec (to say so when it is not)
     * @return null if they are equal by value, else a description of the first difference
     */
    static String firstDifference(Object original, Object decoded, String declaredType,
            Predicate<Field> visibleToCodec) {
        return new RoundTrip(visibleToCodec).difference(original, decoded, "$", declaredType, 0);
    }

    private String difference(Object expected, Object actual, String path, String declaredType, int depth) {
        if (expected == null || actual == null) {
            return expected == actual ? null
                    : path + ": " + describe(expected) + " came back as " + describe(actual) + declared(declaredType);
        }
        if (depth > MAX_DEPTH) {
            return path + ": nested deeper than " + MAX_DEPTH + " levels, not compared";
        }
        if (expected instanceof Optional<?> optional) {
            if (!(actual instanceof Optional<?> other)) {
                return typeChanged(expected, actual, path, declaredType);
            }
            if (optional.isPresent() != other.isPresent()) {
                return path + ": " + (optional.isPresent() ? "a present Optional came back empty"
                        : "an empty Optional came back present");
            }
            return optional.isPresent() ? difference(optional.get(), other.get(), path, null, depth + 1) : null;
        }
        if (expected instanceof Map<?, ?> map) {
            return actual instanceof Map<?, ?> other ? mapDifference(map, other, path, depth)
                    : typeChanged(expected, actual, path, declaredType);
        }
        if (expected instanceof Set<?> set) {
            return actual instanceof Set<?> other ? setDifference(set, other, path)
                    : typeChanged(expected, actual, path, declaredType);
        }
        if (expected instanceof Collection<?> collection) {
            // A list must come back as a list; another ordered collection (a deque) as any non-set collection.
            boolean sameKind = expected instanceof List<?> ? actual instanceof List<?>
                    : actual instanceof Collection<?> && !(actual instanceof Set<?>);
            return sameKind ? sequenceDifference(collection, (Collection<?>) actual, path, depth)
                    : typeChanged(expected, actual, path, declaredType);
        }
        if (expected.getClass() != actual.getClass()) {
            return typeChanged(expected, actual, path, declaredType);
        }
        if (expected.getClass().isArray()) {
            return arrayDifference(expected, actual, path, depth);
        }
        if (Values.isLeafType(expected.getClass()) || expected instanceof Number || expected instanceof Character
                || expected instanceof Boolean) {
            return expected.equals(actual) ? null : path + ": " + describe(expected) + " came back different";
        }
        return fieldDifference(expected, actual, path, depth);
    }

    private String mapDifference(Map<?, ?> expected, Map<?, ?> actual, String path, int depth) {
        for (Map.Entry<?, ?> entry : expected.entrySet()) {
            Object key = entry.getKey();
            String keyPath = path + "[" + keyText(key) + "]";
            if (!actual.containsKey(key)) {
                Object lookalike = lookalike(key, actual.keySet());
                return keyPath + ": the key (" + describe(key) + ") came back "
                        + (lookalike != null ? "as " + describe(lookalike) : "missing");
            }
            String difference = difference(entry.getValue(), actual.get(key), keyPath, null, depth + 1);
            if (difference != null) {
                return difference;
            }
        }
        if (expected.size() != actual.size()) {
            return path + ": a map of " + expected.size() + " entries came back with " + actual.size();
        }
        return null;
    }

    private static String setDifference(Set<?> expected, Set<?> actual, String path) {
        if (expected.size() != actual.size()) {
            return path + ": a set of " + expected.size() + " elements came back with " + actual.size();
        }
        List<String> actualForms = null;
        for (Object element : expected) {
            boolean found;
            if (element == null || hasOwnEquals(element.getClass())) {
                found = actual.contains(element);
            } else {
                // Without equals, membership is by value: the canonical forms (each may match only once).
                if (actualForms == null) {
                    actualForms = new ArrayList<>();
                    for (Object other : actual) {
                        actualForms.add(canonicalOrNull(other));
                    }
                }
                String form = canonicalOrNull(element);
                found = form != null && actualForms.remove(form);
            }
            if (!found) {
                Object lookalike = lookalike(element, actual);
                return path + ": an element (" + describe(element) + ") came back "
                        + (lookalike != null ? "as " + describe(lookalike) : "missing or different");
            }
        }
        return null;
    }

    private String sequenceDifference(Collection<?> expected, Collection<?> actual, String path, int depth) {
        if (expected.size() != actual.size()) {
            return path + ": a sequence of " + expected.size() + " elements came back with " + actual.size();
        }
        Iterator<?> others = actual.iterator();
        int index = 0;
        for (Object element : expected) {
            String difference = difference(element, others.next(), path + "[" + index++ + "]", null, depth + 1);
            if (difference != null) {
                return difference;
            }
        }
        return null;
    }

    private String arrayDifference(Object expected, Object actual, String path, int depth) {
        int length = Array.getLength(expected);
        if (length != Array.getLength(actual)) {
            return path + ": an array of " + length + " elements came back with " + Array.getLength(actual);
        }
        if (expected.getClass().getComponentType().isPrimitive()) {
            return Objects.deepEquals(expected, actual) ? null : path + ": " + describe(expected)
                    + " came back different";
        }
        for (int i = 0; i < length; i++) {
            String difference = difference(Array.get(expected, i), Array.get(actual, i), path + "[" + i + "]", null,
                    depth + 1);
            if (difference != null) {
                return difference;
            }
        }
        return null;
    }

    private String fieldDifference(Object expected, Object actual, String path, int depth) {
        for (Class<?> type = expected.getClass(); type != null && type != Object.class; type = type.getSuperclass()) {
            for (Field field : type.getDeclaredFields()) {
                if (Modifier.isStatic(field.getModifiers())) {
                    continue;
                }
                // Transient fields are compared too: a class may keep its whole state in them and write it by hand
                // (java.util.Date does), and a lazily filled cache that does not come back costs only a record.
                Object expectedValue;
                Object actualValue;
                try {
                    field.setAccessible(true);
                    expectedValue = field.get(expected);
                    actualValue = field.get(actual);
                } catch (InaccessibleObjectException | IllegalAccessException | SecurityException e) {
                    return canonicalDifference(expected, actual, path);
                }
                String fieldPath = path + "." + field.getName();
                String difference = difference(expectedValue, actualValue, fieldPath,
                        field.getGenericType().getTypeName(), depth + 1);
                if (difference != null) {
                    return visibleToCodec.test(field) ? difference
                            : fieldPath + ": state not visible to the codec came back different";
                }
            }
        }
        return null;
    }

    /** For objects whose fields cannot be read (JDK internals): equal if their canonical forms are. */
    private static String canonicalDifference(Object expected, Object actual, String path) {
        String expectedForm = canonicalOrNull(expected);
        if (expectedForm != null && expectedForm.equals(canonicalOrNull(actual))) {
            return null;
        }
        return path + ": " + describe(expected) + " came back different (compared by its canonical form, its "
                + "fields are not readable)";
    }

    private static String canonicalOrNull(Object value) {
        try {
            return Canonical.hash(value);
        } catch (IllegalArgumentException e) {
            return null; // no canonical form: nothing can be shown equal to it
        }
    }

    /** An element of {@code candidates} of another class with the same text: what {@code value} turned into. */
    private static Object lookalike(Object value, Collection<?> candidates) {
        if (value == null || !(Values.isLeafType(value.getClass()) || value instanceof Number)) {
            return null;
        }
        String text = Canonical.text(value);
        for (Object candidate : candidates) {
            if (candidate != null && candidate.getClass() != value.getClass()
                    && (Values.isLeafType(candidate.getClass()) || candidate instanceof Number)
                    && text.equals(Canonical.text(candidate))) {
                return candidate;
            }
        }
        return null;
    }

    private static boolean hasOwnEquals(Class<?> type) {
        try {
            return type.getMethod("equals", Object.class).getDeclaringClass() != Object.class;
        } catch (NoSuchMethodException e) {
            return false;
        }
    }

    private static String typeChanged(Object expected, Object actual, String path, String declaredType) {
        return path + ": " + describe(expected) + " came back as " + describe(actual) + declared(declaredType);
    }

    private static String declared(String declaredType) {
        return declaredType == null ? "" : " (declared type " + declaredType + ")";
    }

    private static String keyText(Object key) {
        if (key instanceof Number || key instanceof Enum<?> || key instanceof UUID || key instanceof Boolean) {
            return Canonical.text(key);
        }
        return key == null ? "null" : "?";
    }

    private static String describe(Object value) {
        return value == null ? "null" : "a " + value.getClass().getName();
    }
}
