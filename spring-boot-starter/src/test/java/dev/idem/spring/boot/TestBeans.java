package dev.idem.spring.boot;

import dev.idem.annotation.Idempotent;
import java.util.concurrent.atomic.AtomicInteger;

/** Beans with {@code @Idempotent} methods for the context tests. */
final class TestBeans {
    private TestBeans() {
    }

    /** Counts its runs; a repeat with the same key replays the first greeting. */
    static class Greeter {
        final AtomicInteger runs = new AtomicInteger();

        @Idempotent(key = "#key")
        public String greet(String key) {
            return "hello " + key + " #" + runs.incrementAndGet();
        }

        /** How often {@link #greet} ran; a method, so that it reads the target's field through a proxy. */
        public int runCount() {
            return runs.get();
        }
    }

    /** A final method: a class-based proxy cannot intercept it. */
    static class FinalGreeter {
        final AtomicInteger runs = new AtomicInteger();

        @Idempotent(key = "#key")
        public final String greet(String key) {
            return "hello " + key + " #" + runs.incrementAndGet();
        }
    }
}
