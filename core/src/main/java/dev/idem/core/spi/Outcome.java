package dev.idem.core.spi;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The recorded outcome of a completed call: a value (possibly null) or a replayable failure, either as Java objects
 * (for stores that keep objects, see {@link IdempotencyStore#keepsObjects()}) or encoded as bytes by the engine (for
 * stores that do not), or the note that the outcome could not be encoded.
 *
 * <p>Immutable and thread-safe (the objects it holds are shared, not copied).
 */
public final class Outcome {

    /** The kinds of outcome. */
    public enum Kind {
        /** A returned value kept as an object: {@link #value()}. */
        VALUE,
        /** A replayable exception kept as an object: {@link #failure()}. */
        FAILURE,
        /** A returned value encoded by the engine: {@link #bytes()}. */
        ENCODED_VALUE,
        /** A replayable exception encoded by the engine: {@link #failureType()} and {@link #bytes()} (its message). */
        ENCODED_FAILURE,
        /** The call completed but its outcome could not be encoded: {@link #reason()}. */
        UNENCODABLE
    }

    private static final Outcome NULL_VALUE = new Outcome(Kind.VALUE, null, null, null, null);

    private final Kind kind;
    private final Object value;
    private final Throwable failure;
    private final byte[] bytes;
    private final String text;

    private Outcome(Kind kind, Object value, Throwable failure, byte[] bytes, String text) {
        this.kind = kind;
        this.value = value;
        this.failure = failure;
        this.bytes = bytes;
        this.text = text;
    }

    /**
     * A returned value, kept as an object.
     *
     * @param value the value, possibly null
     * @return the outcome
     */
    public static Outcome value(Object value) {
        return value == null ? NULL_VALUE : new Outcome(Kind.VALUE, value, null, null, null);
    }

    /**
     * A replayable failure, kept as an object.
     *
     * @param failure the exception the method threw
     * @return the outcome
     */
    public static Outcome failure(Throwable failure) {
        return new Outcome(Kind.FAILURE, null, Objects.requireNonNull(failure, "failure"), null, null);
    }

    /**
     * A returned value in its encoded form.
     *
     * @param bytes the encoded value; not copied, do not modify
     * @return the outcome
     */
    public static Outcome encodedValue(byte[] bytes) {
        return new Outcome(Kind.ENCODED_VALUE, null, null, Objects.requireNonNull(bytes, "bytes"), null);
    }

    /**
     * A replayable failure in its encoded form.
     *
     * @param failureType the binary name of the exception class, one of the method's replayed types
     * @param message the exception's message, possibly null
     * @return the outcome
     */
    public static Outcome encodedFailure(String failureType, String message) {
        return new Outcome(Kind.ENCODED_FAILURE, null, null,
                message == null ? null : message.getBytes(StandardCharsets.UTF_8),
                Objects.requireNonNull(failureType, "failureType"));
    }

    /**
     * The note that the outcome could not be encoded.
     *
     * @param reason why, for the exception a replay raises
     * @return the outcome
     */
    public static Outcome unencodable(String reason) {
        return new Outcome(Kind.UNENCODABLE, null, null, null, Objects.requireNonNull(reason, "reason"));
    }

    /**
     * The kind of this outcome.
     *
     * @return the kind
     */
    public Kind kind() {
        return kind;
    }

    /**
     * The value of a {@link Kind#VALUE} outcome.
     *
     * @return the value, possibly null
     */
    public Object value() {
        return value;
    }

    /**
     * The exception of a {@link Kind#FAILURE} outcome.
     *
     * @return the exception, or null for other kinds
     */
    public Throwable failure() {
        return failure;
    }

    /**
     * The bytes of an encoded value, or the UTF-8 message of an encoded failure.
     *
     * @return the bytes (not a copy; do not modify), or null
     */
    public byte[] bytes() {
        return bytes;
    }

    /**
     * The exception class name of an {@link Kind#ENCODED_FAILURE} outcome.
     *
     * @return the binary class name, or null for other kinds
     */
    public String failureType() {
        return kind == Kind.ENCODED_FAILURE ? text : null;
    }

    /**
     * Why an {@link Kind#UNENCODABLE} outcome could not be encoded.
     *
     * @return the reason, or null for other kinds
     */
    public String reason() {
        return kind == Kind.UNENCODABLE ? text : null;
    }

    @Override
    public String toString() {
        return switch (kind) {
            case VALUE -> "Outcome[value]";
            case FAILURE -> "Outcome[failure " + failure.getClass().getName() + "]";
            case ENCODED_VALUE -> "Outcome[encoded value, " + bytes.length + " bytes]";
            case ENCODED_FAILURE -> "Outcome[encoded failure " + text + "]";
            case UNENCODABLE -> "Outcome[unencodable: " + text + "]";
        };
    }
}
