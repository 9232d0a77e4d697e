package dev.idem.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The rules by which a decoded outcome is compared with the original: equal by value, first difference named. */
class RoundTripTest {

    /** No equals of its own. */
    static final class Bag {
        private final Object content;
        private transient int cachedHash; // a cache filled lazily: not written by Jackson

        Bag(Object content, int cachedHash) {
            this.content = content;
            this.cachedHash = cachedHash;
        }
    }

    static class Base {
        private final String inherited;

        Base(String inherited) {
            this.inherited = inherited;
        }
    }

    static final class Derived extends Base {
        Derived(String inherited) {
            super(inherited);
        }
    }

    record Money(BigDecimal amount) {
    }

    private static String difference(Object original, Object decoded) {
        return RoundTrip.firstDifference(original, decoded, "Declared", field -> true);
    }

    @Test
    void nullsAreEqualAndNullIsNotAValue() {
        assertThat(difference(null, null)).isNull();
        assertThat(difference("a", null)).isEqualTo("$: a java.lang.String came back as null (declared type Declared)");
        assertThat(difference(null, "a")).isEqualTo("$: null came back as a java.lang.String (declared type Declared)");
    }

    @Test
    void optionalsCompareByPresenceAndContent() {
        assertThat(difference(Optional.of(List.of(1)), Optional.of(new ArrayList<>(List.of(1))))).isNull();
        assertThat(difference(Optional.empty(), Optional.empty())).isNull();
        assertThat(difference(Optional.of("a"), Optional.empty())).isEqualTo("$: a present Optional came back empty");
        assertThat(difference(Optional.empty(), Optional.of("a"))).isEqualTo("$: an empty Optional came back present");
        assertThat(difference(Optional.of(1L), Optional.of(1)))
                .isEqualTo("$: a java.lang.Long came back as a java.lang.Integer");
    }

    @Test
    void mapsCompareByTypedKeysAndValuesWhateverTheirClass() {
        assertThat(difference(Map.of(1, "a", 2, "b"), new TreeMap<>(Map.of(2, "b", 1, "a")))).isNull();
        assertThat(difference(Map.of(1, "a"), Map.of("1", "a")))
                .isEqualTo("$[1]: the key (a java.lang.Integer) came back as a java.lang.String");
        assertThat(difference(Map.of(1, "a"), Map.of(2, "a"))).isEqualTo("$[1]: the key (a java.lang.Integer) came "
                + "back missing");
        assertThat(difference(Map.of("k", 1L), Map.of("k", 1)))
                .isEqualTo("$[?]: a java.lang.Long came back as a java.lang.Integer");
        assertThat(difference(Map.of(1, "a"), Map.of(1, "a", 2, "b")))
                .isEqualTo("$: a map of 1 entries came back with 2");
        Map<Object, Object> withNull = new HashMap<>();
        withNull.put(null, 1);
        assertThat(difference(withNull, new HashMap<>(withNull))).isNull();
    }

    @Test
    void listsComparePairwiseWhateverTheirClass() {
        assertThat(difference(List.of("a", "b"), new ArrayList<>(List.of("a", "b")))).isNull();
        assertThat(difference(List.of("a", "b"), List.of("b", "a")))
                .isEqualTo("$[0]: a java.lang.String came back different");
        assertThat(difference(List.of("a"), List.of("a", "b"))).isEqualTo("$: a sequence of 1 elements came back "
                + "with 2");
        assertThat(difference(List.of("a"), Set.of("a")))
                .startsWith("$: a java.util.ImmutableCollections$List12 came back as a java.util.");
        assertThat(difference(new ArrayDeque<>(List.of(1, 2)), new ArrayList<>(List.of(1, 2)))).isNull();
    }

    @Test
    void setsCompareByMembershipWhateverTheirClass() {
        assertThat(difference(Set.of("a", "b"), new TreeSet<>(Set.of("b", "a")))).isNull();
        assertThat(difference(Set.of("a", "b"), Set.of("a", "c")))
                .isEqualTo("$: an element (a java.lang.String) came back missing or different");
        assertThat(difference(Set.of("a"), List.of("a"))).startsWith("$: a java.util.ImmutableCollections$Set12 came "
                + "back as a java.util.ImmutableCollections$List12");
        assertThat(difference(Set.of(1), Set.of(1, 2))).isEqualTo("$: a set of 1 elements came back with 2");
    }

