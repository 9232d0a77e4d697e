package dev.idem.core.internal;

import java.nio.channels.ClosedByInterruptException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;

/** How the engine waits for a store's stages, and reads their failures. */
final class Stages {
    private Stages() {
    }

    /** A completed stage of nothing, shared: what a store operation handled at once returns. Never completed again. */
    static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    /**
     * The failure of a completed future, or null if it completed normally.
     *
     * @param future a future that is done
     * @return its failure (wrapped as {@code join} throws it), or null
     */
    static Throwable failureOf(CompletableFuture<?> future) {
        if (!future.isCompletedExceptionally()) {
            return null;
        }
        try {
            future.join();
            return null;
        } catch (CompletionException | CancellationException e) {
            return e;
        }
    }

    /**
     * Waits for a store's answer on the caller's own thread, without heeding interrupts: {@link CompletableFuture#join}
     * keeps waiting when the thread is interrupted and sets the flag again before it returns. The store bounds the
     * wait with its own timeout.
     *
     * @throws RuntimeException the store's failure, unwrapped
     */
    static <T> T join(CompletionStage<T> stage) {
        CompletableFuture<T> future = stage.toCompletableFuture();
        try {
            return future.join();
        } catch (CompletionException e) {
            Throwable cause = unwrap(e);
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw e;
        }
    }

    /** The failure inside a stage's wrappers. */
    static Throwable unwrap(Throwable error) {
        Throwable t = error;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    /** Whether a store failed because the calling thread was interrupted (then it is not "unreachable"). */
    static boolean causedByInterrupt(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof InterruptedException || t instanceof ClosedByInterruptException) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }
}
