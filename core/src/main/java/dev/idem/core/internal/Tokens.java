package dev.idem.core.internal;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Owner tokens: unique across threads and processes, cheap to make. A random process id (chosen once) and a
 * thread-local random number: a token only needs to differ from every other claimer of the same key, and a shared
 * counter would be a point of contention on every call.
 *
 * <p>A replay never stores its token, so a thread keeps offering the same one until a claim succeeds or fails in the
 * store (when the store may hold it); then the thread takes a new one. The replay path allocates no token.
 */
final class Tokens {
    private static final String PROCESS;

    static {
        byte[] random = new byte[12];
        new SecureRandom().nextBytes(random);
        PROCESS = Base64.getUrlEncoder().withoutPadding().encodeToString(random) + '.';
    }

    private Tokens() {
    }

    /** The token this thread (whose {@link HeldKeys} these are) offers to its next claim. */
    static String current(HeldKeys thread) {
        String token = thread.token;
        if (token == null) {
            token = PROCESS + Long.toHexString(ThreadLocalRandom.current().nextLong());
            thread.token = token;
        }
        return token;
    }

    /** The current token may now be in a store: the thread's next claim gets a new one. */
    static void retire(HeldKeys thread) {
        thread.token = null;
    }
}
