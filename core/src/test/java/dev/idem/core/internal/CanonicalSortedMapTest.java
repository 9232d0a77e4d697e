package dev.idem.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;
import org.junit.jupiter.api.Test;

/**
 * A map sorted by its own comparator must have the canonical form of an equal {@code HashMap}: its iteration order
 * says nothing about its value. Fails on 145cb18: Jackson's {@code ORDER_MAP_ENTRIES_BY_KEYS} leaves any
 * {@code SortedMap} in its own order, so equal maps get different fingerprints.
 */
class CanonicalSortedMapTest {

    @Test
    void hash_ofTreeMapWithReverseComparatorEqualsHashOfEqualHashMap() {
        Map<String, Integer> hash = new HashMap<>(Map.of("a", 1, "b", 2, "c", 3));
        Map<String, Integer> reversed = new TreeMap<>(Comparator.reverseOrder());
        reversed.putAll(hash);
        assertThat(reversed).isEqualTo(hash);
        assertThat(Canonical.hash(reversed)).isEqualTo(Canonical.hash(hash));
    }

    @Test
    void hash_ofCaseInsensitiveTreeMapEqualsHashOfEqualHashMap() {
        Map<String, Integer> hash = new HashMap<>(Map.of("B", 1, "a", 2));
        Map<String, Integer> caseInsensitive = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        caseInsensitive.putAll(hash);
        assertThat(caseInsensitive).isEqualTo(hash);
        assertThat(Canonical.hash(caseInsensitive)).isEqualTo(Canonical.hash(hash));
    }

    @Test
    void hash_ofSkipListMapWithReverseComparatorEqualsHashOfEqualHashMap() {
        Map<String, Integer> hash = new HashMap<>(Map.of("a", 1, "b", 2));
        Map<String, Integer> reversed = new ConcurrentSkipListMap<>(Comparator.reverseOrder());
        reversed.putAll(hash);
        assertThat(reversed).isEqualTo(hash);
        assertThat(Canonical.hash(reversed)).isEqualTo(Canonical.hash(hash));
    }
}
