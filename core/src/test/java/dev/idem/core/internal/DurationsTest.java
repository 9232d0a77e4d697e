package dev.idem.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {

    @Test
    void parse_acceptsMilliseconds() {
        assertThat(Durations.parse("500ms")).isEqualTo(Duration.ofMillis(500));
    }

    @Test
    void parse_acceptsSeconds() {
        assertThat(Durations.parse("30s")).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void parse_acceptsMinutes() {
        assertThat(Durations.parse("15m")).isEqualTo(Duration.ofMinutes(15));
    }

    @Test
    void parse_acceptsHours() {
        assertThat(Durations.parse("24h")).isEqualTo(Duration.ofHours(24));
    }

    @Test
    void parse_acceptsDays() {
        assertThat(Durations.parse("7d")).isEqualTo(Duration.ofDays(7));
    }

    @Test
    void parse_acceptsIsoTime() {
        assertThat(Durations.parse("PT24H")).isEqualTo(Duration.ofHours(24));
    }

    @Test
    void parse_acceptsIsoDays() {
        assertThat(Durations.parse("P1D")).isEqualTo(Duration.ofDays(1));
    }

    @Test
    void parse_acceptsIsoFractionOfSecondDownToOneMillisecond() {
        assertThat(Durations.parse("PT0.001S")).isEqualTo(Duration.ofMillis(1));
    }

    @Test
    void parse_acceptsOneMillisecond() {
        assertThat(Durations.parse("1ms")).isEqualTo(Duration.ofMillis(1));
    }

    @Test
    void parse_ignoresSurroundingWhitespace() {
        assertThat(Durations.parse("  30s \t")).isEqualTo(Duration.ofSeconds(30));
        assertThat(Durations.parse(" PT24H ")).isEqualTo(Duration.ofHours(24));
    }

    @Test
    void parse_acceptsWhitespaceBetweenNumberAndUnit() {
        assertThat(Durations.parse("10 m")).isEqualTo(Duration.ofMinutes(10));
    }

    @Test
    void parse_distinguishesMillisecondsFromMinutes() {
        assertThat(Durations.parse("5ms")).isEqualTo(Duration.ofMillis(5));
        assertThat(Durations.parse("5m")).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void parse_rejectsEmpty() {
        assertThatIllegalArgumentException().isThrownBy(() -> Durations.parse(""))
                .withMessageContaining("a duration is required")
                .withMessageContaining("(got '')");
    }

    @Test
    void parse_rejectsBlank() {
        assertThatIllegalArgumentException().isThrownBy(() -> Durations.parse("   "))
                .withMessageContaining("a duration is required")
                .withMessageContaining("'   '");
    }

    @Test
    void parse_rejectsNull() {
        assertThatIllegalArgumentException().isThrownBy(() -> Durations.parse(null))
                .withMessageContaining("a duration is required")
                .withMessageContaining("(got null)");
    }

    @Test
    void parse_rejectsZero() {
        assertThatIllegalArgumentException().isThrownBy(() -> Durations.parse("0s"))
                .withMessage("duration '0s' must be at least 1ms");
    }

    @Test
    void parse_rejectsNegative() {
        assertThatIllegalArgumentException().isThrownBy(() -> Durations.parse("-1s"))
                .withMessageContaining("invalid duration '-1s'")
                .withMessageContaining("500ms, 30s, 15m, 24h, 7d");
    }

    @Test
    void parse_rejectsUnknownUnit() {
        assertThatIllegalArgumentException().isThrownBy(() -> Durations.parse("10x"))
                .withMessageContaining("invalid duration '10x'")
                .withMessageContaining("use a number with ms, s, m, h or d");
    }

    @Test
    void parse_rejectsFraction() {
        assertThatIllegalArgumentException().isThrownBy(() -> Durations.parse("1.5h"))
                .withMessageContaining("invalid duration '1.5h'");
    }

    @Test
    void parse_rejectsNumberWithoutUnit() {
        assertThatIllegalArgumentException().isThrownBy(() -> Durations.parse("30"))
                .withMessageContaining("invalid duration '30'");
    }

    @Test
    void parse_rejectsIsoZero() {
        assertThatIllegalArgumentException().isThrownBy(() -> Durations.parse("PT0S"))
                .withMessage("duration 'PT0S' must be at least 1ms");
    }

    @Test
    void parse_rejectsIsoNegative() {
        assertThatIllegalArgumentException().isThrownBy(() -> Durations.parse("PT-5S"))
                .withMessage("duration 'PT-5S' must be at least 1ms");
    }

    @Test
    void parse_rejectsIsoBelowOneMillisecond() {
        assertThatIllegalArgumentException().isThrownBy(() -> Durations.parse("PT0.0001S"))
                .withMessage("duration 'PT0.0001S' must be at least 1ms");
    }

    @Test
    void parse_rejectsMalformedIso() {
        assertThatIllegalArgumentException().isThrownBy(() -> Durations.parse("PXYZ"))
                .withMessage("invalid ISO-8601 duration 'PXYZ'");
    }

    @Test
    void parse_rejectsOverflowingDays() {
        assertThatIllegalArgumentException().isThrownBy(() -> Durations.parse("999999999999999999d"))
                .withMessage("duration '999999999999999999d' is too long");
    }

    @ParameterizedTest
    @ValueSource(strings = {"999999999999999999s", "999999999999999999m", "999999999999999999h"})
    void parse_rejectsDurationsThatDoNotFitInMilliseconds(String text) {
        assertThatIllegalArgumentException().isThrownBy(() -> Durations.parse(text))
                .withMessage("duration '" + text + "' is too long");
    }

    @Test
    void parse_rejectsMoreDigitsThanALongHolds() {
        assertThatIllegalArgumentException().isThrownBy(() -> Durations.parse("99999999999999999999s"))
                .withMessageContaining("invalid duration '99999999999999999999s'");
    }

    @Test
    void parse_rejectsIsoThatDoesNotFitInMilliseconds() {
        assertThatIllegalArgumentException().isThrownBy(() -> Durations.parse("PT2562047788016H"))
                .withMessage("duration 'PT2562047788016H' is too long");
    }

    @Test
    void requirePositive_returnsAPositiveDuration() {
        assertThat(Durations.requirePositive("ttl", Duration.ofMillis(1))).isEqualTo(Duration.ofMillis(1));
    }

    @Test
    void requirePositive_rejectsNullNamingTheSetting() {
        assertThatIllegalArgumentException().isThrownBy(() -> Durations.requirePositive("ttl", null))
                .withMessage("ttl must not be null");
    }

    @Test
    void requirePositive_rejectsZeroNegativeAndSubMillisecond() {
        assertThatIllegalArgumentException().isThrownBy(() -> Durations.requirePositive("lease", Duration.ZERO))
                .withMessage("lease must be at least 1ms, got PT0S");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> Durations.requirePositive("lease", Duration.ofSeconds(-1)))
                .withMessageContaining("lease must be at least 1ms");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> Durations.requirePositive("lease", Duration.ofNanos(999_999)))
                .withMessageContaining("lease must be at least 1ms");
    }
}
