package dev.idem.core.internal;

import dev.idem.core.spi.Fingerprint;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.Objects;
import org.junit.jupiter.api.Test;

/**
 * A record may override {@code equals}; the fast path must not let that override decide that two payloads with
 * different values match. Fails on 145cb18: {@code Values} trusts the {@code equals} of every record made of value
 * types, so a repeat with a different amount replays the first call's outcome.
 */
class FingerprintRecordEqualsTest {

    /** Equal when the ids are equal, whatever the amount: a common "entity identity" equals. */
    record Payment(String id, BigDecimal amount) {
        @Override
        public boolean equals(Object other) {
            return other instanceof Payment p && p.id.equals(id);
        }

        @Override
        public int hashCode() {
            return Objects.hash(id);
        }
    }

    @Test
    void matches_isFalseForRecordsEqualByTheirOwnEqualsButDifferentInValue() {
        PayloadFingerprint recorded = PayloadFingerprint.of(new Payment("p-1", new BigDecimal("10"))).freeze();
        PayloadFingerprint candidate = PayloadFingerprint.of(new Payment("p-1", new BigDecimal("10000")));
        assertThat(recorded.hash()).isNotEqualTo(candidate.hash());
        assertThat(recorded.matches(candidate)).isFalse();
    }
}
