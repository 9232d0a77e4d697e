package dev.idem.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.AbstractMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Distinct payloads have distinct canonical forms; the few that are equal by value are equal on purpose (see
 * {@link Canonical}'s description). Fails on 11eb31c: map keys were turned into their text, so keys of different
 * types merged (and one entry was lost), a null key equalled the key "null", and NaN was written as the string "NaN".
 */
class CanonicalDistinctTest {

    record Pair(Object left, Object right) {
    }

    /** Same properties as {@link Pair}, another class. */
    static final class PairBean {
        private final Object left;
        private final Object right;

        PairBean(Object left, Object right) {
            this.left = left;
            this.right = right;
        }
    }

    private static String json(Object value) {
        return new String(Canonical.json(value), StandardCharsets.US_ASCII);
    }

    private static Map<Object, Object> map(Object... keysAndValues) {
        Map<Object, Object> map = new HashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    private static void assertAllDistinct(Object... values) {
        Set<String> hashes = new HashSet<>();
        for (Object value : values) {
            hashes.add(Canonical.hash(value));
        }
        assertThat(hashes).as("hashes of %s", java.util.Arrays.stream(values).map(CanonicalDistinctTest::json).toList())
                .hasSize(values.length);
    }

    @Test
    void hash_ofMapKeysOfDifferentTypesNeverMerge() {
        Map<Object, Object> both = map(1, "debit", "1", "credit");
        assertThat(json(both)).isEqualTo("#map{\"1\":\"credit\",1:\"debit\"}");
        assertAllDistinct(both, map("1", "credit"), map(1, "debit"), map(1, "credit", "1", "debit"));
    }

    @Test
    void hash_ofIntegerLongStringAndNullKeysAreFourKeys() {
        Map<Object, Object> four = map(1, "a", 1L, "a", "1", "a", null, "a");
        assertThat(json(four)).isEqualTo("#map{\"1\":\"a\",#long(1):\"a\",1:\"a\",null:\"a\"}");
        assertAllDistinct(four, map(1, "a", 1L, "a", "1", "a"), map(1, "a"), map(1L, "a"), map("1", "a"),
                map(null, "a"));
    }

    @Test
    void hash_ofNullKeyDiffersFromStringKeyNull() {
        assertAllDistinct(map(null, 1), map("null", 1), map(null, 1, "null", 1), map("null", null));
    }

    @Test
    void hash_ofNullValueDiffersFromStringNull() {
        assertAllDistinct(null, "null", List.of("null"), new Pair(null, null), new Pair("null", "null"));
    }

    @Test
    void hash_ofNonFiniteNumbersDiffersFromTheirNamesAndBetweenFloatAndDouble() {
        assertThat(json(List.of(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY)))
                .isEqualTo("[NaN,Infinity,-Infinity]");
        assertAllDistinct(Double.NaN, "NaN", Float.NaN, Double.POSITIVE_INFINITY, "Infinity",
                Float.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, "-Infinity", Float.NEGATIVE_INFINITY);
    }

    @Test
    void hash_ofNaNIsOneValueWhateverItsBits() {
        double otherNaN = Double.longBitsToDouble(0x7ff8000000000123L);
        assertThat(Double.isNaN(otherNaN)).isTrue();
        assertThat(Canonical.hash(otherNaN)).isEqualTo(Canonical.hash(Double.NaN));
    }

    @Test
    void hash_ofNegativeZeroDiffersFromZeroLikeEquals() {
        assertThat(Double.valueOf(-0.0).equals(0.0)).isFalse();
        assertAllDistinct(-0.0, 0.0, -0.0f, 0.0f);
    }

    @Test
    void hash_ofNumbersOfDifferentTypesDiffers() {
        assertAllDistinct(1, 1L, (short) 1, (byte) 1, BigInteger.ONE, BigDecimal.ONE, 1.0, 1.0f, "1");
        assertThat(json(List.of(1, 1L, (short) 1, (byte) 1, BigInteger.ONE, BigDecimal.ONE, 1.0, 1.0f)))
                .isEqualTo("[1,#long(1),#short(1),#byte(1),#biginteger(1),#bigdecimal(1),1.0,#float(1.0)]");
    }

    @Test
    void hash_ofFloatAndDoubleWithTheSameShortTextDiffers() {
        assertThat(Float.toString(0.1f)).isEqualTo(Double.toString(0.1));
        assertAllDistinct(0.1f, 0.1);
    }

    @Test
    void hash_ofPrimitiveFieldsKeepsTheirType() {
        record Primitives(long l, short s, byte b, float f, int i, double d) {
        }
        assertThat(json(new Primitives(1, (short) 1, (byte) 1, 1, 1, 1)))
                .isEqualTo("{\"b\":#byte(1),\"d\":1.0,\"f\":#float(1.0),\"i\":1,\"l\":#long(1),\"s\":#short(1)}");
    }

    @Test
    void hash_ofPrimitiveArraysKeepsTheElementType() {
        assertAllDistinct(new int[] {1}, new long[] {1}, new short[] {1}, new float[] {1}, new double[] {1},
                new byte[] {1});
        assertThat(Canonical.hash(new long[] {1, 2})).isEqualTo(Canonical.hash(List.of(1L, 2L)));
        assertThat(Canonical.hash(new int[] {1, 2})).isEqualTo(Canonical.hash(new Integer[] {1, 2}));
    }

    @Test
    void hash_ofDoubleIsTheSameOnEveryJdk() {
        // JDK 17's Double.toString writes 1.9999999999999998E23 for this double; JDK 19+ write 2.0E23.
        assertThat(json(2.0E23)).isEqualTo("2.0E23");
        assertThat(Canonical.text(2.0E23)).isEqualTo("2.0E23");
    }

    @Test
    void hash_ofBytesDiffersFromItsBase64TextAndFromBoxedBytes() {
        byte[] bytes = {1, 2};
        assertThat(json(bytes)).isEqualTo("#bytes(\"AQI=\")");
        assertAllDistinct(bytes, "AQI=", new Byte[] {1, 2});
        assertThat(Canonical.hash(new Byte[] {1, 2})).isEqualTo(Canonical.hash(List.of((byte) 1, (byte) 2)));
        assertThat(Canonical.hash(ByteBuffer.wrap(bytes))).isEqualTo(Canonical.hash(bytes));
    }

    @Test
    void hash_ofTextValuesEqualsTheirStringOnPurpose() {
        UUID uuid = UUID.fromString("123e4567-e89b-12d3-a456-426614174000");
        assertThat(Canonical.hash(new char[] {'a', 'b'})).isEqualTo(Canonical.hash("ab"))
                .isEqualTo(Canonical.hash(new StringBuilder("ab")));
        assertThat(Canonical.hash('a')).isEqualTo(Canonical.hash("a"));
        assertThat(Canonical.hash(uuid)).isEqualTo(Canonical.hash(uuid.toString()));
        assertThat(Canonical.hash(java.time.DayOfWeek.MONDAY)).isEqualTo(Canonical.hash("MONDAY"));
        assertThat(Canonical.hash(Instant.parse("2024-01-02T03:04:05Z")))
                .isEqualTo(Canonical.hash(OffsetDateTime.of(2024, 1, 2, 3, 4, 5, 0, ZoneOffset.UTC)));
    }

    @Test
    void hash_ofZonedDateTimeKeepsItsZone() {
        ZonedDateTime paris = ZonedDateTime.of(2024, 1, 2, 3, 4, 5, 0, ZoneId.of("Europe/Paris"));
        ZonedDateTime fixed = paris.withZoneSameInstant(ZoneOffset.ofHours(1));
        assertThat(json(paris)).isEqualTo("\"2024-01-02T03:04:05+01:00[Europe/Paris]\"");
        assertAllDistinct(paris, fixed);
    }

    @Test
    void hash_ofOptionalEqualsItsContentOnPurpose() {
        assertThat(Canonical.hash(Optional.empty())).isEqualTo(Canonical.hash(null))
                .isEqualTo(Canonical.hash(OptionalInt.empty()));
        assertThat(Canonical.hash(Optional.of(List.of(1L)))).isEqualTo(Canonical.hash(List.of(1L)));
        assertThat(Canonical.hash(OptionalInt.of(3))).isEqualTo(Canonical.hash(3));
        assertAllDistinct(Optional.of(3), Optional.of(3L), Optional.of("3"), Optional.empty());
    }

    @Test
    void hash_ofSetDiffersFromListOfTheSameElements() {
        assertAllDistinct(Set.of("a"), List.of("a"), Set.of("a", "b"), List.of("a", "b"));
    }

    @Test
    void hash_ofMapDiffersFromBeanWithTheSameEntries() {
        assertAllDistinct(map("left", 1, "right", 2), new Pair(1, 2), map());
        assertThat(Canonical.hash(new Pair(1, 2))).isEqualTo(Canonical.hash(new PairBean(1, 2)));
    }

    @Test
    void hash_ofSetKeepsElementsOfDifferentTypes() {
        assertAllDistinct(Set.of(1, 1L), Set.of(1, (short) 1), Set.of(1), Set.of(1L), Set.of("1", 1));
    }

    @Test
    void hash_ofSetKeepsElementsEqualByValueButNotByEquals() {
        Set<BigDecimal> both = new HashSet<>(List.of(new BigDecimal("1.0"), new BigDecimal("1.00")));
        assertThat(both).hasSize(2);
        assertAllDistinct(both, Set.of(new BigDecimal("1.0")));
        assertThat(Canonical.hash(both)).isEqualTo(Canonical.hash(new HashSet<>(List.of(new BigDecimal("1"),
                new BigDecimal("1.000")))));
    }

    @Test
    void hash_ofMapWithKeysEqualByValueButNotByEqualsKeepsEveryEntry() {
        Map<BigDecimal, String> map = new HashMap<>();
        map.put(new BigDecimal("1.0"), "a");
        map.put(new BigDecimal("1.00"), "b");
        Map<BigDecimal, String> one = new HashMap<>();
        one.put(new BigDecimal("1.0"), "a");
        assertAllDistinct(map, one);
    }

    @Test
    void hash_ofMapWithNonStringKeysDoesNotDependOnOrder() {
        Map<Object, Object> hash = map(3, "c", 1L, "a", 2, "b", null, "n");
        Map<Object, Object> linked = new LinkedHashMap<>();
        linked.put(null, "n");
        linked.put(2, "b");
        linked.put(1L, "a");
        linked.put(3, "c");
        assertThat(Canonical.hash(linked)).isEqualTo(Canonical.hash(hash));
        Map<Integer, String> ascending = new TreeMap<>(Map.of(1, "a", 2, "b"));
        Map<Integer, String> descending = new TreeMap<>(java.util.Comparator.reverseOrder());
        descending.putAll(ascending);
        assertThat(Canonical.hash(descending)).isEqualTo(Canonical.hash(ascending));
    }

    @Test
    void hash_ofMapEntryKeepsTheKeyType() {
        assertAllDistinct(Map.entry(1, "a"), Map.entry("1", "a"), Map.entry(1L, "a"));
        assertThat(Canonical.hash(new AbstractMap.SimpleEntry<>(1, "a"))).isEqualTo(Canonical.hash(Map.of(1, "a")));
    }

    @Test
    void hash_ofStringsDifferingOnlyInUnpairedSurrogatesDiffers() {
        assertAllDistinct("\uD800", "\uDC00", "?", "\uFFFD", "");
        assertThat(json("h\u00E9\uD83D\uDE00")).isEqualTo("\"h\\u00E9\\uD83D\\uDE00\"");
    }

    @Test
    void json_ofDecimalWithAHugeExponentStaysShort() {
        // A plain 1E+999999999 would be a gigabyte of zeros; the smaller exponent keeps a regression from failing by
        // running out of memory.
        assertThat(json(new BigDecimal("1E+100000"))).hasSizeLessThan(30).isEqualTo("#bigdecimal(1E+100000)");
        assertThat(json(new BigDecimal("1E+100"))).isEqualTo("#bigdecimal(1" + "0".repeat(100) + ")");
        assertThat(json(new BigDecimal("1.5E-100"))).isEqualTo("#bigdecimal(1.5E-100)");
        assertAllDistinct(new BigDecimal("1E+100000"), new BigDecimal("1E+99999"));
        assertThat(Canonical.text(new BigDecimal("1E+200"))).isEqualTo("1E+200");
        assertThat(Canonical.text(new BigDecimal("12.3400E+3"))).isEqualTo("12340");
    }

    @Test
    void hash_ofOtherNumberTypesIsTaggedWithTheirClass() {
        java.util.concurrent.atomic.LongAdder adder = new java.util.concurrent.atomic.LongAdder();
        adder.add(5);
        assertThat(json(adder)).isEqualTo("#java.util.concurrent.atomic.LongAdder(5)");
        assertAllDistinct(adder, 5, 5L);
    }
}
