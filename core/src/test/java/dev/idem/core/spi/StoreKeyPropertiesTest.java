package dev.idem.core.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Keys in parts: a {@link StoreKey} is equal to another exactly when their string forms are, its string form is the
 * {@link StoreKeys} layout, and {@link StoreKey#parse} inverts it, for texts the engine makes and for any other text a
 * store may be handed. The parts are drawn from the characters that matter (the separator, the escape character,
 * braces, the letters and digits of the escapes), so that near-collisions and half-escapes are frequent.
 */
class StoreKeyPropertiesTest {

    @Provide
    Arbitrary<String> parts() {
        return Arbitraries.strings().withChars("%:{}7BDA325a").ofMaxLength(6);
    }

    @Provide
    Arbitrary<String> texts() {
        return Arbitraries.strings().withChars("%:{}7BDA325a").ofMaxLength(14);
    }

    @Property(tries = 5_000)
    void keysAreEqual_exactlyWhenTheirStringFormsAre(@ForAll("parts") String prefix1,
            @ForAll("parts") String namespace1, @ForAll("parts") String key1, @ForAll("parts") String prefix2,
            @ForAll("parts") String namespace2, @ForAll("parts") String key2) {
        StoreKey a = StoreKey.of(prefix1, namespace1, key1);
        StoreKey b = StoreKey.of(prefix2, namespace2, key2);

        boolean sameText = a.toString().equals(b.toString());
        assertThat(a.equals(b)).isEqualTo(sameText);
        if (sameText) {
            assertThat(a.hashCode()).isEqualTo(b.hashCode());
        }
    }

    @Property(tries = 3_000)
    void theStringForm_isTheLayout_andParsesBackToAnEqualKey(@ForAll("parts") String prefix,
            @ForAll("parts") String namespace, @ForAll("parts") String key) {
        StoreKey made = StoreKey.of(prefix, namespace, key);
        StoreKey parsed = StoreKey.parse(made.toString());

        assertThat(made.toString()).isEqualTo(StoreKeys.of(prefix, namespace, key));
        assertThat(parsed).isEqualTo(made).hasSameHashCodeAs(made);
        assertThat(parsed.key()).isEqualTo(key);
        assertThat(parsed.base()).isEqualTo(made.base());
    }

    @Property(tries = 5_000)
    void anyText_parsesToAKeyWithThatStringForm_equalOnlyToKeysOfTheSameText(@ForAll("texts") String text1,
            @ForAll("texts") String text2) {
        StoreKey a = StoreKey.parse(text1);
        StoreKey b = StoreKey.parse(text2);

        assertThat(a.toString()).isEqualTo(text1);
        assertThat(a.equals(b)).isEqualTo(text1.equals(text2));
        if (text1.equals(text2)) {
            assertThat(a.hashCode()).isEqualTo(b.hashCode());
        }
    }

    @Property(tries = 3_000)
    void aParsedText_equalsTheMadeKey_exactlyWhenTheTextsAreEqual(@ForAll("texts") String text,
            @ForAll("parts") String prefix, @ForAll("parts") String namespace, @ForAll("parts") String key) {
        StoreKey made = StoreKey.of(prefix, namespace, key);

        assertThat(StoreKey.parse(text).equals(made)).isEqualTo(text.equals(made.toString()));
    }

    @Example
    void textsOutsideTheLayout_areKeysOfTheirOwn() {
        // no second separator; a brace; an escape the layout never writes (lower case, or a colon escaped in the key)
        for (String text : new String[] {"plain", "a:b", "a:b:{c}", "a:b:%3A", "%3a:b:c", "a:b:%2", "a:b:%zz"}) {
            StoreKey parsed = StoreKey.parse(text);
            assertThat(parsed.base()).as(text).isNull();
            assertThat(parsed.key()).as(text).isEqualTo(text);
            assertThat(parsed.toString()).as(text).isEqualTo(text);
        }
    }

    @Example
    void theEnginesKey_andTheParsedText_areTheSameMapKey() {
        StoreKey.Base base = StoreKey.base("orders:", "payments.charge");
        StoreKey made = base.key("{A}:1%");

        assertThat(made.toString()).isEqualTo("orders%3A:payments.charge:%7BA%7D:1%25");
        assertThat(java.util.Map.of(made, "record").get(StoreKey.parse("orders%3A:payments.charge:%7BA%7D:1%25")))
                .isEqualTo("record");
        assertThat(base.toString()).isEqualTo(StoreKeys.base("orders:", "payments.charge"));
    }

    @Example
    void nulls_areRefused() {
        assertThatNullPointerException().isThrownBy(() -> StoreKey.parse(null));
        assertThatNullPointerException().isThrownBy(() -> StoreKey.base("", "ns").key(null));
        assertThatNullPointerException().isThrownBy(() -> StoreKey.of(null, "ns", "k"));
    }
}
