package dev.idem.store.jdbc;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Validation of what the store writes, before anything reaches the database. */
final class Keys {
    /** The longest full key, in UTF-8 bytes: the size of the {@code record_key} column. */
    static final int MAX_KEY_BYTES = 2048;
    /** The longest owner token: the size of the {@code owner_token} column. */
    static final int MAX_TOKEN_LENGTH = 128;
    /** The longest lease or ttl accepted: {@code IdempotencyConfig.MAX_DURATION}. */
    static final long MAX_MILLIS = dev.idem.core.IdempotencyConfig.MAX_DURATION.toMillis();

    private Keys() {
    }

    /**
     * Checks a full key: well-formed UTF-16 (a lone surrogate would be encoded as {@code ?}, and two different keys
     * would share a record), at most {@link #MAX_KEY_BYTES} in UTF-8, and no U+0000 on PostgreSQL (its text type
     * cannot hold one).
     */
    static void requireKey(String key, JdbcDialect dialect) {
        if (key == null) {
            throw new NullPointerException("key");
        }
        long bytes = 0;
        int length = key.length();
        for (int i = 0; i < length; i++) {
            char c = key.charAt(i);
            if (c < 0x80) {
                if (c == 0 && dialect == JdbcDialect.POSTGRESQL) {
                    throw new IllegalArgumentException("a key holds the character U+0000 (at index " + i
                            + "), which PostgreSQL cannot store in text");
                }
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(key.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new IllegalArgumentException("a key is not well-formed UTF-16 (a lone surrogate at index " + i
                        + "): it could not be stored without colliding with other keys");
            } else {
                bytes += 3;
            }
        }
        if (bytes > MAX_KEY_BYTES) {
            throw new IllegalArgumentException("a stored key of " + bytes + " UTF-8 bytes is longer than the JDBC "
                    + "store's record_key column (" + MAX_KEY_BYTES + " bytes); shorten the key, the namespace or "
                    + "the prefix. It starts with: " + key.substring(0, Math.min(80, length)));
        }
    }

    static void requireToken(String token) {
        if (token == null) {
            throw new NullPointerException("token");
        }
        if (token.isEmpty() || token.length() > MAX_TOKEN_LENGTH) {
            throw new IllegalArgumentException("an owner token must have 1 to " + MAX_TOKEN_LENGTH
                    + " characters, got " + token.length());
        }
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (c < 0x21 || c > 0x7e) {
                throw new IllegalArgumentException("an owner token must be printable ASCII without spaces: " + token);
            }
        }
    }

    static void requireDuration(String name, long millis) {
        if (millis < 1 || millis > MAX_MILLIS) {
            throw new IllegalArgumentException(name + " must be from 1 to " + MAX_MILLIS
                    + " (IdempotencyConfig.MAX_DURATION), got " + millis);
        }
    }

    /** The payload of a key's notification on PostgreSQL: its MD5 in hex, as {@code md5(record_key)} computes it. */
    static String notificationId(String key) {
        try {
            return HexFormat.of().formatHex(
                    MessageDigest.getInstance("MD5").digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is required by every Java platform", e);
        }
    }
}
