package dev.idem.core.internal;

import dev.idem.core.spi.Fingerprint;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

/**
 * A record whose accessor masks a field must not match a payload with another value in that field. Fails on 11eb31c:
 * the fast path compared the accessors ({@code "****"} both times) and the local store replayed the first card's
 * outcome for the second card, while a shared store (comparing hashes of the fields) refused the same call.
 */
class FingerprintRecordAccessorTest {

    record Charge(String card, BigDecimal amount) {
        @Override
        public String card() {
            return "****" + card.substring(card.length() - 4);
        }
    }

    @Test
    void matches_isFalseForRecordsThatDifferOnlyInAMaskedField() {
        PayloadFingerprint recorded = PayloadFingerprint.of(new Object[] {new Charge("4111111111111111", BigDecimal.TEN)}).freeze();
        PayloadFingerprint candidate = PayloadFingerprint.of(new Object[] {new Charge("4000000000001111", BigDecimal.TEN)});
        assertThat(recorded.matches(candidate)).isFalse();
        assertThat(recorded.matches(Fingerprint.ofHash(candidate.hash()))).isFalse();
    }

    @Test
    void matches_isTrueForEqualRecordsWithoutHashingTheCandidate() {
        PayloadFingerprint recorded = PayloadFingerprint.of(new Object[] {new Charge("4111111111111111", BigDecimal.TEN)}).freeze();
        PayloadFingerprint candidate = PayloadFingerprint.of(new Object[] {new Charge("4111111111111111", BigDecimal.TEN)});
        assertThat(recorded.matches(candidate)).isTrue();
        assertThat(candidate.isFrozen()).as("the fast path still decides equal records").isFalse();
    }
}
