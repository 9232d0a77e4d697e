package dev.idem.core.internal;

/** Canonical forms of values: the text form of a key part, the canonical bytes of a payload. */
public final class Canonical {
    private Canonical() {
    }

    /**
     * The canonical text of a key value: strings as they are, numbers, booleans, characters, enums (by name), UUIDs
     * and java.time values by their standard text; any other value by its canonical JSON.
     *
     * @param value a non-null value
     * @return its canonical text
     */
    public static String text(Object value) {
        if (value instanceof String s) {
            return s;
        }
        return String.valueOf(value); // replaced by the full implementation
    }
}
