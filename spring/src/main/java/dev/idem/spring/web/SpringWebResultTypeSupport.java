package dev.idem.spring.web;

import dev.idem.core.spi.ResultTypeSupport;
import java.util.function.Predicate;

/**
 * Teaches idem's engine about Spring's {@code ResponseEntity}, found by {@link java.util.ServiceLoader} in
 * {@code idem-spring}'s {@code META-INF/services}; nothing needs to be declared or configured.
 *
 * <ul>
 *   <li>{@link #codecModule()}: the shared stores (Redis) record a {@code ResponseEntity<T>} as its status, headers and
 *       body, {@code {"status": 201, "headers": {"Location": ["/payments/7"]}, "body": {...}}}, and a replay gets back
 *       an equal {@code ResponseEntity} whose body is a {@code T} again. The in-process store keeps the object itself
 *       and needs no module.</li>
 *   <li>{@link #defaultUnless(Class)}: a {@code ResponseEntity} with a 4xx status is not recorded (a request that was
 *       refused was not processed: the claim is released, and a corrected retry with the same key runs again), unless
 *       the method sets its own {@code @Idempotent(unless = ...)}; {@code unless = "false"} records every response.</li>
 * </ul>
 *
 * <p>Loads without spring-web on the class path, and then answers null to both: the Spring types are reached only
 * through a nested class that is loaded when spring-web is present. Thread-safe and stateless.
 */
public final class SpringWebResultTypeSupport implements ResultTypeSupport {
    private static final boolean SPRING_WEB_PRESENT = present("org.springframework.http.ResponseEntity");

    /** The instance {@link java.util.ServiceLoader} makes; stateless, so any number of them behave as one. */
    public SpringWebResultTypeSupport() {
    }

    /**
     * The Jackson module that writes and reads {@code ResponseEntity<T>} (see the class comment).
     *
     * @return the module, or null without spring-web on the class path
     */
    @Override
    public com.fasterxml.jackson.databind.Module codecModule() {
        return SPRING_WEB_PRESENT ? ResponseEntityModule.create() : null;
    }

    /**
     * For {@code ResponseEntity} and its subclasses: the condition "the status is 4xx", under which a response is not
     * recorded.
     *
     * @param resultType the raw type of the method's result (for an asynchronous method, of its stage's value)
     * @return "the status is 4xx" for a {@code ResponseEntity} type, else null (as without spring-web)
     */
    @Override
    public Predicate<Object> defaultUnless(Class<?> resultType) {
        return SPRING_WEB_PRESENT ? ResponseEntities.defaultUnless(resultType) : null;
    }

    /** Whether a class can be loaded by the loader of this class (which sees what idem-spring sees). */
    static boolean present(String className) {
        try {
            Class.forName(className, false, SpringWebResultTypeSupport.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
