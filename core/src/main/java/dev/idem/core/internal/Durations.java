package dev.idem.core.internal;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses the duration texts of the annotation: {@code 500ms}, {@code 30s}, {@code 15m}, {@code 24h}, {@code 7d}, ISO-8601. */
public final class Durations {
    private static final Pattern SIMPLE = Pattern.compile("(\\d{1,18})\\s*(ms|s|m|h|d)");

    private Durations() {
    }

    /**
     * Parses a positive duration.
     *
     * @param text the text, such as {@code 500ms}, {@code 30s}, {@code 15m}, {@code 24h}, {@code 7d} or
     *     {@code PT24H}
     * @return the duration, always positive
     * @throws IllegalArgumentException naming the text and what is wrong with it
     */
    public static Duration parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("a duration is required, for example '30s' (got "
                    + (text == null ? "null" : "'" + text + "'") + ")");
        }
        String trimmed = text.trim();
        Duration duration;
        Matcher m = SIMPLE.matcher(trimmed);
        if (m.matches()) {
            long amount = Long.parseLong(m.group(1));
            try {
                duration = switch (m.group(2)) {
                    case "ms" -> Duration.ofMillis(amount);
                    case "s" -> Duration.ofSeconds(amount);
                    case "m" -> Duration.ofMinutes(amount);
                    case "h" -> Duration.ofHours(amount);
                    default -> Duration.ofDays(amount);
                };
                duration.toMillis(); // must fit in milliseconds
            } catch (ArithmeticException e) {
                throw new IllegalArgumentException("duration '" + text + "' is too long");
            }
        } else if (trimmed.length() > 1 && (trimmed.charAt(0) == 'P' || trimmed.charAt(0) == 'p')) {
            try {
                duration = Duration.parse(trimmed);
                duration.toMillis();
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("invalid ISO-8601 duration '" + text + "'");
            } catch (ArithmeticException e) {
                throw new IllegalArgumentException("duration '" + text + "' is too long");
            }
        } else {
            throw new IllegalArgumentException("invalid duration '" + text
                    + "': use a number with ms, s, m, h or d (500ms, 30s, 15m, 24h, 7d) or ISO-8601 (PT24H)");
        }
        if (duration.isNegative() || duration.isZero() || duration.toMillis() == 0) {
            throw new IllegalArgumentException("duration '" + text + "' must be at least 1ms");
        }
        return duration;
    }

    /**
     * Checks a duration given in code.
     *
     * @param name the setting's name, for the message
     * @param duration the value
     * @return the value
     * @throws IllegalArgumentException if null, or shorter than 1 ms
     */
    public static Duration requirePositive(String name, Duration duration) {
        if (duration == null) {
            throw new IllegalArgumentException(name + " must not be null");
        }
        if (duration.isNegative() || duration.toMillis() <= 0) {
            throw new IllegalArgumentException(name + " must be at least 1ms, got " + duration);
        }
        return duration;
    }
}
