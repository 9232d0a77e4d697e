package dev.idem.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.idem.core.spi.Fingerprint;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

/**
 * Properties of the canonical form over generated payloads: records (some with accessors that mask their fields),
 * POJOs without {@code equals}, lists, sets, maps with keys of mixed types (Integer, Long, String, null), strings such
 * as {@code "null"} and {@code "NaN"}, doubles with NaN, infinities and {@code -0.0}, decimals of several scales,
 * {@code Optional}, and any nesting of those.
 *
 * <p>Each pair is either two independent values, a value and an equal copy built differently (other collection
 * classes and iteration orders, other decimal scales, new instances), or a value and a near miss (one leaf swapped
 * for one that is easily confused with it: {@code 1} and {@code 1L}, {@code null} and {@code "null"}, {@code NaN}
 * and {@code "NaN"}, {@code 0.0} and {@code -0.0}, ...). The near misses are what a collision would show.
 *
 * <p>{@link Model} is the independent definition of "equal" that the canonical form must implement: the class
 * description of {@link Canonical} in code, written without it.
 */
class CanonicalPropertiesTest {

    record Pair(Object left, Object right) {
    }

    /** Masks its field: the accessor never returns what the canonical form and the fast path must compare. */
    record Masked(Object secret, Object label) {
        @Override
        public Object secret() {
            return "****";
        }
    }

    record Box(Object value) {
    }

    /** A POJO without equals, with the properties of {@link Pair}: equal to a Pair of equal values, by value. */
    static final class Bag {
        private final Object left;
        private final Object right;

        Bag(Object left, Object right) {
            this.left = left;
            this.right = right;
        }

        @Override
        public String toString() {
            return "Bag[left=" + left + ", right=" + right + "]";
        }
    }

    // ---- properties ----

    @Property(tries = 3000)
    void canonicalHashesAreEqualExactlyWhenTheModelSaysEqual(@ForAll("pairs") Object[] pair) {
        boolean modelEqual = Model.equal(pair[0], pair[1]);
        Statistics.label("model equal").collect(modelEqual);
        Statistics.label("model equal").coverage(coverage -> {
            coverage.check(true).percentage(p -> p > 15);
            coverage.check(false).percentage(p -> p > 15);
        });
        assertThat(Canonical.hash(pair[1]).equals(Canonical.hash(pair[0])))
                .as("same hash for %s and %s (canonical %s and %s)", Model.describe(pair[0]), Model.describe(pair[1]),
                        text(pair[0]), text(pair[1]))
                .isEqualTo(modelEqual);
    }

    @Property(tries = 2000)
    void fingerprintsMatchExactlyWhenTheirHashesAreEqual(@ForAll("pairs") Object[] pair) {
        boolean sameHash = Canonical.hash(pair[0]).equals(Canonical.hash(pair[1]));
        Statistics.label("same hash").collect(sameHash);
        Statistics.label("same hash").coverage(coverage -> {
            coverage.check(true).percentage(p -> p > 15);
            coverage.check(false).percentage(p -> p > 15);
        });
        assertThat(PayloadFingerprint.of(pair[0]).freeze().matches(PayloadFingerprint.of(pair[1])))
                .as("%s matches %s", text(pair[0]), text(pair[1])).isEqualTo(sameHash);
        assertThat(PayloadFingerprint.of(new Object[] {pair[0]}).freeze().matches(PayloadFingerprint.of(new Object[] {pair[1]})))
                .as("as argument arrays: %s matches %s", pair[0], pair[1]).isEqualTo(sameHash);
    }

    @Property(tries = 3000)
    void valueEqualsImpliesTheSameCanonicalHash(@ForAll("immutablePairs") Object[] pair) {
        boolean valueEqual = Values.valueEquals(pair[0], pair[1]);
        Statistics.label("value equal").collect(valueEqual);
        Statistics.label("value equal").coverage(coverage -> coverage.check(true).percentage(p -> p > 5));
        if (valueEqual) {
            assertThat(Canonical.hash(pair[1])).as("hash of %s, value-equal to %s", Model.describe(pair[1]),
                    Model.describe(pair[0]))
                    .isEqualTo(Canonical.hash(pair[0]));
        }
    }

