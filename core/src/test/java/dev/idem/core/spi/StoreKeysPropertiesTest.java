package dev.idem.core.spi;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Stored keys: no two distinct (prefix, namespace, key) triples share one, and none holds a brace. The parts are drawn
 * from the characters that matter (the separator, the escape character, braces, and the letters and digits of the
 * escapes themselves), so that near-collisions are frequent.
 */
class StoreKeysPropertiesTest {

    @Provide
    Arbitrary<String> parts() {
        return Arbitraries.strings().withChars("%:{}7BDA325a").ofMaxLength(6);
    }

    @Property(tries = 5_000)
    void distinctTriples_giveDistinctKeys(@ForAll("parts") String prefix1, @ForAll("parts") String namespace1,
            @ForAll("parts") String key1, @ForAll("parts") String prefix2, @ForAll("parts") String namespace2,
            @ForAll("parts") String key2) {
        boolean sameTriple = prefix1.equals(prefix2) && namespace1.equals(namespace2) && key1.equals(key2);
        boolean sameKey = StoreKeys.of(prefix1, namespace1, key1).equals(StoreKeys.of(prefix2, namespace2, key2));

        assertThat(sameKey).isEqualTo(sameTriple);
    }

    @Property(tries = 2_000)
    void storedKeys_holdNoBraces_andEndWithTheEscapedKey(@ForAll("parts") String prefix,
            @ForAll("parts") String namespace, @ForAll("parts") String key) {
        String stored = StoreKeys.of(prefix, namespace, key);

        assertThat(stored).doesNotContain("{", "}");
        assertThat(stored).isEqualTo(StoreKeys.base(prefix, namespace) + StoreKeys.escapeKey(key));
    }

    @Example
    void theIssuesExamples_areKeptApart() {
        assertThat(StoreKeys.of("", "orders", "v2:1")).isNotEqualTo(StoreKeys.of("", "orders:v2", "1"));
        assertThat(StoreKeys.of("{orders}:", "payments.charge", "{A}:1"))
                .isEqualTo("%7Borders%7D%3A:payments.charge:%7BA%7D:1");
        assertThat(List.of(StoreKeys.of("a", "b:c", "d"), StoreKeys.of("a:b", "c", "d"), StoreKeys.of("a", "b", "c:d")))
                .doesNotHaveDuplicates();
    }

    @Example
    void aKeyWithoutSpecialCharacters_isNotCopied() {
        String key = "order-42";
        assertThat(StoreKeys.escapeKey(key)).isSameAs(key);
    }
}
