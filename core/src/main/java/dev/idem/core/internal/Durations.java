package dev.idem.core.internal;

import dev.idem.core.IdempotencyConfig;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses and checks the durations of idem: ttl, lease and wait timeout, from annotation texts or from code.
 *
 * <p>Every duration idem accepts lies in [1 ms, {@link IdempotencyConfig#MAX_DURATION}], so that {@code now + d} and
 * {@code d} in nanoseconds never overflow anywhere downstream. Anything else, whatever the input, is an
 * {@link IllegalArgumentException} whose message names the text (or the setting) and what is wrong; no other
 * exception escapes, so that callers need to translate exactly one.
 *
 * <p>The accepted texts, after surrounding whitespace is stripped:
 * <ul>
 *   <li>a whole number of ASCII digits (leading zeros allowed) and a lower-case unit {@code ms}, {@code s},
 *       {@code m}, {@code h} or {@code d}, optionally separated by spaces: {@code 500ms}, {@code 30 s}, {@code 7d}.
 *       Upper-case units are refused rather than guessed: {@code 1M} reads as a month to some and a minute to others,
 *       and a ttl shorter than intended silently runs bodies twice.</li>
 *   <li>ISO-8601 as {@link Duration#parse} reads it, in either case: {@code PT24H}, {@code pt30s}, {@code P1DT12H},
 *       {@code PT0.5S}. Without any sign: a sign only ever yields a negative duration or, mixed
 *       ({@code PT1H-30M}, {@code -PT-5S}), a positive one that nobody reading it would guess. Years, months and weeks
 *       are refused, as {@code Duration} has no fixed length for them.</li>
 * </ul>
 */
public final class Durations {
    /** The short form. {@code [0-9]}, not {@code \d}: only ASCII digits, whatever the regex flags. */
    private static final Pattern SIMPLE = Pattern.compile("([0-9]+)[ \\t]*(ms|s|m|h|d)");
    /** A short form with a unit of another case, recognised only to say what is wrong. */
    private static final Pattern OTHER_CASE_UNIT = Pattern.compile("[0-9]+[ \\t]*(?i:ms|s|m|h|d)");
    /** A short form with a fraction, recognised only to say what is wrong. */
    private static final Pattern FRACTION = Pattern.compile("[0-9]*[.,][0-9]+[ \\t]*[A-Za-z]*");
    /** The date part of a well-formed ISO period that uses years, months or weeks, to say why it is refused. */
    private static final Pattern CALENDAR_DATE_PART = Pattern.compile("P([0-9]+[YMWD])*[0-9]+[YMW]([0-9]+[YMWD])*");
    private static final Pattern NUMBER_ONLY = Pattern.compile("[0-9]+");
    /** Digits beyond this many (leading zeros aside) exceed the bound in any unit, even milliseconds. */
    private static final int MAX_SIGNIFICANT_DIGITS = 18;
    /** Texts longer than this are shortened in messages, which would otherwise carry the whole of a huge input. */
    private static final int MAX_QUOTED_LENGTH = 80;
    private static final Duration MIN_DURATION = Duration.ofMillis(1);
    private static final String FORMS = "use a whole number with ms, s, m, h or d (500ms, 30s, 15m, 24h, 7d)"
            + " or ISO-8601 (PT24H)";

    private Durations() {
    }

    /**
     * Parses a duration text.
     *
     * @param text the text, such as {@code 500ms}, {@code 30s}, {@code 15m}, {@code 24h}, {@code 7d} or
     *     {@code PT24H}; possibly null
     * @return the duration, at least 1 ms and at most {@link IdempotencyConfig#MAX_DURATION}
     * @throws IllegalArgumentException for any other text, naming the text and what is wrong with it; never any
     *     other exception
     */
    public static Duration parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("a duration is required, for example '30s' (got "
                    + (text == null ? "null" : quote(text)) + ")");
        }
        String stripped = text.strip(); // Character.isWhitespace, the same notion as isBlank
        Matcher simple = SIMPLE.matcher(stripped);
        Duration duration = simple.matches()
                ? simple(text, simple.group(1), simple.group(2))
                : other(text, stripped);
        return checkRange(duration, "duration " + quote(text), "");
    }

    /**
     * Checks a duration given in code.
     *
     * @param name the setting's name, for the message
     * @param duration the value, possibly null
     * @return the value, unchanged
     * @throws IllegalArgumentException if null, shorter than 1 ms or longer than
     *     {@link IdempotencyConfig#MAX_DURATION}; never any other exception
     */
    public static Duration requirePositive(String name, Duration duration) {
        if (duration == null) {
            throw new IllegalArgumentException(name + " must not be null");
        }
        return checkRange(duration, name, ", got " + duration);
    }

    /** Only comparisons: no arithmetic that could overflow for an extreme duration such as {@code FOREVER}. */
    private static Duration checkRange(Duration duration, String subject, String got) {
        if (duration.compareTo(MIN_DURATION) < 0) {
            throw new IllegalArgumentException(subject + " must be at least 1ms" + got);
        }
        if (duration.compareTo(IdempotencyConfig.MAX_DURATION) > 0) {
            throw tooLong(subject, got);
        }
        return duration;
    }

    private static IllegalArgumentException tooLong(String subject, String got) {
        return new IllegalArgumentException(subject + " must be at most " + IdempotencyConfig.MAX_DURATION.toDays()
                + "d (IdempotencyConfig.MAX_DURATION)" + got);
    }

    private static Duration simple(String text, String digits, String unitText) {
        ChronoUnit unit = switch (unitText) {
            case "ms" -> ChronoUnit.MILLIS;
            case "s" -> ChronoUnit.SECONDS;
            case "m" -> ChronoUnit.MINUTES;
            case "h" -> ChronoUnit.HOURS;
            default -> ChronoUnit.DAYS;
        };
        String significant = digits.replaceFirst("^0+(?=.)", "");
        // Compared in the text's own unit, so that the conversion below can neither overflow nor throw.
        if (significant.length() > MAX_SIGNIFICANT_DIGITS
                || Long.parseLong(significant) > IdempotencyConfig.MAX_DURATION.dividedBy(unit.getDuration())) {
            throw tooLong("duration " + quote(text), "");
        }
        return Duration.of(Long.parseLong(significant), unit);
    }

    /** Everything that is not the short form: ISO-8601, or a mistake worth a specific message. */
    private static Duration other(String text, String stripped) {
        char first = stripped.charAt(0);
        if (first == '+' || first == '-' || ((first == 'P' || first == 'p')
                && (stripped.indexOf('-') >= 0 || stripped.indexOf('+') >= 0))) {
            throw new IllegalArgumentException("duration " + quote(text) + " has a sign: a duration is positive and"
                    + " written without one (30s, PT30S)");
        }
        if (first == 'P' || first == 'p') {
            return iso(text, stripped);
        }
        if (OTHER_CASE_UNIT.matcher(stripped).matches()) {
            throw new IllegalArgumentException("invalid duration " + quote(text) + ": units are lower case"
                    + " (ms, s, m, h, d); an upper-case M would be read as minutes by some and months by others");
        }
        if (FRACTION.matcher(stripped).matches()) {
            throw new IllegalArgumentException("invalid duration " + quote(text) + ": the number must be whole;"
                    + " use a smaller unit (1500ms rather than 1.5s) or ISO-8601 (PT1.5S)");
        }
        if (NUMBER_ONLY.matcher(stripped).matches()) {
            throw new IllegalArgumentException("invalid duration " + quote(text) + ": a unit is required; " + FORMS);
        }
        if (stripped.codePoints().anyMatch(c -> Character.isDigit(c) && (c < '0' || c > '9'))) {
            throw new IllegalArgumentException("invalid duration " + quote(text) + ": only the digits 0-9 are"
                    + " accepted; " + FORMS);
        }
        throw new IllegalArgumentException("invalid duration " + quote(text) + ": " + FORMS);
    }

    private static Duration iso(String text, String stripped) {
        String upper = stripped.toUpperCase(Locale.ROOT);
        int time = upper.indexOf('T');
        String datePart = time < 0 ? upper : upper.substring(0, time);
        if (CALENDAR_DATE_PART.matcher(datePart).matches()) {
            throw new IllegalArgumentException("invalid ISO-8601 duration " + quote(text) + ": years, months and"
                    + " weeks have no fixed length; use days (P30D) and time (PT12H)");
        }
        try {
            return Duration.parse(stripped);
        } catch (DateTimeParseException e) {
            // Duration.parse reports a number or a sum too large for a Duration as a parse error with this cause.
            if (e.getCause() instanceof ArithmeticException || e.getCause() instanceof NumberFormatException) {
                throw tooLong("duration " + quote(text), "");
            }
            throw new IllegalArgumentException("invalid ISO-8601 duration " + quote(text) + ": expected a form such"
                    + " as PT24H, PT30M, PT0.5S or P1DT12H (days, hours, minutes, seconds)");
        } catch (RuntimeException e) { // not documented by Duration.parse; kept to the one exception type promised
            throw new IllegalArgumentException("invalid ISO-8601 duration " + quote(text) + ": " + e, e);
        }
    }

    /** The text in quotes, shortened when long, so that a message stays readable. */
    private static String quote(String text) {
        return text.length() <= MAX_QUOTED_LENGTH
                ? "'" + text + "'"
                : "'" + text.substring(0, MAX_QUOTED_LENGTH) + "...' (" + text.length() + " characters)";
    }
}