    private static String text(Object value) {
        return new String(Canonical.json(value), java.nio.charset.StandardCharsets.US_ASCII);
    }

    // ---- generators ----

    @Provide
    Arbitrary<Object[]> pairs() {
        return pairsOf(value(3));
    }

    /** Values for which the fast path may answer: leaves and records of them (and argument arrays). */
    @Provide
    Arbitrary<Object[]> immutablePairs() {
        Arbitrary<Object> records = immutableRecord(3);
        return pairsOf(Arbitraries.frequencyOf(Tuple.of(1, leaf()), Tuple.of(4, records),
                Tuple.of(1, records.list().ofMaxSize(3).map(List::toArray))));
    }

    private Arbitrary<Object> immutableRecord(int depth) {
        Arbitrary<Object> inner = depth == 0 ? leaf()
                : Arbitraries.frequencyOf(Tuple.of(3, leaf()), Tuple.of(1, Arbitraries.lazy(
                        () -> immutableRecord(depth - 1))));
        return Arbitraries.oneOf(
                Combinators.combine(inner, inner).as(Pair::new),
                Combinators.combine(inner, strings()).as(Masked::new),
                inner.map(Box::new));
    }

    private static Arbitrary<Object[]> pairsOf(Arbitrary<Object> values) {
        Arbitrary<Long> seeds = Arbitraries.longs();
        return Arbitraries.frequencyOf(
                Tuple.of(1, Combinators.combine(values, values).as((a, b) -> new Object[] {a, b})),
                Tuple.of(2, Combinators.combine(values, seeds).as((a, seed) ->
                        new Object[] {a, Rebuild.copy(a, new Random(seed))})),
                Tuple.of(3, Combinators.combine(values, seeds).as((a, seed) ->
                        new Object[] {a, Rebuild.nearMiss(a, new Random(seed))})));
    }

    private Arbitrary<Object> value(int depth) {
        if (depth == 0) {
            return leaf();
        }
        Arbitrary<Object> inner = Arbitraries.lazy(() -> value(depth - 1));
        Arbitrary<Object> lists = Combinators.combine(inner.list().ofMaxSize(3), Arbitraries.of(true, false))
                .as((elements, linked) -> linked ? new ArrayList<>(elements)
                        : Collections.unmodifiableList(Arrays.asList(elements.toArray())));
        Arbitrary<Object> sets = Combinators.combine(inner.list().ofMaxSize(3), Arbitraries.of(true, false))
                .as((elements, linked) -> linked ? new LinkedHashSet<>(elements) : new HashSet<>(elements));
        Arbitrary<Object> maps = Combinators.combine(key().list().ofMaxSize(3), inner.list().ofSize(3),
                Arbitraries.of(true, false)).as((keys, values, linked) -> {
                    Map<Object, Object> map = linked ? new LinkedHashMap<>() : new HashMap<>();
                    for (int i = 0; i < keys.size(); i++) {
                        map.put(keys.get(i), values.get(i));
                    }
                    return map;
                });
        Arbitrary<Object> beans = Arbitraries.oneOf(
                Combinators.combine(inner, inner).as(Pair::new),
                Combinators.combine(inner, inner).as(Bag::new),
                Combinators.combine(inner, strings()).as(Masked::new),
                inner.map(Box::new));
        Arbitrary<Object> optionals = inner.map(Optional::ofNullable);
        return Arbitraries.frequencyOf(Tuple.of(4, leaf()), Tuple.of(2, lists), Tuple.of(2, sets),
                Tuple.of(2, maps), Tuple.of(3, beans), Tuple.of(1, optionals));
    }

    private static Arbitrary<Object> key() {
        return Arbitraries.oneOf(Arbitraries.of(-1, 0, 1, 2), Arbitraries.of(-1L, 0L, 1L, 2L),
                Arbitraries.of("0", "1", "null", "NaN", "a", "left"), Arbitraries.just(null));
    }

    private static Arbitrary<String> strings() {
        return Arbitraries.of("", "a", "b", "1", "0", "null", "NaN", "Infinity", "-Infinity", "left", "right",
                "****", "\u00e9", "\ud800");
    }

