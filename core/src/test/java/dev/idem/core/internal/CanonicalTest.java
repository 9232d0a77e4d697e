package dev.idem.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class CanonicalTest {

    enum Color { RED, GREEN }

    record Line(String sku, int quantity, BigDecimal price) {
    }

    record Order(String id, List<Line> lines, Map<String, String> attributes, Set<String> tags) {
    }

    /** A DTO that does not override equals or hashCode. */
    static final class Dto {
        private final String id;
        private final BigDecimal amount;
        private final List<String> tags;

        Dto(String id, BigDecimal amount, List<String> tags) {
            this.id = id;
            this.amount = amount;
            this.tags = tags;
        }
    }

    /** A node of a graph, for cycles; identity equals. */
    static final class Node {
        private final String name;
        private Node next;

        Node(String name) {
            this.name = name;
        }
    }

    /** A node whose only links to others go through a set: identity equals and hashCode. */
    static final class Linked {
        private final Set<Linked> links = new HashSet<>();
    }

    private static String json(Object value) {
        return new String(Canonical.json(value), StandardCharsets.UTF_8);
    }

    @Test
    void json_sortsPropertiesByName() {
        assertThat(json(new Dto("a-1", new BigDecimal("1"), List.of("x"))))
                .isEqualTo("{\"amount\":#bigdecimal(1),\"id\":\"a-1\",\"tags\":[\"x\"]}");
    }

    @Test
    void json_ofNullIsTheJsonNull() {
        assertThat(json(null)).isEqualTo("null");
    }

    @Test
    void hash_ofNullIsStableAndDiffersFromEmptyString() {
        assertThat(Canonical.hash(null)).isEqualTo(Canonical.hash(null)).isNotEqualTo(Canonical.hash(""));
    }

    @Test
    void hash_isUnpaddedBase64UrlSha256() {
        assertThat(Canonical.hash("anything")).hasSize(43).matches("[A-Za-z0-9_-]{43}");
    }

    @Test
    void hash_ofMapDoesNotDependOnIterationOrder() {
        Map<String, Integer> hash = new HashMap<>();
        Map<String, Integer> linked = new LinkedHashMap<>();
        Map<String, Integer> tree = new TreeMap<>();
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            keys.add("key-" + i);
        }
        for (String k : keys) {
            hash.put(k, k.length());
        }
        for (int i = keys.size() - 1; i >= 0; i--) {
            linked.put(keys.get(i), keys.get(i).length());
        }
        for (int i = 0; i < keys.size(); i += 2) {
            tree.put(keys.get(i), keys.get(i).length());
        }
        for (int i = 1; i < keys.size(); i += 2) {
            tree.put(keys.get(i), keys.get(i).length());
        }
        assertThat(Canonical.hash(linked)).isEqualTo(Canonical.hash(hash)).isEqualTo(Canonical.hash(tree));
        assertThat(json(linked)).startsWith("#map{\"key-0\":5,\"key-1\":5,\"key-10\":6");
    }

    @Test
    void hash_ofMapDiffersWhenAValueDiffers() {
        Map<String, Integer> a = new HashMap<>(Map.of("a", 1, "b", 2));
        Map<String, Integer> b = new HashMap<>(Map.of("a", 1, "b", 3));
        assertThat(Canonical.hash(a)).isNotEqualTo(Canonical.hash(b));
    }

    @Test
    void hash_ofSetDoesNotDependOnInsertionOrder() {
        Set<String> hash = new HashSet<>();
        Set<String> forward = new LinkedHashSet<>();
        Set<String> backward = new LinkedHashSet<>();
        for (int i = 0; i < 50; i++) {
            hash.add("element-" + i);
            forward.add("element-" + i);
            backward.add("element-" + (49 - i));
        }
        assertThat(Canonical.hash(forward)).isEqualTo(Canonical.hash(backward)).isEqualTo(Canonical.hash(hash));
    }

    @Test
    void hash_ofSetOfDtosDoesNotDependOnInsertionOrder() {
        Set<Object> forward = new LinkedHashSet<>();
        Set<Object> backward = new LinkedHashSet<>();
        forward.add(new Dto("a", BigDecimal.ONE, List.of()));
        forward.add(new Dto("b", BigDecimal.TEN, List.of("t")));
        backward.add(new Dto("b", BigDecimal.TEN, List.of("t")));
        backward.add(new Dto("a", BigDecimal.ONE, List.of()));
        assertThat(Canonical.hash(forward)).isEqualTo(Canonical.hash(backward));
    }

    @Test
    void hash_ofSetDiffersFromHashOfAnotherSet() {
        assertThat(Canonical.hash(Set.of("a", "b"))).isNotEqualTo(Canonical.hash(Set.of("a", "c")));
    }

    @Test
    void hash_ofListDependsOnOrder() {
        assertThat(Canonical.hash(List.of("a", "b"))).isNotEqualTo(Canonical.hash(List.of("b", "a")));
    }

    @Test
    void hash_ofEqualDtoCopiesWithoutEqualsIsEqual() {
        Dto a = new Dto("order-1", new BigDecimal("12.50"), new ArrayList<>(List.of("x", "y")));
        Dto b = new Dto("order-1", new BigDecimal("12.50"), List.of("x", "y"));
        assertThat(a).isNotEqualTo(b); // no equals: the canonical form must not need it
        assertThat(Canonical.hash(a)).isEqualTo(Canonical.hash(b));
    }

    @Test
    void hash_ofDtosWithDifferentFieldValuesDiffers() {
        Dto a = new Dto("order-1", new BigDecimal("12.50"), List.of("x"));
        assertThat(Canonical.hash(a)).isNotEqualTo(Canonical.hash(new Dto("order-2", new BigDecimal("12.50"),
                List.of("x"))));
        assertThat(Canonical.hash(a)).isNotEqualTo(Canonical.hash(new Dto("order-1", new BigDecimal("12.51"),
                List.of("x"))));
        assertThat(Canonical.hash(a)).isNotEqualTo(Canonical.hash(new Dto("order-1", new BigDecimal("12.50"),
                List.of("y"))));
        assertThat(Canonical.hash(a)).isNotEqualTo(Canonical.hash(new Dto("order-1", null, List.of("x"))));
    }

    @Test
    void hash_ofBigDecimalIgnoresTrailingZeros() {
        assertThat(Canonical.hash(new BigDecimal("10.0"))).isEqualTo(Canonical.hash(new BigDecimal("10.00")))
                .isEqualTo(Canonical.hash(new BigDecimal("10")))
                .isEqualTo(Canonical.hash(new BigDecimal("1E+1")));
        assertThat(json(new BigDecimal("10.00"))).isEqualTo("#bigdecimal(10)");
        assertThat(json(new BigDecimal("0.000"))).isEqualTo("#bigdecimal(0)");
        assertThat(Canonical.hash(new BigDecimal("10.01"))).isNotEqualTo(Canonical.hash(new BigDecimal("10.1")));
    }

    @Test
    void hash_ofBigDecimalInsideARecordIgnoresTrailingZeros() {
        assertThat(Canonical.hash(new Line("sku", 1, new BigDecimal("10.0"))))
                .isEqualTo(Canonical.hash(new Line("sku", 1, new BigDecimal("10.00"))));
    }

    @Test
    void json_writesJavaTimeValuesAsIsoText() {
        assertThat(json(Instant.parse("2024-01-02T03:04:05Z"))).isEqualTo("\"2024-01-02T03:04:05Z\"");
        assertThat(json(LocalDate.of(2024, 1, 2))).isEqualTo("\"2024-01-02\"");
        assertThat(json(LocalDateTime.of(2024, 1, 2, 3, 4, 5))).isEqualTo("\"2024-01-02T03:04:05\"");
        assertThat(json(Duration.ofMinutes(90))).isEqualTo("\"PT1H30M\"");
        assertThat(json(OffsetDateTime.of(2024, 1, 2, 3, 4, 5, 0, ZoneOffset.ofHours(2))))
                .isEqualTo("\"2024-01-02T03:04:05+02:00\"");
    }

    @Test
    void hash_ofJavaTimeValuesDiffersByValue() {
        assertThat(Canonical.hash(LocalDate.of(2024, 1, 2))).isEqualTo(Canonical.hash(LocalDate.parse("2024-01-02")))
                .isNotEqualTo(Canonical.hash(LocalDate.of(2024, 1, 3)));
        assertThat(Canonical.hash(ZonedDateTime.of(2024, 1, 2, 3, 4, 5, 0, ZoneOffset.UTC)))
                .isNotEqualTo(Canonical.hash(ZonedDateTime.of(2024, 1, 2, 3, 4, 6, 0, ZoneOffset.UTC)));
    }

    @Test
    void json_writesOptionalAsItsValueOrNull() {
        assertThat(json(Optional.of("x"))).isEqualTo("\"x\"");
        assertThat(json(Optional.empty())).isEqualTo("null");
        assertThat(Canonical.hash(Optional.of(new BigDecimal("1.0"))))
                .isEqualTo(Canonical.hash(Optional.of(new BigDecimal("1.00"))))
                .isNotEqualTo(Canonical.hash(Optional.empty()));
    }

    @Test
    void json_writesRecordsByComponentNameSorted() {
        assertThat(json(new Line("sku-1", 2, new BigDecimal("3.50"))))
                .isEqualTo("{\"price\":#bigdecimal(3.5),\"quantity\":2,\"sku\":\"sku-1\"}");
    }

    @Test
    void hash_ofNestedCollectionsDoesNotDependOnMapOrSetOrder() {
        Map<String, String> attributesA = new HashMap<>();
        attributesA.put("channel", "web");
        attributesA.put("country", "FR");
        Map<String, String> attributesB = new LinkedHashMap<>();
        attributesB.put("country", "FR");
        attributesB.put("channel", "web");
        Set<String> tagsA = new LinkedHashSet<>(List.of("gift", "express", "fragile"));
        Set<String> tagsB = new LinkedHashSet<>(List.of("fragile", "gift", "express"));
        Order a = new Order("o-1", List.of(new Line("s", 1, new BigDecimal("2.0"))), attributesA, tagsA);
        Order b = new Order("o-1", new ArrayList<>(List.of(new Line("s", 1, new BigDecimal("2.00")))), attributesB,
                tagsB);
        assertThat(Canonical.hash(a)).isEqualTo(Canonical.hash(b));
        Order c = new Order("o-1", List.of(new Line("s", 2, new BigDecimal("2.0"))), attributesA, tagsA);
        assertThat(Canonical.hash(a)).isNotEqualTo(Canonical.hash(c));
    }

    @Test
    void hash_ofMapOfSetsOfMapsDoesNotDependOnOrder() {
        Map<String, Set<Map<String, Integer>>> a = new HashMap<>();
        a.put("x", new LinkedHashSet<>(List.of(new LinkedHashMap<>(Map.of("p", 1)), Map.of("q", 2))));
        Map<String, Set<Map<String, Integer>>> b = new TreeMap<>();
        b.put("x", new LinkedHashSet<>(List.of(Map.of("q", 2), new HashMap<>(Map.of("p", 1)))));
        assertThat(Canonical.hash(a)).isEqualTo(Canonical.hash(b));
    }

    @Test
    void hash_isStableAcrossJvms() {
        // Computed once. If this changes, every fingerprint recorded in a shared store stops matching: change the
        // canonical form only on purpose, and say so in the release notes. Changed on purpose for issue 8 (typed
        // numbers and map keys, tagged maps and sets), before any release.
        Map<String, String> attributes = new HashMap<>();
        attributes.put("country", "FR");
        attributes.put("channel", "web");
        Order order = new Order("order-42",
                List.of(new Line("sku-1", 2, new BigDecimal("19.90")), new Line("sku-2", 1, new BigDecimal("5"))),
                attributes, new HashSet<>(Set.of("gift", "express")));
        assertThat(json(order)).isEqualTo("{\"attributes\":#map{\"channel\":\"web\",\"country\":\"FR\"},"
                + "\"id\":\"order-42\",\"lines\":[{\"price\":#bigdecimal(19.9),\"quantity\":2,\"sku\":\"sku-1\"},"
                + "{\"price\":#bigdecimal(5),\"quantity\":1,\"sku\":\"sku-2\"}],\"tags\":#set[\"express\",\"gift\"]}");
        assertThat(Canonical.hash(order)).isEqualTo("2KZBhmNuS-ViBxnA-8xwaZAvEN7c2vmublGHT9PzpCk");
    }

    @Test
    void json_ofDirectCycleFailsWithIllegalArgumentException() {
        Node node = new Node("a");
        node.next = node;
        assertThatIllegalArgumentException().isThrownBy(() -> Canonical.json(node))
                .withMessage("no canonical form for a " + Node.class.getName() + ": a cycle: a " + Node.class.getName()
                        + " contains itself");
    }

    @Test
    void json_ofIndirectCycleFailsWithIllegalArgumentException() {
        Node a = new Node("a");
        Node b = new Node("b");
        a.next = b;
        b.next = a;
        assertThatIllegalArgumentException().isThrownBy(() -> Canonical.hash(a))
                .withMessage("no canonical form for a " + Node.class.getName() + ": a cycle: a " + Node.class.getName()
                        + " contains itself");
    }

    @Test
    void json_ofCycleThroughAListFailsWithIllegalArgumentException() {
        List<Object> list = new ArrayList<>();
        list.add("x");
        list.add(list);
        assertThatIllegalArgumentException().isThrownBy(() -> Canonical.hash(list));
    }

    @Test
    void json_ofCycleThroughASetFailsWithIllegalArgumentException() {
        Linked a = new Linked();
        Linked b = new Linked();
        a.links.add(b);
        b.links.add(a);
        assertThatIllegalArgumentException().isThrownBy(() -> Canonical.hash(a))
                .withMessage("no canonical form for a " + Linked.class.getName() + ": a cycle: a " + Linked.class.getName()
                        + " contains itself");
    }

    @Test
    void hash_ofTreeSetWithItsOwnComparatorEqualsHashOfEqualHashSet() {
        Set<String> hash = new HashSet<>(Set.of("a", "b", "c"));
        Set<String> reversed = new TreeSet<>(Comparator.reverseOrder());
        reversed.addAll(hash);
        assertThat(Canonical.hash(reversed)).isEqualTo(Canonical.hash(hash));
    }

    @Test
    void text_ofStringIsTheString() {
        assertThat(Canonical.text("order-1")).isEqualTo("order-1");
        assertThat(Canonical.text("")).isEmpty();
    }

    @Test
    void text_ofNumbersIsTheirDecimalText() {
        assertThat(Canonical.text(42)).isEqualTo("42");
        assertThat(Canonical.text(-7L)).isEqualTo("-7");
        assertThat(Canonical.text(new BigInteger("123456789012345678901234567890")))
                .isEqualTo("123456789012345678901234567890");
        assertThat(Canonical.text(2.5d)).isEqualTo("2.5");
    }

    @Test
    void text_ofBigDecimalHasNoTrailingZerosAndNoExponent() {
        assertThat(Canonical.text(new BigDecimal("10.00"))).isEqualTo("10");
        assertThat(Canonical.text(new BigDecimal("10.50"))).isEqualTo("10.5");
        assertThat(Canonical.text(new BigDecimal("1E+3"))).isEqualTo("1000");
        assertThat(Canonical.text(new BigDecimal("0.00"))).isEqualTo("0");
        assertThat(Canonical.text(new BigDecimal("-0.0010"))).isEqualTo("-0.001");
    }

    @Test
    void text_ofEnumIsItsName() {
        assertThat(Canonical.text(Color.GREEN)).isEqualTo("GREEN");
    }

    @Test
    void text_ofUuidIsItsStandardText() {
        UUID uuid = UUID.fromString("123e4567-e89b-12d3-a456-426614174000");
        assertThat(Canonical.text(uuid)).isEqualTo("123e4567-e89b-12d3-a456-426614174000");
    }

    @Test
    void text_ofBooleanAndCharacter() {
        assertThat(Canonical.text(true)).isEqualTo("true");
        assertThat(Canonical.text('c')).isEqualTo("c");
    }

    @Test
    void text_ofJavaTimeValueIsItsIsoText() {
        assertThat(Canonical.text(LocalDate.of(2024, 2, 29))).isEqualTo("2024-02-29");
        assertThat(Canonical.text(Instant.parse("2024-01-02T03:04:05Z"))).isEqualTo("2024-01-02T03:04:05Z");
    }

    @Test
    void text_ofRecordIsItsCanonicalJson() {
        assertThat(Canonical.text(new Line("sku-1", 2, new BigDecimal("3.50"))))
                .isEqualTo("{\"price\":#bigdecimal(3.5),\"quantity\":2,\"sku\":\"sku-1\"}");
    }
}
