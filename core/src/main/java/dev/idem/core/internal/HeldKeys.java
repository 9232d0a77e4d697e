package dev.idem.core.internal;

import dev.idem.core.spi.IdempotencyStore;
import dev.idem.core.spi.StoreKey;
import java.util.Arrays;

/**
 * The (store, key) pairs whose synchronous bodies run on this thread, innermost last: a call that reaches a key its
 * own thread holds is refused at once instead of waiting for itself. Nesting is shallow, so a small array beats a set;
 * the replay path only reads it. It also keeps the owner token this thread offers next ({@link Tokens}), so that a
 * call looks up one thread-local, not two.
 */
final class HeldKeys {
    private static final ThreadLocal<HeldKeys> CURRENT = ThreadLocal.withInitial(HeldKeys::new);

    private Object[] entries = new Object[8];
    private int size;
    /** The owner token this thread offers to its next claim, or null before one is made ({@link Tokens}). */
    String token;

    private HeldKeys() {
    }

    /** This thread's held keys. */
    static HeldKeys current() {
        return CURRENT.get();
    }

    boolean contains(IdempotencyStore store, StoreKey key) {
        for (int i = 0; i < size; i += 2) {
            if (entries[i] == store && entries[i + 1].equals(key)) {
                return true;
            }
        }
        return false;
    }

    void push(IdempotencyStore store, StoreKey key) {
        if (size == entries.length) {
            entries = Arrays.copyOf(entries, size * 2);
        }
        entries[size++] = store;
        entries[size++] = key;
    }

    void pop() {
        entries[--size] = null;
        entries[--size] = null;
    }
}
