package dev.idem.core.spi;

import java.util.function.Predicate;

/**
 * Teaches the engine about the return types of a framework, found with {@link java.util.ServiceLoader} (declare the
 * implementation in {@code META-INF/services/dev.idem.core.spi.ResultTypeSupport}, and in a module descriptor with
 * {@code provides}). {@code idem-spring} provides one for Spring's {@code ResponseEntity}. Every method has a default
 * that adds nothing; implementations must be thread-safe, and must load (and answer null) when the framework they
 * support is absent from the class path.
 */
public interface ResultTypeSupport {

    /**
     * A Jackson module that lets the shared stores' codec write and read this framework's result types, for example
     * a {@code ResponseEntity<T>} as its status, headers and body. The codec verifies every encoding by reading it
     * back, so a module that loses state only makes such results unencodable, never wrongly replayed.
     *
     * @return the module, or null for none
     */
    default com.fasterxml.jackson.databind.Module codecModule() {
        return null;
    }

    /**
     * The condition under which a result of this type is not recorded (the claim is released, so the next call with
     * the key runs the method again), for a method without an {@code unless} of its own: for example a
     * {@code ResponseEntity} with a 4xx status, a request that was not processed.
     *
     * @param resultType the raw type of the method's result (for an asynchronous method, of its stage's value)
     * @return the condition, or null if this support has none for that type
     */
    default Predicate<Object> defaultUnless(Class<?> resultType) {
        return null;
    }
}
