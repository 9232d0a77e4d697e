package dev.idem.core;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Owner tokens: unique across threads and processes, cheap to make. A random process id (chosen once) and a
 * thread-local random number: a token only needs to differ from every other claimer of the same key, and a shared
 * counter would be a point of contention on every call.
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

    static String next() {
        return PROCESS + Long.toHexString(ThreadLocalRandom.current().nextLong());
    }
}
