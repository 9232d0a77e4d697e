package dev.idem.core.internal;

import com.fasterxml.jackson.core.io.NumberOutput;
import java.lang.invoke.MethodHandle;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.UUID;

/**
 * The canonical JSON of the commonest payloads, written directly instead of through Jackson: the argument array, plain
 * beans (as {@link Snapshots} reads them), strings, the boxed primitives, {@code BigInteger}, {@code BigDecimal},
 * {@code UUID} and enums without Jackson annotations, and {@code null}. The bytes are those {@link Canonical} writes
 * for the same value, character for character (a property test holds the two side by side); any other value anywhere
 * in the payload makes {@link #json} answer null, and Jackson writes it. A shared store hashes a call's fingerprint
 * on every call, so this is on its hot path.
 */
final class DirectCanonical {
    private static final byte[] HEX = "0123456789ABCDEF".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    /** Enums whose constants Jackson writes by {@code name()}: no Jackson annotation anywhere on them. */
    private static final ClassValue<Boolean> PLAIN_ENUMS = new ClassValue<>() {
        @Override
        protected Boolean computeValue(Class<?> type) {
            Class<?> enumType = type.isEnum() ? type : type.getSuperclass();
            return enumType != null && enumType.isEnum() && !Snapshots.jacksonAnnotated(type);
        }
    };

    private static final ThreadLocal<Writer> WRITERS = ThreadLocal.withInitial(Writer::new);

    private DirectCanonical() {
    }

    /**
     * The canonical JSON of a value, if it is made only of the kinds listed above.
     *
     * @param value the value
     * @return its canonical JSON, or null if Jackson must write it
     */
    static byte[] json(Object value) {
        Writer writer = WRITERS.get();
        writer.size = 0;
        byte[] json = writer.root(value) ? Arrays.copyOf(writer.bytes, writer.size) : null;
        writer.shrink();
        return json;
    }

    /**
     * Feeds the canonical JSON of a value to a digest, if it is made only of the kinds listed above.
     *
     * @param value the value
     * @param digest the digest to update
     * @return false if Jackson must write it (the digest is then untouched)
     */
    static boolean digest(Object value, java.security.MessageDigest digest) {
        Writer writer = WRITERS.get();
        writer.size = 0;
        boolean written = writer.root(value);
        if (written) {
            digest.update(writer.bytes, 0, writer.size);
        }
        writer.shrink();
        return written;
    }

    /** One thread's buffer. Not thread-safe. */
    private static final class Writer {
        private static final int INITIAL = 256;
        private static final int KEPT = 1 << 16;

        byte[] bytes = new byte[INITIAL];
        int size;

        /** A thread keeps a small buffer, not the largest payload it ever wrote. */
        void shrink() {
            if (bytes.length > KEPT) {
                bytes = new byte[INITIAL];
            }
        }

        boolean root(Object value) {
            if (value instanceof Object[] array) {
                put('[');
                for (int i = 0; i < array.length; i++) {
                    if (i > 0) {
                        put(',');
                    }
                    if (!value(array[i], 1)) {
                        return false;
                    }
                }
                put(']');
                return true;
            }
            return value(value, 0);
        }

        private boolean value(Object value, int depth) {
            if (value == null) {
                ascii("null");
            } else if (value instanceof String s) {
                string(s);
            } else if (value instanceof Integer i) {
                ascii(Integer.toString(i));
            } else if (value instanceof Long l) {
                tagged("long", Long.toString(l));
            } else if (value instanceof Boolean b) {
                ascii(b ? "true" : "false");
            } else if (value instanceof Double d) {
                ascii(NumberOutput.toString(d, true));
            } else if (value instanceof Float f) {
                tagged("float", NumberOutput.toString(f, true));
            } else if (value instanceof Short s) {
                tagged("short", Short.toString(s));
            } else if (value instanceof Byte b) {
                tagged("byte", Byte.toString(b));
            } else if (value instanceof Character c) {
                string(String.valueOf(c.charValue()));
            } else if (value.getClass() == BigDecimal.class) {
                tagged("bigdecimal", Canonical.decimal((BigDecimal) value));
            } else if (value.getClass() == BigInteger.class) {
                tagged("biginteger", value.toString());
            } else if (value instanceof UUID u) {
                string(u.toString());
            } else if (value instanceof Enum<?> e) {
                if (!PLAIN_ENUMS.get(e.getClass())) {
                    return false;
                }
                string(e.name());
            } else {
                return bean(value, depth);
            }
            return true;
        }

        private boolean bean(Object value, int depth) {
            if (depth >= Snapshots.MAX_DEPTH) {
                return false; // deep, or a cycle: Jackson's walk says which
            }
            Snapshots.Shape shape = Snapshots.shapeOf(value.getClass());
            if (shape == null) {
                return false;
            }
            put('{');
            String[] names = shape.names;
            MethodHandle[] getters = shape.boxed;
            for (int i = 0; i < names.length; i++) {
                if (i > 0) {
                    put(',');
                }
                string(names[i]);
                put(':');
                Object field;
                try {
                    field = (Object) getters[i].invokeExact(value);
                } catch (Throwable e) {
                    return false;
                }
                if (!value(field, depth + 1)) {
                    return false;
                }
            }
            put('}');
            return true;
        }

        private void tagged(String tag, String text) {
            put('#');
            ascii(tag);
            put('(');
            ascii(text);
            put(')');
        }

        /** A JSON string as Jackson writes it with {@code ESCAPE_NON_ASCII}. */
        private void string(String s) {
            put('"');
            for (int i = 0, n = s.length(); i < n; i++) {
                char c = s.charAt(i);
                if (c >= 0x20 && c <= 0x7F && c != '"' && c != '\\') {
                    put(c);
                } else if (c == '"' || c == '\\') {
                    put('\\');
                    put(c);
                } else if (c == '\b') {
                    put('\\');
                    put('b');
                } else if (c == '\t') {
                    put('\\');
                    put('t');
                } else if (c == '\n') {
                    put('\\');
                    put('n');
                } else if (c == '\f') {
                    put('\\');
                    put('f');
                } else if (c == '\r') {
                    put('\\');
                    put('r');
                } else {
                    put('\\');
                    put('u');
                    put(HEX[(c >> 12) & 0xF]);
                    put(HEX[(c >> 8) & 0xF]);
                    put(HEX[(c >> 4) & 0xF]);
                    put(HEX[c & 0xF]);
                }
            }
            put('"');
        }

        private void ascii(String s) {
            for (int i = 0, n = s.length(); i < n; i++) {
                put(s.charAt(i));
            }
        }

        private void put(int b) {
            if (size == bytes.length) {
                bytes = Arrays.copyOf(bytes, size * 2);
            }
            bytes[size++] = (byte) b;
        }
    }
}
