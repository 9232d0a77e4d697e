package dev.idem.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.idem.core.IdempotencyConfig;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
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
                .withMessage("duration '-1s' has a sign: a duration is positive and written without one (30s, PT30S)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"+5s", "-PT5S", "PT1H-30M", "-PT-5S", "P1DT-1H", "PT+5S"})
    void parse_rejectsAnySignEvenWhenThePartsSumToAPositiveDuration(String text) {
        assertThatIllegalArgumentException().isThrownBy(() -> Durations.parse(text))
                .withMessageStartingWith("duration '" + text + "' has a sign");
    }

    @Test
    void parse_rejectsUnknownUnit() {
        assertThatIllegalArgumentException().isThrownBy(() -> Durations.parse("10x"))
                .withMessageContaining("invalid duration '10x'")
                .withMessageContaining("use a whole number with ms, s, m, h or d");
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.5h", "1.5s", ".5s", "1,5s", "0.5 ms"})
    void parse_rejectsFractionSuggestingASmallerUnit(String text) {
        assertThatIllegalArgumentException().isThrownBy(() -> Durations.parse(text))
                .withMessage("invalid duration '" + text + "': the number must be whole; use a smaller unit"
                        + " (1500ms rather than 1.5s) or ISO-8601 (PT1.5S)");
    }

    @Test
    void parse_acceptsIsoFraction() {
        assertThat(Durations.parse("PT1.5S")).isEqualTo(Duration.ofMillis(1500));
    }

    @ParameterizedTest
    @ValueSource(strings = {"30S", "30MS", "30Ms", "1M", "24H", "7D", "30 S"})
    void parse_rejectsUpperCaseUnitsRatherThanGuessingMinutesOrMonths(String text) {
        assertThatIllegalArgumentException().isThrownBy(() -> Durations.parse(text))
                .withMessageStartingWith("invalid duration '" + text + "': units are lower case (ms, s, m, h, d)");
    }

    @Test
    void parse_acceptsLowerCaseIso() {
        assertThat(Durations.parse("pt30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(Durations.parse("p1dt1h")).isEqualTo(Duration.ofHours(25));
    }

    @Test
    void parse_acceptsLeadingZeros() {
        assertThat(Durations.parse("030s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(Durations.parse("0000000000000000000000000000030s")).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void parse_rejectsNonAsciiDigits() {
        // Fullwidth and Arabic-Indic digits: Long.parseLong would take them, the short form does not.
        assertThatIllegalArgumentException().isThrownBy(() -> Durations.parse("\uFF13\uFF10s"))
                .withMessageStartingWith("invalid duration '\uFF13\uFF10s': only the digits 0-9 are accepted");
        assertThatIllegalArgumentException().isThrownBy(() -> Durations.parse("\u0663\u0660s"))
                .withMessageStartingWith("invalid duration '\u0663\u0660s': only the digits 0-9 are accepted");
        assertThatIllegalArgumentException().isThrownBy(() -> Durations.parse("PT\uFF13\uFF10S"))
                .withMessageStartingWith("invalid ISO-8601 duration 'PT\uFF13\uFF10S'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"P1Y", "P1M", "P2W", "P1Y2M3DT4H", "p1m"})
    void parse_rejectsCalendarUnitsThatHaveNoFixedLength(String text) {
        assertThatIllegalArgumentException().isThrownBy(() -> Durations.parse(text))
                .withMessage("invalid ISO-8601 duration '" + text + "': years, months and weeks have no fixed"
                        + " length; use days (P30D) and time (PT12H)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"P", "PT", "P1DT", "PT 30S", "PT30", "PT1S1H", "PXYZ"})
    void parse_rejectsMalformedIsoShowingTheForm(String text) {
        assertThatIllegalArgumentException().isThrownBy(() -> Durations.parse(text))
                .withMessage("invalid ISO-8601 duration '" + text + "': expected a form such as PT24H, PT30M,"
                        + " PT0.5S or P1DT12H (days, hours, minutes, seconds)");
    }

    @Test
    void parse_rejectsSpaceInsideTheNumber() {
        assertThatIllegalArgumentException().isThrownBy(() -> Durations.parse("3 0s"))
                .withMessageStartingWith("invalid duration '3 0s': use a whole number with ms, s, m, h or d");
    }

    @Test
    void parse_rejectsNumberWithoutUnit() {
        assertThatIllegalArgumentException().isThrownBy(() -> Durations.parse("30"))
                .withMessageStartingWith("invalid duration '30': a unit is required");
    }

    @Test
    void parse_rejectsIsoZero() {
        assertThatIllegalArgumentException().isThrownBy(() -> Durations.parse("PT0S"))
                .withMessage("duration 'PT0S' must be at least 1ms");
    }

    @Test
    void parse_rejectsIsoNegative() {
        assertThatIllegalArgumentException().isThrownBy(() -> Durations.parse("PT-5S"))
                .withMessageStartingWith("duration 'PT-5S' has a sign");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0ms", "000s", "0d", "PT0.0009S"})
    void parse_rejectsBelowOneMillisecond(String text) {
        assertThatIllegalArgumentException().isThrownBy(() -> Durations.parse(text))
                .withMessage("duration '" + text + "' must be at least 1ms");
    }

    @Test
    void parse_rejectsIsoBelowOneMillisecond() {
        assertThatIllegalArgumentException().isThrownBy(() -> Durations.parse("PT0.0001S"))
                .withMessage("duration 'PT0.0001S' must be at least 1ms");
    }

    @Test
    void parse_acceptsExactlyTheBoundInEveryUnit() {
        Duration max = IdempotencyConfig.MAX_DURATION;
        assertThat(Durations.parse("36500d")).isEqualTo(max);
        assertThat(Durations.parse("876000h")).isEqualTo(max);
        assertThat(Durations.parse("52560000m")).isEqualTo(max);
        assertThat(Durations.parse("3153600000s")).isEqualTo(max);
        assertThat(Durations.parse("3153600000000ms")).isEqualTo(max);
        assertThat(Durations.parse("P36500D")).isEqualTo(max);
        assertThat(Durations.parse("PT876000H")).isEqualTo(max);
    }

    /** The texts of issue 8 that passed validation and then overflowed {@code now + ttl}, and their neighbours. */
    @ParameterizedTest
    @ValueSource(strings = {"36501d", "876001h", "52560001m", "3153600001s", "3153600000001ms", "106751991167d",
        "999999999999999999d", "999999999999999999s", "999999999999999999m", "999999999999999999h",
        "9223372036854775807ms", "9223372036854775808ms", "99999999999999999999s",
        "99999999999999999999999999999999999999999999999999ms", "P36501D", "PT876000H0.001S",
        "PT876000H0.000000001S", "PT2562047788016H", "PT9223372036854775807S", "PT9223372036854775808S",
        "P106751991167300D", "PT99999999999999999999H", "P1DT9223372036854775807S"})
    void parse_rejectsAboveTheBoundNamingIt(String text) {
        assertThatIllegalArgumentException().isThrownBy(() -> Durations.parse(text))
                .withMessage("duration '" + text + "' must be at most 36500d (IdempotencyConfig.MAX_DURATION)");
    }

    @Test
    void parse_shortensAHugeTextInTheMessage() {
        String text = "9".repeat(10_000) + "s";
        assertThatIllegalArgumentException().isThrownBy(() -> Durations.parse(text))
                .withMessage("duration '" + "9".repeat(80) + "...' (10001 characters) must be at most 36500d"
                        + " (IdempotencyConfig.MAX_DURATION)");
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
                .withMessage("lease must be at least 1ms, got PT0.000999999S");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> Durations.requirePositive("lease", Duration.ofSeconds(Long.MIN_VALUE)))
                .withMessage("lease must be at least 1ms, got PT-2562047788015215H-30M-8S");
    }

    @Test
    void requirePositive_acceptsExactlyTheBound() {
        assertThat(Durations.requirePositive("ttl", IdempotencyConfig.MAX_DURATION))
                .isSameAs(IdempotencyConfig.MAX_DURATION);
    }

    @Test
    void requirePositive_rejectsAboveTheBoundNamingTheSettingAndTheBound() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> Durations.requirePositive("ttl", Duration.ofMillis(Long.MAX_VALUE)))
                .withMessage("ttl must be at most 36500d (IdempotencyConfig.MAX_DURATION),"
                        + " got PT2562047788015H12M55.807S");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> Durations.requirePositive("waitTimeout",
                        IdempotencyConfig.MAX_DURATION.plusNanos(1)))
                .withMessage("waitTimeout must be at most 36500d (IdempotencyConfig.MAX_DURATION),"
                        + " got PT876000H0.000000001S");
    }

    @Test
    void requirePositive_rejectsForeverWithoutArithmeticException() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> Durations.requirePositive("lease", ChronoUnit.FOREVER.getDuration()))
                .withMessage("lease must be at most 36500d (IdempotencyConfig.MAX_DURATION),"
                        + " got PT2562047788015215H30M7.999999999S");
    }
}
