package dev.idem.examples.http;

import java.util.List;

/**
 * Reads the {@code Idempotency-Key} request header.
 *
 * <p>The IETF httpapi draft defines the header as a Structured Field string ({@code Idempotency-Key: "abc"}); Stripe
 * and most clients send the bare value ({@code Idempotency-Key: abc}). Both are accepted: surrounding double quotes
 * are removed. The key is then:
 * <ul>
 *   <li><b>missing</b> if the header is absent;</li>
 *   <li><b>malformed</b> if it is sent more than once, is empty or blank, is longer than {@value #MAX_LENGTH}
 *       characters, or holds a character outside printable ASCII (space to {@code ~}). A quoted key may not contain
 *       {@code "} or {@code \}.</li>
 * </ul>
 * Keys are case-sensitive and used as they are; a UUID (v4) is the usual choice.
 */
final class IdempotencyKeyHeader {

    /** The header's name. */
    static final String NAME = "Idempotency-Key";

    /** The longest key accepted, the same as idem's default {@code maxKeyLength}. */
    static final int MAX_LENGTH = 255;

    private IdempotencyKeyHeader() {
    }

    /**
     * The key, or the problem that prevents it.
     *
     * @param key the key, or null if there is a problem
     * @param problem the problem, or null if there is a key
     */
    record Parsed(String key, Problem problem) {
    }

    /**
     * Parses the header's values.
     *
     * @param values every value of the header in the request, or null if it is absent
     * @return the key or a 400 problem
     */
    static Parsed parse(List<String> values) {
        if (values == null || values.isEmpty()) {
            return problem(Problem.keyMissing("send an " + NAME + " header with a unique value per operation, "
                    + "for example a UUID; retry the same operation with the same key"));
        }
        if (values.size() > 1) {
            return malformed("the " + NAME + " header was sent " + values.size() + " times; send it once");
        }
        String key = values.get(0);
        if (key.length() >= 2 && key.startsWith("\"") && key.endsWith("\"")) {
            key = key.substring(1, key.length() - 1);
            if (key.indexOf('"') >= 0 || key.indexOf('\\') >= 0) {
                return malformed("a quoted " + NAME + " must not contain '\"' or '\\'");
            }
        }
        if (key.isBlank()) {
            return malformed("the " + NAME + " header is empty");
        }
        if (key.length() > MAX_LENGTH) {
            return malformed("the " + NAME + " is " + key.length() + " characters long, more than the limit of "
                    + MAX_LENGTH);
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                return malformed(String.format("the %s holds the character U+%04X at index %d; only printable "
                        + "ASCII (space to '~') is allowed", NAME, (int) c, i));
            }
        }
        return new Parsed(key, null);
    }

    private static Parsed malformed(String detail) {
        return problem(Problem.keyMalformed(detail));
    }

    private static Parsed problem(Problem problem) {
        return new Parsed(null, problem);
    }
}
