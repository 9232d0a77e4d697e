package dev.idem.core.internal;

import dev.idem.core.spi.Fingerprint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import dev.idem.core.internal.Canonical;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class FingerprintTest {

    record Charge(String id, BigDecimal amount, Instant at) {
    }

    record Batch(String id, List<String> items) {
    }

    /** A mutable DTO without equals. */
    static final class Request {
        private String id;
        private BigDecimal amount;
        private Map<String, String> metadata;

        Request(String id, BigDecimal amount, Map<String, String> metadata) {
            this.id = id;
            this.amount = amount;
            this.metadata = metadata;
        }
    }

    /** A node with a link, for a cycle. */
    static final class Node {
        private Node next;
    }

    private static final Instant AT = Instant.parse("2024-05-01T10:00:00Z");

    @Test
    void none_matchesEverything() {
        assertThat(Fingerprint.NONE.matches(PayloadFingerprint.of("x"))).isTrue();
        assertThat(Fingerprint.NONE.matches(PayloadFingerprint.of(null))).isTrue();
        assertThat(Fingerprint.NONE.matches(Fingerprint.ofHash(Canonical.hash("y")))).isTrue();
        assertThat(PayloadFingerprint.of("x").freeze().matches(Fingerprint.NONE)).isTrue();
        assertThat(Fingerprint.NONE.matches(Fingerprint.NONE)).isTrue();
    }

    @Test
    void none_isFrozenWithTheHashNoneAndComesBackFromItsHash() {
        assertThat(Fingerprint.NONE.hash()).as("NONE is fixed: nothing to freeze").isEqualTo("none");
        assertThat(Fingerprint.NONE.isNone()).isTrue();
        assertThat(Fingerprint.NONE.hash()).isEqualTo("none");
        assertThat(Fingerprint.ofHash("none")).isSameAs(Fingerprint.NONE);
        assertThat(PayloadFingerprint.of("none").isNone()).isFalse();
    }

    @Test
    void of_computesNothingUntilNeeded() {
        Node cyclic = new Node();
        cyclic.next = cyclic;
        PayloadFingerprint fingerprint = PayloadFingerprint.of(cyclic); // would throw if it wrote the payload now
        assertThat(fingerprint.isFrozen()).isFalse();
        assertThat(fingerprint.toString()).isEqualTo("Fingerprint[not frozen]");
    }

    @Test
    void freeze_ofCyclicPayloadFailsWithIllegalArgumentException() {
        Node cyclic = new Node();
        cyclic.next = cyclic;
        assertThatIllegalArgumentException().isThrownBy(() -> PayloadFingerprint.of(cyclic).freeze())
                .withMessageContaining("no canonical form").withMessageContaining("a cycle");
    }

    @Test
    void freeze_isIdempotentAndFixesTheHash() {
        PayloadFingerprint fingerprint = PayloadFingerprint.of("order-1");
        assertThat(fingerprint.freeze()).isSameAs(fingerprint);
        assertThat(fingerprint.isFrozen()).isTrue();
        String hash = fingerprint.hash();
        assertThat(fingerprint.freeze().hash()).isEqualTo(hash).isEqualTo(Canonical.hash("order-1"));
        assertThat(fingerprint.toString()).isEqualTo("Fingerprint[" + hash + "]");
    }

    @Test
    void matches_equalStringsByEqualsWithoutHashingTheCandidate() {
        PayloadFingerprint recorded = PayloadFingerprint.of(new String("order-1")).freeze();
        PayloadFingerprint candidate = PayloadFingerprint.of(new String("order-1"));
        assertThat(recorded.matches(candidate)).isTrue();
        assertThat(candidate.isFrozen()).as("the equals fast path needs no canonical hash").isFalse();
    }

    @Test
    void matches_equalRecordsByEqualsWithoutHashingTheCandidate() {
        PayloadFingerprint recorded = PayloadFingerprint.of(new Charge("c-1", new BigDecimal("9.99"), AT)).freeze();
        PayloadFingerprint candidate = PayloadFingerprint.of(new Charge("c-1", new BigDecimal("9.99"), AT));
        assertThat(recorded.matches(candidate)).isTrue();
        assertThat(candidate.isFrozen()).as("the equals fast path needs no canonical hash").isFalse();
    }

    @Test
    void matches_recordsWhoseEqualsDiffersButValueIsEqualByHash() {
        // 10.0 and 10.00 are not equals() as BigDecimals but are the same amount
        PayloadFingerprint recorded = PayloadFingerprint.of(new Charge("c-1", new BigDecimal("10.0"), AT)).freeze();
        PayloadFingerprint candidate = PayloadFingerprint.of(new Charge("c-1", new BigDecimal("10.00"), AT));
        assertThat(recorded.matches(candidate)).isTrue();
        assertThat(candidate.isFrozen()).isTrue();
    }

    @Test
    void matches_equalDtosWithoutEqualsByHash() {
        PayloadFingerprint recorded = PayloadFingerprint.of(new Request("r-1", new BigDecimal("5"), Map.of("a", "1"))).freeze();
        PayloadFingerprint candidate = PayloadFingerprint.of(new Request("r-1", new BigDecimal("5.00"),
                new HashMap<>(Map.of("a", "1"))));
        assertThat(recorded.matches(candidate)).isTrue();
        assertThat(candidate.isFrozen()).as("a DTO without equals is compared by its hash").isTrue();
    }

    @Test
    void matches_isFalseForDifferentPayloads() {
        assertThat(PayloadFingerprint.of("order-1").matches(PayloadFingerprint.of("order-2"))).isFalse();
        assertThat(PayloadFingerprint.of(new Charge("c-1", BigDecimal.ONE, AT))
                .matches(PayloadFingerprint.of(new Charge("c-1", BigDecimal.TEN, AT)))).isFalse();
        assertThat(PayloadFingerprint.of(new Request("r-1", BigDecimal.ONE, Map.of()))
                .matches(PayloadFingerprint.of(new Request("r-1", BigDecimal.ONE, Map.of("k", "v"))))).isFalse();
        assertThat(PayloadFingerprint.of(1).matches(PayloadFingerprint.of("1"))).isFalse();
        assertThat(PayloadFingerprint.of(null).matches(PayloadFingerprint.of("x"))).isFalse();
        assertThat(PayloadFingerprint.of("x").matches(PayloadFingerprint.of(null))).isFalse();
    }

    @Test
    void matches_nullPayloads() {
        assertThat(PayloadFingerprint.of(null).matches(PayloadFingerprint.of(null))).isTrue();
    }

    @Test
    void matches_argumentArraysElementByElement() {
        UUID id = UUID.fromString("123e4567-e89b-12d3-a456-426614174000");
        PayloadFingerprint recorded = PayloadFingerprint.of(new Object[] {"a", 1, id}).freeze();
        assertThat(recorded.matches(PayloadFingerprint.of(new Object[] {"a", 1, id}))).isTrue();
        assertThat(recorded.matches(PayloadFingerprint.of(new Object[] {"a", 2, id}))).isFalse();
        assertThat(recorded.matches(PayloadFingerprint.of(new Object[] {"a", 1}))).isFalse();
    }

    @Test
    void matches_freezesTheRecordedSide() {
        PayloadFingerprint recorded = PayloadFingerprint.of("x");
        recorded.matches(PayloadFingerprint.of("x"));
        assertThat(recorded.isFrozen()).isTrue();
    }

    @Test
    void frozenFingerprintOfMutableDto_isNotAffectedByLaterMutation() {
        Map<String, String> metadata = new LinkedHashMap<>(Map.of("channel", "web"));
        Request request = new Request("r-1", new BigDecimal("5"), metadata);
        PayloadFingerprint recorded = PayloadFingerprint.of(request).freeze();
        String hash = recorded.hash();

        request.amount = new BigDecimal("500");
        metadata.put("channel", "api");

        assertThat(recorded.hash()).isEqualTo(hash);
        assertThat(recorded.matches(PayloadFingerprint.of(new Request("r-1", new BigDecimal("5"),
                Map.of("channel", "web"))))).isTrue();
        assertThat(recorded.matches(PayloadFingerprint.of(request))).isFalse();
    }

    @Test
    void frozenFingerprintOfArgumentArray_isNotAffectedByReplacingAnElement() {
        Object[] args = {"order-1", new BigDecimal("5"), AT};
        PayloadFingerprint recorded = PayloadFingerprint.of(args).freeze();

        args[0] = "order-2";

        assertThat(recorded.matches(PayloadFingerprint.of(new Object[] {"order-1", new BigDecimal("5"), AT}))).isTrue();
        assertThat(recorded.matches(PayloadFingerprint.of(args))).isFalse();
        assertThat(recorded.matches(PayloadFingerprint.of(args.clone()))).isFalse();
    }

    @Test
    void frozenFingerprintOfArgumentArrayWithMutableElement_isNotAffectedByReplacingAnElement() {
        Object[] args = {"order-1", new ArrayList<>(List.of("a"))};
        PayloadFingerprint recorded = PayloadFingerprint.of(args).freeze();

        args[0] = "order-2";

        assertThat(recorded.matches(PayloadFingerprint.of(new Object[] {"order-1", List.of("a")}))).isTrue();
        assertThat(recorded.matches(PayloadFingerprint.of(args))).isFalse();
    }

    @Test
    void frozenFingerprintOfRecordWithMutableList_isComparedByHashRecordedAtFreeze() {
        List<String> items = new ArrayList<>(List.of("a", "b"));
        Batch batch = new Batch("b-1", items);
        PayloadFingerprint recorded = PayloadFingerprint.of(batch).freeze();
        String hash = recorded.hash();

        items.add("c");

        assertThat(recorded.hash()).isEqualTo(hash);
        // the record is equals() to itself, but its value changed: the recorded hash must decide
        assertThat(recorded.matches(PayloadFingerprint.of(batch))).isFalse();
        assertThat(recorded.matches(PayloadFingerprint.of(new Batch("b-1", List.of("a", "b"))))).isTrue();
    }

    @Test
    void ofHash_roundTripMatchesTheOriginal() {
        PayloadFingerprint original = PayloadFingerprint.of(new Request("r-1", BigDecimal.ONE, Map.of("k", "v")));
        Fingerprint readBack = Fingerprint.ofHash(original.hash());
        assertThat(readBack).as("read back from a store: only its hash").isNotInstanceOf(PayloadFingerprint.class);
        assertThat(readBack.hash()).isEqualTo(original.hash());
        assertThat(readBack.matches(original)).isTrue();
        assertThat(readBack.matches(PayloadFingerprint.of(new Request("r-1", BigDecimal.ONE, Map.of("k", "v"))))).isTrue();
        assertThat(readBack.matches(PayloadFingerprint.of(new Request("r-1", BigDecimal.TEN, Map.of("k", "v"))))).isFalse();
    }

    @Test
    void ofHash_roundTripOfValuePayload() {
        PayloadFingerprint original = PayloadFingerprint.of(new Charge("c-1", BigDecimal.ONE, AT)).freeze();
        Fingerprint readBack = Fingerprint.ofHash(original.hash());
        assertThat(readBack.matches(PayloadFingerprint.of(new Charge("c-1", BigDecimal.ONE, AT)))).isTrue();
        assertThat(original.matches(readBack)).as("a trusted payload against a hash-only candidate").isTrue();
        assertThat(readBack.matches(PayloadFingerprint.of(new Charge("c-2", BigDecimal.ONE, AT)))).isFalse();
    }

    @Test
    void ofHash_rejectsNull() {
        assertThatNullPointerException().isThrownBy(() -> Fingerprint.ofHash(null)).withMessage("hash");
    }

    @Test
    void hash_isTheCanonicalHashOfThePayload() {
        Charge charge = new Charge("c-1", BigDecimal.ONE, AT);
        assertThat(PayloadFingerprint.of(charge).hash()).isEqualTo(Canonical.hash(charge));
    }

    @Test
    void aFrozenFingerprint_keepsNeitherASnapshotAblePayloadNorAHashedOneAlive() throws Exception {
        // what a local store keeps for a record's ttl must not keep the claimer's arguments with it
        assertReleasedOnceFrozen(() -> new Object[] {new Request("a", BigDecimal.ONE, null)}); // snapshot
        assertReleasedOnceFrozen(() -> new Object[] {new Batch("b", new ArrayList<>(List.of("x")))}); // hashed
    }

    private static void assertReleasedOnceFrozen(java.util.function.Supplier<Object[]> payloads) throws Exception {
        Object[] payload = payloads.get();
        java.lang.ref.ReferenceQueue<Object> queue = new java.lang.ref.ReferenceQueue<>();
        java.lang.ref.WeakReference<Object> element = new java.lang.ref.WeakReference<>(payload[0], queue);
        PayloadFingerprint frozen = PayloadFingerprint.of(payload).check().freeze();
        String hash = frozen.hash();
        payload = null;

        java.lang.ref.Reference<?> cleared = null;
        for (int attempt = 0; attempt < 50 && cleared == null; attempt++) {
            System.gc();
            cleared = queue.remove(100);
        }
        assertThat(cleared).as("the argument was collected while its fingerprint lives").isSameAs(element);
        assertThat(frozen.hash()).isEqualTo(hash);
        assertThat(frozen.matches(PayloadFingerprint.of(payloads.get()))).isTrue();
    }
}
