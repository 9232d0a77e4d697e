package dev.idem.core.weaving;

/**
 * The body of an idempotent call, as an entry point hands it to the engine: for the aspect, the join point's
 * {@code proceed()}.
 */
@FunctionalInterface
public interface Invocation {

    /**
     * Runs the method body.
     *
     * @return its result
     * @throws Throwable whatever the body throws; it propagates unchanged
     */
    Object proceed() throws Throwable;
}
