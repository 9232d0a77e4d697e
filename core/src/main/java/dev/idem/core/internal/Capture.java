package dev.idem.core.internal;

/**
 * What {@code Idempotency.capture} asks of the entry points: whether the one idempotent call made directly inside it
 * was replayed. An entry point opens the capture around the engine ({@link #around}); the engine knows nothing of it.
 */
public final class Capture {
    private static final ThreadLocal<Capture> OPEN = new ThreadLocal<>();
    /**
     * Whether any thread ever opened a capture: until one does, {@link #around} skips the thread-local lookup. Set
     * once and never cleared, so it costs the callers of {@code Idempotency.capture} no shared write per call; a
     * thread that opened a capture reads it true afterwards (program order), which is all {@code around} needs.
     */
    private static volatile boolean used;

    private boolean replayed;

    private Capture() {
    }

    /**
     * Runs {@code call} with a capture open on this thread, for {@code Idempotency.capture}.
     *
     * @param call makes the idempotent call
     * @param <T> the result type
     * @param <E> what the call throws
     * @return the call's result, with whether its idempotent call was replayed
     * @throws E what the call throws
     */
    public static <T, E extends Exception> Captured<T> open(Call<T, E> call) throws E {
        if (!used) {
            used = true;
        }
        Capture capture = new Capture();
        Capture previous = OPEN.get();
        OPEN.set(capture);
        try {
            T value = call.call();
            return new Captured<>(value, capture.replayed);
        } finally {
            if (previous == null) {
                OPEN.remove();
            } else {
                OPEN.set(previous);
            }
        }
    }

    /**
     * Runs one idempotent call for an entry point: an open capture on this thread is hidden from the idempotent calls
     * the body makes in turn, and told whether this one was replayed.
     *
     * @param call the engine's call
     * @return the call's result
     * @throws Throwable what the call throws
     */
    public static CallResult around(IdempotentCall call) throws Throwable {
        Capture capture = used ? OPEN.get() : null;
        if (capture == null) {
            return call.execute();
        }
        OPEN.remove();
        try {
            CallResult result = call.execute();
            capture.replayed = result.replayed();
            return result;
        } finally {
            OPEN.set(capture);
        }
    }

    /**
     * A call made inside a capture.
     *
     * @param <T> its result type
     * @param <E> what it throws
     */
    @FunctionalInterface
    public interface Call<T, E extends Exception> {
        /**
         * Makes the call.
         *
         * @return its result
         * @throws E what it throws
         */
        T call() throws E;
    }

    /**
     * A captured result.
     *
     * @param value the result
     * @param replayed whether the idempotent call was replayed
     * @param <T> the result type
     */
    public record Captured<T>(T value, boolean replayed) {
    }
}
