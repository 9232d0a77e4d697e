package dev.idem.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.idem.core.IdempotencyConfig;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.math.BigInteger;
import java.util.List;
import java.util.Locale;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.Tuple.Tuple2;

/**
 * Issue 8 asks that no input make duration parsing throw anything but the documented
 * {@link IllegalArgumentException}, and that whatever it accepts is inside [1 ms, MAX_DURATION]: the expiry arithmetic
 * downstream relies on that bound and nothing else. Arbitrary strings rarely come near the grammar, so most
 * properties generate near-valid texts instead.
 */
class DurationsPropertiesTest {
    private static final Duration MIN = Duration.ofMillis(1);
    private static final Duration MAX = IdempotencyConfig.MAX_DURATION;

    @Property(tries = 2000)
    void parse_ofAnyString_isInRangeOrIllegalArgument(@ForAll("anyText") String text) {
        assertAcceptedInRangeOrRefused(text);
    }

    @Property(tries = 3000)
    void parse_ofNearValidShortForms_isInRangeOrIllegalArgument(@ForAll("nearValidShortForms") String text) {
        assertAcceptedInRangeOrRefused(text);
    }

    @Property(tries = 3000)
    void parse_ofNearValidIsoForms_isInRangeOrIllegalArgument(@ForAll("nearValidIsoForms") String text) {
        assertAcceptedInRangeOrRefused(text);
    }

    /** Every amount that fits the bound in its unit parses to exactly that many units, whitespace and zeros aside. */
    @Property(tries = 3000)
    void parse_ofAnAmountWithinTheBound_isThatAmountOfItsUnit(
            @ForAll("amountsWithinTheBound") Tuple2<ChronoUnit, Long> unitAndAmount,
            @ForAll("strippable") String before, @ForAll("separators") String gap, @ForAll("strippable") String after,
            @ForAll("leadingZeros") String zeros) {
        ChronoUnit unit = unitAndAmount.get1();
        long amount = unitAndAmount.get2();

        Duration parsed = Durations.parse(before + zeros + amount + gap + symbol(unit) + after);

        assertThat(parsed).isEqualTo(Duration.of(amount, unit));
    }

    /** Just past the bound, in every unit and at every scale of excess, the message names the bound. */
    @Property(tries = 1000)
    void parse_ofAnAmountAboveTheBound_namesTheBound(
            @ForAll("units") ChronoUnit unit, @ForAll("excess") String excessDigits) {
        long max = MAX.dividedBy(unit.getDuration());
        String amount = new BigInteger(Long.toString(max)).add(new BigInteger(excessDigits))
                .toString();

        assertThatIllegalArgumentException().isThrownBy(() -> Durations.parse(amount + symbol(unit)))
                .withMessageEndingWith("must be at most 36500d (IdempotencyConfig.MAX_DURATION)");
    }

    @Property(tries = 2000)
    void parse_ofIsoWithinTheBound_isThatDuration(@ForAll("durationsInRange") Duration duration) {
        assertThat(Durations.parse(duration.toString())).isEqualTo(duration);
        assertThat(Durations.parse(duration.toString().toLowerCase(Locale.ROOT))).isEqualTo(duration);
    }

    @Property(tries = 3000)
    void requirePositive_ofAnyDuration_isTheSameDurationOrIllegalArgument(@ForAll("anyDuration") Duration duration) {
        Duration result;
        try {
            result = Durations.requirePositive("ttl", duration);
        } catch (IllegalArgumentException e) {
            assertThat(e).hasMessageStartingWith("ttl must ");
            assertThat(duration == null || duration.compareTo(MIN) < 0 || duration.compareTo(MAX) > 0)
                    .as("refused %s, which is in range", duration).isTrue();
            return;
        }
        assertThat(result).isSameAs(duration);
        assertThat(result).isBetween(MIN, MAX);
    }

