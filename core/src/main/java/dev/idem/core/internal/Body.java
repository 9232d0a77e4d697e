package dev.idem.core.internal;

/** The body of one idempotent call, as an entry point hands it to the engine. */
@FunctionalInterface
public interface Body {

    /**
     * Runs the method body.
     *
     * @return its result
     * @throws Throwable whatever the body throws; it propagates unchanged
     */
    Object run() throws Throwable;
}
