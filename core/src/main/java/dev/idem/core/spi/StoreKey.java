package dev.idem.core.spi;

import java.util.Objects;

/**
 * A stored key in its two parts: the {@link Base base} (the escaped prefix and namespace, made once per method) and
 * the caller's key. Its {@link #toString() string form} is the {@link StoreKeys} layout, {@code prefix:namespace:key},
 * which is what a store that works on strings receives.
 *
 * <p>Why it exists: an in-process store can key its map by the {@code StoreKey} itself. Its hash combines the
 * base's, computed once per method, with the caller's key's, so a call hashes only the caller's key, not the whole
 * stored key rebuilt on every call, and the string form is never built. Two keys are equal exactly when their string
 * forms are, so a key {@link #parse parsed} from a string finds the same record as the key the engine made.
 *
 * <p>Immutable and thread-safe; the string form is built on first demand and kept.
 */
public final class StoreKey {
    /** The base; null for a key whose text does not follow the layout (see {@link #parse}). */
    private final Base base;
    /** The caller's key, not escaped; for a key without a base, the whole text. */
    private final String key;
    /** The string form, once built (a benign race: every thread builds the same text). */
    private String text;

    private StoreKey(Base base, String key, String text) {
        this.base = base;
        this.key = key;
        this.text = text;
    }

    /**
     * The base of the keys of one prefix and namespace.
     *
     * @param prefix the global key prefix, empty for a store that is not shared
     * @param namespace the method's or operation's namespace
     * @return the base; make it once and keep it
     */
    public static Base base(String prefix, String namespace) {
        return new Base(StoreKeys.base(prefix, namespace));
    }

    /**
     * The stored key of a triple: {@code base(prefix, namespace).key(key)}.
     *
     * @param prefix the global key prefix, empty for a store that is not shared
     * @param namespace the method's or operation's namespace
     * @param key the caller's key
     * @return the stored key
     */
    public static StoreKey of(String prefix, String namespace, String key) {
        return base(prefix, namespace).key(key);
    }

    /**
     * The key whose {@linkplain #toString() string form} is {@code text}: the inverse of {@link #toString()}, for a
     * store that is also called with string keys. A text that no triple gives (one that does not follow the
     * {@link StoreKeys} layout) becomes a key of its own, equal only to a key parsed from the same text.
     *
     * @param text a stored key as a string
     * @return the key, equal to every key with the same string form
     */
    public static StoreKey parse(String text) {
        Objects.requireNonNull(text, "text");
        int first = text.indexOf(':');
        int second = first < 0 ? -1 : text.indexOf(':', first + 1);
        if (second >= 0) {
            String prefix = StoreKeys.unescape(text, 0, first);
            String namespace = StoreKeys.unescape(text, first + 1, second);
            String key = StoreKeys.unescape(text, second + 1, text.length());
            if (prefix != null && namespace != null && key != null) {
                StoreKey parsed = of(prefix, namespace, key);
                if (parsed.toString().equals(text)) { // the layout is canonical: anything else is not a triple's
                    return parsed;
                }
            }
        }
        return new StoreKey(null, text, text);
    }

    /**
     * The base: the escaped prefix and namespace, {@code prefix:namespace:}.
     *
     * @return the base, or null for a key whose text does not follow the layout
     */
    public Base base() {
        return base;
    }

    /**
     * The caller's key, as the engine resolved it (not escaped).
     *
     * @return the caller's key; for a key whose text does not follow the layout, that text
     */
    public String key() {
        return key;
    }

    /**
     * The string form: {@code escaped prefix : escaped namespace : escaped key}, as {@link StoreKeys#of} gives it.
     *
     * @return the stored key as a string, free of braces
     */
    @Override
    public String toString() {
        String t = text;
        if (t == null) {
            t = base.text + StoreKeys.escapeKey(key);
            text = t;
        }
        return t;
    }

    @Override
    public int hashCode() {
        return base == null ? key.hashCode() : 31 * base.hash + key.hashCode();
    }

    @Override
    public boolean equals(Object other) {
        if (this == other) {
            return true;
        }
        if (!(other instanceof StoreKey that)) {
            return false;
        }
        return (base == that.base || (base != null && base.equals(that.base))) && key.equals(that.key);
    }

    /**
     * The part of stored keys that depends on the prefix and the namespace only: the engine makes it once per method
     * and {@linkplain #key(String) adds} each call's key to it. Immutable and thread-safe.
     */
    public static final class Base {
        private final String text;
        private final int hash;

        private Base(String text) {
            this.text = text;
            this.hash = text.hashCode();
        }

        /**
         * The stored key of a caller's key under this base.
         *
         * @param key the caller's key, not null
         * @return the stored key
         */
        public StoreKey key(String key) {
            return new StoreKey(this, Objects.requireNonNull(key, "key"), null);
        }

        /**
         * The base as text: {@code escaped prefix : escaped namespace :}.
         *
         * @return the text
         */
        @Override
        public String toString() {
            return text;
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object other) {
            return this == other || (other instanceof Base that && hash == that.hash && text.equals(that.text));
        }
    }
}