    @Example
    void requirePositive_ofTheExtremes_isIllegalArgument() {
        for (Duration extreme : List.of(Duration.ofSeconds(Long.MAX_VALUE, 999_999_999),
                Duration.ofSeconds(Long.MIN_VALUE), ChronoUnit.FOREVER.getDuration(), Duration.ofMillis(Long.MAX_VALUE),
                Duration.ofNanos(Long.MAX_VALUE), Duration.ofNanos(1), MAX.plusNanos(1))) {
            assertThatIllegalArgumentException().isThrownBy(() -> Durations.requirePositive("lease", extreme))
                    .withMessageContaining("lease must be at");
        }
    }

    private static void assertAcceptedInRangeOrRefused(String text) {
        Duration parsed;
        try {
            parsed = Durations.parse(text);
        } catch (IllegalArgumentException e) {
            // The message always names the text (shortened if long), so that the engine's error is actionable.
            assertThat(e.getMessage()).isNotBlank();
            if (text != null && !text.isBlank()) {
                assertThat(e.getMessage()).contains("'" + text.substring(0, Math.min(text.length(), 80)));
            }
            return;
        }
        assertThat(parsed).isBetween(MIN, MAX);
    }

    private static String symbol(ChronoUnit unit) {
        return switch (unit) {
            case MILLIS -> "ms";
            case SECONDS -> "s";
            case MINUTES -> "m";
            case HOURS -> "h";
            default -> "d";
        };
    }

    @Provide
    Arbitrary<String> anyText() {
        return Arbitraries.oneOf(
                Arbitraries.strings().all().ofMaxLength(40),
                Arbitraries.strings().withChars("0123456789PTDHMSmshdYWpt.,+- \t\u00a0\u2003\uff10\uff13\u0663")
                        .ofMaxLength(30),
                Arbitraries.strings().all().ofMinLength(1_000).ofMaxLength(5_000))
                .injectNull(0.02);
    }

    /** Digit runs of every length up to far past a long's, units of any case and garbage, whitespace anywhere. */
    @Provide
    Arbitrary<String> nearValidShortForms() {
        Arbitrary<String> sign = Arbitraries.of("", "", "", "-", "+");
        Arbitrary<String> digits = Arbitraries.oneOf(
                Arbitraries.strings().numeric().ofMinLength(1).ofMaxLength(25),
                Arbitraries.strings().numeric().ofMinLength(17).ofMaxLength(21),
                Arbitraries.strings().withChars("0123456789\uff10\uff11\u0660\u0969").ofMinLength(1).ofMaxLength(6),
                Arbitraries.longs().map(String::valueOf),
                Arbitraries.strings().numeric().ofMinLength(1).ofMaxLength(5).map(n -> n + "." + n));
        Arbitrary<String> unit = Arbitraries.oneOf(
                Arbitraries.of("ms", "s", "m", "h", "d", "MS", "Ms", "S", "M", "H", "D", "", "us", "ns", "w", "y",
                        "mss", "sec", "min", "days", "mS", "dd"),
                Arbitraries.strings().alpha().ofMaxLength(3));
        return Combinators.combine(anyPadding(), sign, digits, anyGap(), unit, anyPadding())
                .as((before, s, n, gap, u, after) -> before + s + n + gap + u + after);
    }

    /** ISO shapes: P/PT with numbers of any size and sign, fractions, calendar units, and fragments. */
    @Provide
    Arbitrary<String> nearValidIsoForms() {
        Arbitrary<String> number = Arbitraries.oneOf(
                Arbitraries.strings().numeric().ofMinLength(1).ofMaxLength(22),
                Arbitraries.longs().map(String::valueOf),
                Arbitraries.of("0", "1", "-1", "+1", "-0"));
        Arbitrary<String> fraction = Arbitraries.oneOf(
                Arbitraries.just(""),
                Arbitraries.strings().numeric().ofMaxLength(11).map(f -> "." + f),
                Arbitraries.strings().numeric().ofMinLength(1).ofMaxLength(3).map(f -> "," + f));
        Arbitrary<String> datePart = Combinators.combine(number, Arbitraries.of("D", "Y", "M", "W", "d", ""))
                .as((n, u) -> n + u).list().ofMaxSize(2).map(parts -> String.join("", parts));
        Arbitrary<String> timePart = Combinators.combine(number, fraction, Arbitraries.of("H", "M", "S", "h", "m", "s",
                "")).as((n, f, u) -> n + f + u).list().ofMaxSize(3).map(parts -> String.join("", parts));
        return Combinators.combine(anyPadding(), Arbitraries.of("", "", "-", "+"), Arbitraries.of("P", "p"), datePart,
                        Arbitraries.of("T", "t", "", "T"), timePart, anyPadding())
                .as((before, sign, p, date, t, time, after) -> before + sign + p + date + t + time + after);
    }