    private static Arbitrary<Object> leaf() {
        Arbitrary<Object> decimals = Combinators.combine(Arbitraries.of("0", "1", "1.5", "10", "-2.25"),
                Arbitraries.integers().between(0, 3)).as((text, extraScale) -> {
                    BigDecimal decimal = new BigDecimal(text);
                    return decimal.setScale(decimal.scale() + extraScale);
                });
        return Arbitraries.frequencyOf(
                Tuple.of(1, Arbitraries.just(null)),
                Tuple.of(3, strings().map(s -> s)),
                Tuple.of(2, Arbitraries.of(-1, 0, 1, 2, 10)),
                Tuple.of(2, Arbitraries.of(-1L, 0L, 1L, 2L, 10L)),
                Tuple.of(2, Arbitraries.of(0.0, -0.0, 1.0, 0.1, 10.0, 2.0E23, Double.NaN, Double.POSITIVE_INFINITY,
                        Double.NEGATIVE_INFINITY)),
                Tuple.of(2, decimals),
                Tuple.of(1, Arbitraries.of(true, false)));
    }

    // ---- rebuilding values: equal copies and near misses ----

    /** Rebuilds a value with other instances, classes and orders; a near miss also swaps exactly one leaf. */
    static final class Rebuild {
        private final Random random;
        private final int target;
        private int leaves;

        private Rebuild(Random random, int target) {
            this.random = random;
            this.target = target;
        }

        /** An equal copy: the model must find it equal. */
        static Object copy(Object value, Random random) {
            Object copy = new Rebuild(random, -1).rebuild(value);
            assertThat(Model.equal(value, copy)).as("a copy of %s is equal: %s", value, copy).isTrue();
            return copy;
        }

        /** A copy with one leaf swapped for a value easily confused with it: equal or not, the model says. */
        static Object nearMiss(Object value, Random random) {
            Rebuild counter = new Rebuild(random, -1);
            counter.rebuild(value);
            return new Rebuild(random, random.nextInt(Math.max(1, counter.leaves))).rebuild(value);
        }

        private Object rebuild(Object value) {
            if (value instanceof List<?> list) {
                List<Object> copy = new ArrayList<>();
                for (Object element : list) {
                    copy.add(rebuild(element));
                }
                return random.nextBoolean() ? copy : Collections.unmodifiableList(copy);
            }
            if (value instanceof Set<?> set) {
                List<Object> elements = new ArrayList<>();
                for (Object element : set) {
                    elements.add(rebuild(element));
                }
                Collections.reverse(elements); // another insertion order
                Set<Object> copy = random.nextBoolean() ? new LinkedHashSet<>(elements) : new HashSet<>(elements);
                // Rebuilt elements that became equal (0.0 and 0.00 both rescaled to 0.000) would merge: keep the
                // original elements then, so that the copy has the same members.
                return copy.size() == set.size() ? copy : new LinkedHashSet<>(set);
            }
            if (value instanceof Map<?, ?> map) {
                List<Object[]> entries = new ArrayList<>();
                for (Map.Entry<?, ?> entry : map.entrySet()) {
                    entries.add(new Object[] {rebuild(entry.getKey()), rebuild(entry.getValue())});
                }
                Collections.reverse(entries);
                Map<Object, Object> copy = random.nextBoolean() ? new LinkedHashMap<>() : new HashMap<>();
                for (Object[] entry : entries) {
                    copy.put(entry[0], entry[1]);
                }
                return copy.size() == map.size() ? copy : new LinkedHashMap<>(map); // keys merged: see sets
            }
            if (value instanceof Pair pair) {
                Object left = rebuild(pair.left());
                Object right = rebuild(pair.right());
                return random.nextInt(4) == 0 ? new Bag(left, right) : new Pair(left, right);
            }
            if (value instanceof Bag bag) {
                return new Bag(rebuild(bag.left), rebuild(bag.right));
            }
            if (value instanceof Masked masked) {
                return new Masked(rebuild(masked.secret), rebuild(masked.label()));
            }
            if (value instanceof Box box) {
                return new Box(rebuild(box.value()));
            }
            if (value instanceof Optional<?> optional) {
                return Optional.ofNullable(rebuild(optional.orElse(null)));
            }
            if (value instanceof Object[] array) {
                Object[] copy = new Object[array.length];
                for (int i = 0; i < array.length; i++) {
                    copy[i] = rebuild(array[i]);
                }
                return copy;
            }
            return leaves++ == target ? confusable(value) : copyOfLeaf(value);
        }

