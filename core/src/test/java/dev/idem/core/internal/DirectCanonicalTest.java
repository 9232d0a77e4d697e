package dev.idem.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonValue;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * The direct writer agrees with Jackson's canonical form byte for byte wherever it writes at all, and declines (so
 * Jackson writes) whatever it does not know.
 */
class DirectCanonicalTest {

    enum Plain { A, B_C }

    enum Valued {
        X;

        @JsonValue
        String code() {
            return "x-code";
        }
    }

    enum Renamed {
        @JsonProperty("other")
        Y
    }

    /** A bean with every kind the writer knows, nested. */
    static class Order {
        String id;
        long cents;
        int count;
        double rate;
        float ratio;
        char letter;
        boolean flag;
        short small;
        byte tiny;
        Plain plain;
        BigDecimal amount;
        BigInteger big;
        UUID uuid;
        Object anything;
        Order parent;
    }

    /** Jackson honours annotations of interfaces: this getter's @JsonIgnore drops the implementing bean's field. */
    interface Masked {
        @com.fasterxml.jackson.annotation.JsonIgnore
        String getSecret();
    }

    static class MaskedBean implements Masked {
        String secret = "s";
        String name = "n";

        @Override
        public String getSecret() {
            return secret;
        }
    }

    @com.fasterxml.jackson.annotation.JsonIgnoreType
    static class Ignored {
        String x = "x";
    }

    /** A field of an ignored type is left out by Jackson even when it is null. */
    static class HoldsIgnored {
        Ignored ignored;
        String name = "n";
    }

    static String jackson(Object value) {
        return new String(Canonical.json(value), StandardCharsets.US_ASCII);
    }

    static String direct(Object value) {
        byte[] json = DirectCanonical.json(value);
        return json == null ? null : new String(json, StandardCharsets.US_ASCII);
    }

    @Provide
    Arbitrary<Object> leaves() {
        Arbitrary<String> strings = Arbitraries.oneOf(Arbitraries.strings().all().ofMaxLength(12),
                Arbitraries.strings().withCharRange('\u0000', '\u00ff').ofMaxLength(12),
                Arbitraries.of("", "null", "\"", "\\", "\u007f", "\ud800", "\udfff\ud800", "\u2028", "/", "\b\f\n\r\t"));
        return Arbitraries.oneOf(
                strings.map(s -> (Object) s),
                Arbitraries.integers().map(i -> (Object) i),
                Arbitraries.longs().map(l -> (Object) l),
                Arbitraries.shorts().map(s -> (Object) s),
                Arbitraries.bytes().map(b -> (Object) b),
                Arbitraries.chars().all().map(c -> (Object) c),
                Arbitraries.of(true, false).map(b -> (Object) b),
                Arbitraries.oneOf(Arbitraries.doubles(), Arbitraries.of(0.0, -0.0, Double.NaN, Double.MIN_VALUE,
                        Double.MAX_VALUE, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 1e21, 1e-7, 2.0E-3,
                        0.1 + 0.2)).map(d -> (Object) d),
                Arbitraries.oneOf(Arbitraries.floats(), Arbitraries.of(0.0f, -0.0f, Float.NaN,
                        Float.POSITIVE_INFINITY, Float.MIN_VALUE, 1e10f)).map(f -> (Object) f),
                Arbitraries.oneOf(Arbitraries.bigDecimals().ofScale(3), Arbitraries.of(new BigDecimal("1E+100000"),
                        new BigDecimal("1E+100"), new BigDecimal("1.5E-100"), new BigDecimal("0.000"),
                        new BigDecimal("-10.00"))).map(d -> (Object) d),
                Arbitraries.bigIntegers().map(b -> (Object) b),
                Arbitraries.longs().map(l -> (Object) new UUID(l, ~l)),
                Arbitraries.of(Plain.values()).map(p -> (Object) p),
                Arbitraries.just(null));
    }

    @Provide
    Arbitrary<Object[]> arguments() {
        return leaves().list().ofMaxSize(4).map(List::toArray);
    }

    @Property(tries = 2000)
    void everyLeaf_asJacksonWritesIt(@ForAll("leaves") Object leaf) {
        assertThat(direct(leaf)).isEqualTo(jackson(leaf));
        assertThat(direct(new Object[] {leaf, leaf})).isEqualTo(jackson(new Object[] {leaf, leaf}));
    }

    @Property(tries = 300)
    void beansOfLeaves_asJacksonWritesThem(@ForAll("arguments") Object[] values) {
        Order order = new Order();
        Order parent = new Order();
        order.parent = parent;
        if (values.length > 0 && values[0] instanceof String s) {
            order.id = s;
        }
        order.anything = values.length > 1 ? values[1] : null;
        parent.anything = values.length > 2 ? values[2] : null;
        order.cents = values.length;
        order.rate = -0.0;
        order.ratio = Float.NaN;
        order.letter = '\u00e9';
        order.plain = Plain.B_C;
        order.amount = new BigDecimal("19.90");
        order.uuid = new UUID(1, 2);
        Object[] args = {order, values, "tenant"};
        // A nested Object[] is not the argument array: Jackson writes it.
        assertThat(direct(args)).isNull();
        Object[] flat = {order, "tenant", values.length};
        assertThat(direct(flat)).isNotNull().isEqualTo(jackson(flat));
        assertThat(direct(values)).isNotNull().isEqualTo(jackson(values));
    }

    @Test
    void whatItDoesNotKnow_isLeftToJackson() {
        assertThat(direct(Valued.X)).isNull();
        assertThat(direct(Renamed.Y)).isNull();
        assertThat(direct(Instant.EPOCH)).isNull();
        assertThat(direct(List.of("a"))).isNull();
        assertThat(direct(new Object[] {"a", new int[] {1}})).isNull();
        Order cyclic = new Order();
        cyclic.parent = cyclic;
        assertThat(direct(cyclic)).isNull();
        assertThat(Canonical.hash(Valued.X)).isEqualTo(Canonical.hash("x-code"));
        assertThat(direct(new MaskedBean())).isNull();
        assertThat(jackson(new MaskedBean())).isEqualTo("{\"name\":\"n\"}");
        assertThat(Snapshots.canSnapshot(new MaskedBean())).isFalse();
        assertThat(direct(new HoldsIgnored())).isNull();
        assertThat(jackson(new HoldsIgnored())).isEqualTo("{\"name\":\"n\"}");
        assertThat(Snapshots.canSnapshot(new HoldsIgnored())).isFalse();
    }

    @Test
    void theHashIsTheSameWhicheverWriterWrote() throws Exception {
        Order order = new Order();
        order.id = "order-1";
        order.amount = new BigDecimal("10.00");
        Object[] args = {order, 42L};
        java.security.MessageDigest digest = java.security.MessageDigest.getInstance("SHA-256");
        String viaJackson = java.util.Base64.getUrlEncoder().withoutPadding()
                .encodeToString(digest.digest(Canonical.json(args)));
        assertThat(Canonical.hash(args)).isEqualTo(viaJackson);
    }
}