    @Provide
    Arbitrary<ChronoUnit> units() {
        return Arbitraries.of(ChronoUnit.MILLIS, ChronoUnit.SECONDS, ChronoUnit.MINUTES, ChronoUnit.HOURS,
                ChronoUnit.DAYS);
    }

    /** A unit and an amount of it from 1 to the bound; jqwik adds the edges 1 and the bound itself. */
    @Provide
    Arbitrary<Tuple2<ChronoUnit, Long>> amountsWithinTheBound() {
        return units().flatMap(unit -> Arbitraries.longs().between(1, MAX.dividedBy(unit.getDuration()))
                .map(amount -> Tuple.of(unit, amount)));
    }

    /** How far past the bound, from 1 to far past a long. */
    @Provide
    Arbitrary<String> excess() {
        return Arbitraries.oneOf(Arbitraries.longs().between(1, 1000).map(String::valueOf),
                Arbitraries.strings().numeric().ofMinLength(1).ofMaxLength(40).map(n -> "1" + n));
    }

    /** Around the text: whitespace, and a no-break space, which {@link String#strip()} does not remove. */
    private static Arbitrary<String> anyPadding() {
        return Arbitraries.of("", "", " ", "  ", "\t", "\n", " \t ", "\u2003", "\u00a0");
    }

    /** Between number and unit: the accepted spaces and tabs, and what is not accepted there. */
    private static Arbitrary<String> anyGap() {
        return Arbitraries.of("", "", "", " ", "\t", "  ", "\u00a0", "\n");
    }

    /** Whitespace {@code parse} strips around a text: what {@link String#strip()} removes. */
    @Provide
    Arbitrary<String> strippable() {
        return Arbitraries.of("", "", " ", "  ", "\t", "\n", " \t ", "\u2003");
    }

    /** What {@code parse} accepts between the number and the unit. */
    @Provide
    Arbitrary<String> separators() {
        return Arbitraries.of("", "", " ", "\t", "  ");
    }

    @Provide
    Arbitrary<String> leadingZeros() {
        return Arbitraries.oneOf(Arbitraries.just(""), Arbitraries.strings().withChars('0').ofMaxLength(30));
    }

    @Provide
    Arbitrary<Duration> durationsInRange() {
        return Arbitraries.longs().between(MIN.toNanos(), MAX.toNanos()).map(Duration::ofNanos);
    }

    @Provide
    Arbitrary<Duration> anyDuration() {
        Arbitrary<Duration> anyKind = Combinators.combine(Arbitraries.longs(),
                Arbitraries.longs().between(0, 999_999_999)).as(Duration::ofSeconds);
        return Arbitraries.oneOf(
                anyKind,
                Arbitraries.longs().map(Duration::ofNanos),
                Arbitraries.longs().map(Duration::ofMillis),
                Arbitraries.longs().between(MAX.toNanos() - 1_000, MAX.toNanos() + 1_000).map(Duration::ofNanos),
                Arbitraries.longs().between(-1_000_000, 2_000_000).map(Duration::ofNanos),
                Arbitraries.of(Duration.ofSeconds(Long.MAX_VALUE, 999_999_999), Duration.ofSeconds(Long.MIN_VALUE),
                        ChronoUnit.FOREVER.getDuration(), Duration.ZERO, MIN, MAX))
                .injectNull(0.02);
    }
}