        private Object copyOfLeaf(Object leaf) {
            if (leaf instanceof BigDecimal decimal) {
                return decimal.setScale(decimal.scale() + random.nextInt(3)); // same value, maybe another scale
            }
            if (leaf instanceof String s) {
                return new String(s);
            }
            return leaf;
        }

        private Object confusable(Object leaf) {
            List<Object> candidates = new ArrayList<>();
            if (leaf == null) {
                candidates.addAll(List.of("null", Optional.empty(), 0));
            } else if (leaf instanceof Integer i) {
                candidates.addAll(List.of((long) i, String.valueOf(i), BigDecimal.valueOf(i), (double) i, i + 1));
            } else if (leaf instanceof Long l) {
                candidates.addAll(List.of((int) (long) l, String.valueOf(l), BigDecimal.valueOf(l), l + 1));
            } else if (leaf instanceof Double d) {
                candidates.addAll(List.of(-d, (float) (double) d, String.valueOf(d), d + 1));
                if (Double.isFinite(d)) {
                    candidates.add(new BigDecimal(Double.toString(d)));
                }
            } else if (leaf instanceof BigDecimal decimal) {
                candidates.addAll(List.of(decimal.doubleValue(), decimal.setScale(decimal.scale() + 1),
                        decimal.add(BigDecimal.ONE), decimal.toPlainString()));
                if (decimal.stripTrailingZeros().scale() <= 0) {
                    candidates.add(decimal.intValue());
                }
            } else if (leaf instanceof String s) {
                candidates.addAll(List.of(s + "x", s.toUpperCase(java.util.Locale.ROOT), ""));
                switch (s) {
                    case "null" -> candidates.add(Optional.empty());
                    case "NaN" -> candidates.addAll(List.of(Double.NaN, Float.NaN));
                    case "Infinity" -> candidates.addAll(List.of(Double.POSITIVE_INFINITY, Float.POSITIVE_INFINITY));
                    case "1", "0" -> candidates.addAll(List.of(Integer.valueOf(s), Long.valueOf(s)));
                    default -> candidates.add(s.toCharArray());
                }
            } else if (leaf instanceof Boolean b) {
                candidates.addAll(List.of(!b, String.valueOf(b)));
            } else {
                candidates.add(String.valueOf(leaf));
            }
            return candidates.get(random.nextInt(candidates.size()));
        }
    }

    // ---- the model ----

    /**
     * Equality by value as {@link Canonical} documents it, defined without it: structural; lists, arrays and other
     * sequences pairwise; sets unordered (as multisets of values: two elements of a set may be equal by value but
     * not by {@code equals}); maps as multisets of entries, keys compared with their type; beans and records as the
     * map of their field names to values, whatever their class, and never equal to a map; numbers of the same class
     * only, decimals by {@code compareTo}, others by {@code equals} (so {@code NaN} equals itself and {@code -0.0}
     * differs from {@code 0.0}); text values ({@code String}, {@code char[]}) by their characters; an
     * {@code Optional} as its content or null.
     */
    static final class Model {
        private enum Kind { NULL, TEXT, BOOLEAN, NUMBER, SEQUENCE, SET, MAP, BEAN }

        private Model() {
        }

        static boolean equal(Object first, Object second) {
            Object a = unwrap(first);
            Object b = unwrap(second);
            Kind kind = kind(a);
            if (kind != kind(b)) {
                return false;
            }
            return switch (kind) {
                case NULL -> true;
                case TEXT -> text(a).equals(text(b));
                case BOOLEAN -> a.equals(b);
                case NUMBER -> a.getClass() == b.getClass() && (a instanceof BigDecimal x
                        ? x.compareTo((BigDecimal) b) == 0 : a.equals(b));
                case SEQUENCE -> pairwise(sequence(a), sequence(b));
                case SET -> sameMultiset(new ArrayList<>((Set<?>) a), new ArrayList<>((Set<?>) b));
                case MAP -> sameMultiset(entries((Map<?, ?>) a), entries((Map<?, ?>) b));
                case BEAN -> sameProperties(properties(a), properties(b));
            };
        }

