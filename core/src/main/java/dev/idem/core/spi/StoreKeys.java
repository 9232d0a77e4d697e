package dev.idem.core.spi;

import java.util.Objects;

/**
 * The layout of the keys a store receives: {@code prefix:namespace:key}, with each part escaped so that no two
 * distinct (prefix, namespace, key) triples give the same stored key, and no part can put a brace into it.
 *
 * <p>Escaping is percent-style: in the prefix and the namespace, {@code %}, {@code :}, <code>{</code> and
 * <code>}</code> become {@code %25}, {@code %3A}, {@code %7B} and {@code %7D}; in the key (the last part, so its colons
 * are unambiguous) only {@code %} and the braces are escaped. For example the prefix {@code orders:}, the namespace
 * {@code payments.charge} and the key <code>{A}:1</code> give {@code orders%3A:payments.charge:%7BA%7D:1}. A store
 * that is not shared gets an empty prefix ({@code :payments.charge:...}).
 *
 * <p>Why: a plain {@code namespace + ':' + key} lets {@code ("orders", "v2:1")} and {@code ("orders:v2", "1")} share a
 * record, and a brace in any part would end a Redis Cluster hash tag early. Operators can rebuild a stored key with
 * {@link #of} (to inspect or delete one record). Thread-safe; allocation-free when a part needs no escaping.
 */
public final class StoreKeys {

    private StoreKeys() {
    }

    /**
     * The stored key of a triple.
     *
     * @param prefix the global key prefix, empty for a store that is not shared
     * @param namespace the method's or operation's namespace
     * @param key the resolved key
     * @return the stored key, free of braces
     */
    public static String of(String prefix, String namespace, String key) {
        return base(prefix, namespace) + escapeKey(key);
    }

    /**
     * The part of a stored key that depends on the prefix and the namespace only: {@code escaped(prefix) + ':' +
     * escaped(namespace) + ':'}. The engine computes it once per method.
     *
     * @param prefix the global key prefix, possibly empty
     * @param namespace the namespace
     * @return the base, to which {@link #escapeKey} of a key is appended
     */
    public static String base(String prefix, String namespace) {
        return escapePart(prefix) + ':' + escapePart(namespace) + ':';
    }

    /**
     * The last part of a stored key: the key with {@code %} and braces escaped.
     *
     * @param key the resolved key
     * @return the escaped key (the same instance when nothing needs escaping)
     */
    public static String escapeKey(String key) {
        return escape(key, false);
    }

    private static String escapePart(String part) {
        return escape(part, true);
    }

    private static String escape(String text, boolean colons) {
        Objects.requireNonNull(text, "text");
        // The common case, nothing to escape, is decided by the platform's vectorized searches.
        if (text.indexOf('%') < 0 && text.indexOf('{') < 0 && text.indexOf('}') < 0
                && (!colons || text.indexOf(':') < 0)) {
            return text;
        }
        int length = text.length();
        StringBuilder sb = new StringBuilder(length + 8);
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            switch (c) {
                case '%' -> sb.append("%25");
                case '{' -> sb.append("%7B");
                case '}' -> sb.append("%7D");
                case ':' -> sb.append(colons ? "%3A" : ":");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }

    /**
     * The inverse of the escaping, on {@code text[from, to)}: each {@code %25}, {@code %3A}, {@code %7B} and
     * {@code %7D} back to its character; null if the range holds a brace or a {@code %} that starts none of them
     * (text that no escaping gives; {@link StoreKey#parse} then checks that escaping the result gives it back).
     */
    static String unescape(String text, int from, int to) {
        int percent = text.indexOf('%', from);
        if (percent < 0 || percent >= to) {
            String part = text.substring(from, to);
            return part.indexOf('{') < 0 && part.indexOf('}') < 0 ? part : null;
        }
        StringBuilder sb = new StringBuilder(to - from);
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c == '{' || c == '}') {
                return null;
            }
            if (c != '%') {
                sb.append(c);
                continue;
            }
            if (i + 2 >= to) {
                return null;
            }
            String code = text.substring(i + 1, i + 3);
            switch (code) {
                case "25" -> sb.append('%');
                case "3A" -> sb.append(':');
                case "7B" -> sb.append('{');
                case "7D" -> sb.append('}');
                default -> {
                    return null;
                }
            }
            i += 2;
        }
        return sb.toString();
    }
}
