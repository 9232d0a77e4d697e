package dev.idem.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonValue;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * The snapshots behind the local store's fast fingerprint check: a snapshot writes the canonical form of the payload
 * it was taken from, and {@link Snapshots#sameForm} says "equal" only for equal canonical forms, and does say it for
 * an equal copy. Classes that Jackson would write by other rules than a plain bean's are not snapshot at all.
 */
class SnapshotsTest {

    /** A plain request: primitives of every kind, boxed values, a nested bean, a transient field. */
    static class Request {
        String id;
        long amount;
        int count;
        short small;
        byte tiny;
        char letter;
        boolean flag;
        double rate;
        float ratio;
        Long boxed;
        BigDecimal price;
        Instant at;
        UUID uuid;
        Line line;
        Object anything;
        transient String cache;
    }

    /** A nested bean, with a superclass. */
    static class Line extends Base {
        String sku;
        int quantity;
    }

    /** Fields from a superclass are part of the form. */
    static class Base {
        String Zeta;
        String alpha;
    }

    static class Renamed {
        @JsonProperty("other")
        String name = "x";
    }

    static class Ignoring {
        @JsonIgnore
        String secret = "s";
        String name = "n";
    }

    static class Valued {
        String name = "n";

        @JsonValue
        String value() {
            return "v";
        }
    }

    static class Shadowing extends Base {
        String alpha;
    }

    class Inner {
        String name = "n";
    }

    static class WithMap {
        Map<String, String> attributes = Map.of("a", "b");
    }

    static class WithBytes {
        byte[] data = "x".getBytes(StandardCharsets.UTF_8);
    }

    static class Cyclic {
        Cyclic next;
    }

    @Provide
    Arbitrary<Request> requests() {
        Arbitrary<String> texts = Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(6),
                Arbitraries.of("null", "NaN", "1", "", "\u00e9\ud800"), Arbitraries.just(null));
        Arbitrary<Double> doubles = Arbitraries.oneOf(Arbitraries.doubles(),
                Arbitraries.of(0.0, -0.0, Double.NaN, Double.POSITIVE_INFINITY, 1.0));
        Arbitrary<Object> anything = Arbitraries.oneOf(texts.map(t -> (Object) t), Arbitraries.integers().map(i -> i),
                Arbitraries.longs().map(l -> l), Arbitraries.just(null));
        Arbitrary<Line> lines = Combinators.combine(texts, Arbitraries.integers(), texts, texts).as((sku, q, z, a) -> {
            Line line = new Line();
            line.sku = sku;
            line.quantity = q;
            line.Zeta = z;
            line.alpha = a;
            return line;
        }).injectNull(0.3);
        Arbitrary<Request> first = Combinators.combine(texts, Arbitraries.longs(), Arbitraries.integers(),
                Arbitraries.shorts(), Arbitraries.bytes(), Arbitraries.chars(), Arbitraries.of(true, false), doubles)
                .as((id, amount, count, small, tiny, letter, flag, rate) -> {
                    Request r = new Request();
                    r.id = id;
                    r.amount = amount;
                    r.count = count;
                    r.small = small;
                    r.tiny = tiny;
                    r.letter = letter;
                    r.flag = flag;
                    r.rate = rate;
                    return r;
                });
        return Combinators.combine(first, Arbitraries.floats(), Arbitraries.longs().injectNull(0.3),
                Arbitraries.bigDecimals().ofScale(2).injectNull(0.3), lines, anything, texts)
                .as((r, ratio, boxed, price, line, any, cache) -> {
                    r.ratio = ratio;
                    r.boxed = boxed;
                    r.price = price;
                    r.at = Instant.ofEpochSecond(1_700_000_000L);
                    r.uuid = new UUID(1, 2);
                    r.line = line;
                    r.anything = any;
                    r.cache = cache;
                    return r;
                });
    }

    private static String json(Object value) {
        return new String(Canonical.json(value), StandardCharsets.US_ASCII);
    }

    @Property(tries = 300)
    void aSnapshotWritesTheFormOfItsPayload(@ForAll("requests") Request request) {
        Object[] args = {request, "tenant-1", 42L};
        assertThat(Snapshots.canSnapshot(args)).isTrue();
        Object snapshot = Snapshots.snapshot(args);
        assertThat(json(snapshot)).isEqualTo(json(args));
        assertThat(Snapshots.sameForm(snapshot, args)).as("the payload it was taken from").isTrue();
    }

    @Property(tries = 300)
    void sameFormOnlyForEqualForms(@ForAll("requests") Request left, @ForAll("requests") Request right) {
        Object snapshot = Snapshots.snapshot(new Object[] {left});
        if (Snapshots.sameForm(snapshot, new Object[] {right})) {
            assertThat(json(right)).isEqualTo(json(left));
        }
    }

    @Property(tries = 300)
    void aChangedFieldIsNeverTheSameForm(@ForAll("requests") Request request) {
        Object snapshot = Snapshots.snapshot(request);
        String before = json(request);
        request.amount++;
        assertThat(Snapshots.sameForm(snapshot, request)).isFalse();
        assertThat(json(snapshot)).as("the snapshot keeps the payload as it was").isEqualTo(before);
        request.amount--;
        request.cache = "changed"; // transient: not part of the form
        assertThat(Snapshots.sameForm(snapshot, request)).isTrue();
        if (request.line != null) {
            request.line.alpha = request.line.alpha + "!";
            assertThat(Snapshots.sameForm(snapshot, request)).isFalse();
        }
    }

    @Test
    void classesJacksonWritesByOtherRules_areNotSnapshot() {
        assertThat(Snapshots.canSnapshot(new Renamed())).isFalse();
        assertThat(Snapshots.canSnapshot(new Ignoring())).isFalse();
        assertThat(Snapshots.canSnapshot(new Valued())).isFalse();
        assertThat(Snapshots.canSnapshot(new Shadowing())).isFalse();
        assertThat(Snapshots.canSnapshot(new Inner())).isFalse();
        assertThat(Snapshots.canSnapshot(new WithMap())).isFalse();
        assertThat(Snapshots.canSnapshot(new WithBytes())).isFalse();
        assertThat(Snapshots.canSnapshot(new java.util.ArrayList<>(List.of("a")))).isFalse();
        assertThat(Snapshots.canSnapshot(new Object[] {new Object[] {"nested"}})).isFalse();
        Cyclic cyclic = new Cyclic();
        cyclic.next = cyclic;
        assertThat(Snapshots.canSnapshot(cyclic)).as("a cycle is deeper than any bound").isFalse();
    }

    @Test
    void aBeanOfAnotherClassWithTheSameProperties_isLeftToTheHash() {
        Line line = new Line();
        line.sku = "s";
        Object snapshot = Snapshots.snapshot(line);
        Base base = new Base();
        assertThat(Snapshots.sameForm(snapshot, base)).isFalse();
        // And through the fingerprint, where the hash decides: a Base has other properties, so it differs.
        assertThat(PayloadFingerprint.of(line).freeze().matches(PayloadFingerprint.of(base))).isFalse();
    }

    @Test
    void aDecimalOfAnotherScale_matchesThroughTheHash() {
        Request recorded = new Request();
        recorded.price = new BigDecimal("10.0");
        Request candidate = new Request();
        candidate.price = new BigDecimal("10.00");
        PayloadFingerprint fingerprint = PayloadFingerprint.of(recorded).freeze();
        assertThat(Snapshots.sameForm(Snapshots.snapshot(recorded), candidate)).isFalse();
        assertThat(fingerprint.matches(PayloadFingerprint.of(candidate))).isTrue();
    }

    @Test
    void aFrozenFingerprintIgnoresLaterChanges_aCheckedOneIsLive() {
        Request request = new Request();
        request.id = "r-1";
        PayloadFingerprint frozen = PayloadFingerprint.of(new Object[] {request}).freeze();
        String hash = frozen.hash();
        request.id = "r-2";
        assertThat(frozen.hash()).isEqualTo(hash);
        Request again = new Request();
        again.id = "r-1";
        assertThat(frozen.matches(PayloadFingerprint.of(new Object[] {again}))).isTrue();
        assertThat(frozen.matches(PayloadFingerprint.of(new Object[] {request}))).isFalse();

        PayloadFingerprint checked = PayloadFingerprint.of(new Object[] {again}).check();
        assertThat(checked.toString()).isEqualTo("Fingerprint[checked, not frozen]");
        assertThat(checked.matches(PayloadFingerprint.of(new Object[] {again}))).isTrue();
        assertThat(checked.hash()).isEqualTo(hash);
    }

    @Test
    void aFingerprintHashedBeforeItsFreeze_keepsItsHashAndGainsASnapshot() {
        Request request = new Request();
        request.id = "r-1";
        PayloadFingerprint fingerprint = PayloadFingerprint.of(new Object[] {request}).check();
        String hash = fingerprint.hash(); // what a shared store's claim asks for
        fingerprint.freeze();
        request.id = "r-2"; // the body changes its argument
        assertThat(fingerprint.hash()).isEqualTo(hash);
        Request again = new Request();
        again.id = "r-1";
        PayloadFingerprint candidate = PayloadFingerprint.of(new Object[] {again});
        assertThat(fingerprint.matches(candidate)).isTrue();
        assertThat(candidate.isFrozen()).as("compared with the snapshot, never hashed").isFalse();
        assertThat(fingerprint.matches(PayloadFingerprint.of(new Object[] {request}))).isFalse();
    }
}
