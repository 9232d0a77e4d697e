package dev.idem.core.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The remaining ttl a completed record may carry, for a near-cache in front of a shared store. */
class StoredRecordTest {
    private static final Fingerprint FINGERPRINT = Fingerprint.ofHash("abc");
    private static final Outcome OUTCOME = Outcome.encodedValue(new byte[] {'1'});

    @Test
    void completed_withoutATtl_saysItIsUnknown() {
        StoredRecord record = StoredRecord.completed(FINGERPRINT, OUTCOME);

        assertThat(record.ttlRemainingMillis()).isEqualTo(-1);
        assertThat(record.state()).isEqualTo(StoredRecord.State.COMPLETED);
    }

    @Test
    void completed_withATtl_keepsIt_fromZeroToTheLongest() {
        assertThat(StoredRecord.completed(FINGERPRINT, OUTCOME, 0).ttlRemainingMillis()).isZero();
        assertThat(StoredRecord.completed(FINGERPRINT, OUTCOME, 1234).ttlRemainingMillis()).isEqualTo(1234);
        assertThat(StoredRecord.completed(FINGERPRINT, OUTCOME, Long.MAX_VALUE).ttlRemainingMillis())
                .isEqualTo(Long.MAX_VALUE);
        assertThat(StoredRecord.completed(FINGERPRINT, OUTCOME, -1).ttlRemainingMillis()).isEqualTo(-1);
        assertThat(StoredRecord.completed(FINGERPRINT, OUTCOME, 1234)).hasToString(
                "COMPLETED(" + FINGERPRINT + ", " + OUTCOME + ", ttl 1234 ms left)");
    }

    @Test
    void completed_withATtlBelowMinusOne_isRefused() {
        for (long ttl : new long[] {-2, -1000, Long.MIN_VALUE}) {
            assertThatThrownBy(() -> StoredRecord.completed(FINGERPRINT, OUTCOME, ttl))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("ttlRemainingMillis")
                    .hasMessageContaining(Long.toString(ttl));
        }
    }

    @Test
    void inFlight_hasNoTtl() {
        assertThat(StoredRecord.inFlight("token", FINGERPRINT, 500).ttlRemainingMillis()).isEqualTo(-1);
    }
}
