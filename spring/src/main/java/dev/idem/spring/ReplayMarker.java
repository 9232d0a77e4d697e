package dev.idem.spring;

import java.lang.reflect.Method;

/**
 * Marks the result of a replayed call, for {@link IdempotentSpringAspect#setReplayMarker}: for example
 * {@link dev.idem.spring.web.IdempotentReplayedHeader}, which adds the {@code Idempotent-Replayed: true} header to a
 * web response. The aspect calls it only for a call whose outcome was replayed (the method did not run), and only for
 * the outermost {@code @Idempotent} call on the thread: a replayed call made inside the body of a call that ran does
 * not mark that call's response.
 *
 * <p>Implementations must be thread-safe.
 */
@FunctionalInterface
public interface ReplayMarker {

    /**
     * Marks a replayed result. Called on the caller's thread, after the engine returned the recorded outcome and
     * before the caller sees it.
     *
     * @param result the recorded result, possibly null; for a method returning a {@code CompletionStage}, the stage
     * @param method the {@code @Idempotent} method that was called
     * @return what the caller gets: {@code result} itself, or a copy of it that carries the mark; it must be an
     *     instance of the method's return type (or null)
     */
    Object markReplayed(Object result, Method method);
}