    @Test
    void setsOfElementsWithoutEqualsCompareByCanonicalForm() {
        Set<Bag> original = new HashSet<>(List.of(new Bag("x", 1), new Bag("y", 2)));
        // The canonical form (like the codec) does not write transient fields: membership ignores them.
        Set<Bag> equal = new HashSet<>(List.of(new Bag("y", 2), new Bag("x", 1)));
        Set<Bag> different = new HashSet<>(List.of(new Bag("y", 0), new Bag("z", 0)));
        Set<Bag> twice = new HashSet<>(List.of(new Bag("x", 0), new Bag("x", 0)));
        assertThat(difference(original, equal)).isNull();
        assertThat(difference(original, different)).isEqualTo("$: an element (a " + Bag.class.getName()
                + ") came back missing or different");
        assertThat(difference(original, twice)).as("each element matches once").isNotNull();
    }

    @Test
    void arraysCompareByClassAndElements() {
        assertThat(difference(new int[] {1, 2}, new int[] {1, 2})).isNull();
        assertThat(difference(new int[] {1, 2}, new int[] {1, 3})).isEqualTo("$: a [I came back different");
        assertThat(difference(new String[] {"a"}, new Object[] {"a"}))
                .isEqualTo("$: a [Ljava.lang.String; came back as a [Ljava.lang.Object; (declared type Declared)");
        assertThat(difference(new Object[] {1L}, new Object[] {1}))
                .isEqualTo("$[0]: a java.lang.Long came back as a java.lang.Integer");
    }

    @Test
    void valueTypesCompareByClassAndEquals() {
        assertThat(difference(new BigDecimal("1.50"), new BigDecimal("1.50"))).isNull();
        assertThat(difference(new Money(new BigDecimal("1.50")), new Money(new BigDecimal("1.5"))))
                .isEqualTo("$.amount: a java.math.BigDecimal came back different");
        assertThat(difference(-0.0, 0.0)).isEqualTo("$: a java.lang.Double came back different");
        assertThat(difference(Double.NaN, Double.NaN)).isNull();
    }

    @Test
    void otherObjectsCompareFieldByFieldIncludingInheritedAndTransientFields() {
        assertThat(difference(new Bag("x", 1), new Bag("x", 1))).isNull();
        assertThat(difference(new Bag("x", 1), new Bag("x", 0)))
                .as("transient state may be the whole state (java.util.Date)")
                .isEqualTo("$.cachedHash: a java.lang.Integer came back different");
        assertThat(difference(new Bag("x", 1), new Bag("y", 1)))
                .isEqualTo("$.content: a java.lang.String came back different");
        assertThat(difference(new Bag(5L, 0), new Bag(5, 0)))
                .isEqualTo("$.content: a java.lang.Long came back as a java.lang.Integer (declared type "
                        + "java.lang.Object)");
        assertThat(difference(new Derived("a"), new Derived("b")))
                .isEqualTo("$.inherited: a java.lang.String came back different");
    }

    @Test
    void fieldsNotVisibleToTheCodecAreNamedAsSuch() {
        assertThat(RoundTrip.firstDifference(new Bag(new LinkedHashMap<>(Map.of("a", 1)), 0),
                new Bag(new LinkedHashMap<>(), 0), "Bag", field -> false))
                .isEqualTo("$.content: state not visible to the codec came back different");
    }

    @Test
    void objectsWhoseFieldsCannotBeReadCompareByCanonicalForm() {
        // java.util.Date's fields are in java.base, not open to reflection.
        assertThat(difference(new Date(1_000), new Date(1_000))).isNull();
        assertThat(difference(new Date(1_000), new Date(2_000)))
                .isEqualTo("$: a java.util.Date came back different (compared by its canonical form, its fields are "
                        + "not readable)");
    }
}