        /** The value with the class of every part, for failure messages: {@code 1} and {@code 1L} print alike. */
        static String describe(Object value) {
            if (value == null) {
                return "null";
            }
            String type = value.getClass().getSimpleName();
            if (value instanceof Map<?, ?> map) {
                StringBuilder text = new StringBuilder(type).append('{');
                map.forEach((k, v) -> text.append(describe(k)).append('=').append(describe(v)).append(", "));
                return text.append('}').toString();
            }
            if (value instanceof Collection<?> || value instanceof Object[]) {
                List<String> parts = new ArrayList<>();
                sequence(value).forEach(element -> parts.add(describe(element)));
                return type + parts;
            }
            if (value instanceof Optional<?> optional) {
                return "Optional(" + describe(optional.orElse(null)) + ")";
            }
            if (kind(value) == Kind.BEAN) {
                StringBuilder text = new StringBuilder(type).append('[');
                properties(value).forEach((k, v) -> text.append(k).append('=').append(describe(v)).append(", "));
                return text.append(']').toString();
            }
            return (value instanceof char[] chars ? new String(chars) : value) + ":" + type;
        }

        private static Object unwrap(Object value) {
            while (value instanceof Optional<?> optional) {
                value = optional.orElse(null);
            }
            return value;
        }

        private static Kind kind(Object value) {
            if (value == null) {
                return Kind.NULL;
            }
            if (value instanceof String || value instanceof char[]) {
                return Kind.TEXT;
            }
            if (value instanceof Boolean) {
                return Kind.BOOLEAN;
            }
            if (value instanceof Number) {
                return Kind.NUMBER;
            }
            if (value instanceof Set<?>) {
                return Kind.SET;
            }
            if (value instanceof Collection<?> || value instanceof Object[]) {
                return Kind.SEQUENCE;
            }
            if (value instanceof Map<?, ?>) {
                return Kind.MAP;
            }
            return Kind.BEAN;
        }

        private static String text(Object value) {
            return value instanceof char[] chars ? new String(chars) : (String) value;
        }

        private static List<?> sequence(Object value) {
            return value instanceof Object[] array ? Arrays.asList(array) : new ArrayList<>((Collection<?>) value);
        }

        private static boolean pairwise(List<?> a, List<?> b) {
            if (a.size() != b.size()) {
                return false;
            }
            for (int i = 0; i < a.size(); i++) {
                if (!equal(a.get(i), b.get(i))) {
                    return false;
                }
            }
            return true;
        }

        private static List<Object> entries(Map<?, ?> map) {
            List<Object> entries = new ArrayList<>();
            map.forEach((key, value) -> entries.add(new Object[] {key, value}));
            return entries;
        }

        /** Whether each element of one list can be paired with an equal, unpaired one of the other. */
        private static boolean sameMultiset(List<?> a, List<?> b) {
            if (a.size() != b.size()) {
                return false;
            }
            List<Object> unpaired = new ArrayList<>(b);
            for (Object element : a) {
                boolean paired = false;
                for (int i = 0; i < unpaired.size() && !paired; i++) {
                    if (equal(element, unpaired.get(i))) {
                        unpaired.remove(i);
                        paired = true;
                    }
                }
                if (!paired) {
                    return false; // equality by value is an equivalence: a greedy pairing is a perfect one
                }
            }
            return true;
        }

        private static boolean sameProperties(Map<String, Object> a, Map<String, Object> b) {
            if (!a.keySet().equals(b.keySet())) {
                return false;
            }
            for (Map.Entry<String, Object> property : a.entrySet()) {
                if (!equal(property.getValue(), b.get(property.getKey()))) {
                    return false;
                }
            }
            return true;
        }

        private static Map<String, Object> properties(Object bean) {
            Map<String, Object> properties = new TreeMap<>();
            for (Class<?> type = bean.getClass(); type != Object.class; type = type.getSuperclass()) {
                for (Field field : type.getDeclaredFields()) {
                    if (Modifier.isStatic(field.getModifiers()) || Modifier.isTransient(field.getModifiers())) {
                        continue;
                    }
                    try {
                        field.setAccessible(true);
                        properties.put(field.getName(), field.get(bean));
                    } catch (IllegalAccessException e) {
                        throw new AssertionError(e);
                    }
                }
            }
            return properties;
        }
    }
}
