package dev.idem.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Makes a method idempotent: the first call with a given key runs the method and records its outcome; every later
 * call with the same key, on any thread (and, with a shared store, any process) gets that outcome back without the
 * method running again, until {@link #ttl()} passes.
 *
 * <pre>{@code
 * @Idempotent(key = "#request.id", ttl = "24h")
 * public Receipt charge(ChargeRequest request) { ... }
 * }</pre>
 *
 * <p>The annotation has an effect only where {@code idem-aspect} is woven in: at compile time with the AspectJ Maven
 * plugin, at load time with the AspectJ weaver agent, or through Spring AOP. Without weaving, use the programmatic
 * API in {@code dev.idem.core.Idempotency}, which has exactly the same semantics.
 *
 * <p>Durations ({@link #ttl()}, {@link #waitTimeout()}, {@link #lease()}) accept a whole number and a lower-case unit,
 * {@code 500ms}, {@code 30s}, {@code 15m}, {@code 24h}, {@code 7d}, or ISO-8601 without a sign, years, months or weeks,
 * such as {@code PT24H} or {@code P1DT12H}. Each must lie between 1 ms and 36500 days (100 years,
 * {@code IdempotencyConfig.MAX_DURATION}), so that expiry times never overflow. Durations and expressions are parsed
 * once, on the first call of the method; a bad one fails every call with an {@code IdempotencyConfigurationException}
 * naming the method, the attribute and the text, and the method body never runs.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Idempotent {

    /** The default {@link #ttl()}: 24 hours. The programmatic API and the settings use the same default. */
    String DEFAULT_TTL = "24h";

    /** The default {@link #lease()}: 30 seconds. */
    String DEFAULT_LEASE = "30s";

    /** The default {@link #waitTimeout()}: 10 seconds. */
    String DEFAULT_WAIT_TIMEOUT = "10s";

    /**
     * The key expression, for example {@code "#request.id"} or {@code "#tenant.id + ':' + #request.id"}.
     *
     * <p>The language is a small, SpEL-compatible subset: {@code #name} (a parameter by name; compile with
     * {@code -parameters}), {@code #p0}/{@code #a0} (by position), {@code .prop} (getter, record accessor or public
     * field), {@code .method()}, {@code [0]} on arrays and lists, {@code ['k']} on maps, {@code ?.} null-safe
     * navigation, string literals {@code '...'} and {@code +} concatenation.
     *
     * <p>Empty (the default): the key is the fingerprint of all arguments, so equal arguments are one call.
     *
     * @return the key expression
     */
    String key() default "";

    /**
     * How long a completed outcome is replayed, for example {@code "24h"}. After it the record is gone and the next
     * call runs the method again.
     *
     * @return the time to live of a completed record
     */
    String ttl() default DEFAULT_TTL;

    /**
     * Keeps the keys of different methods apart. Empty (the default): the declaring class, {@code #}, the method
     * name and its parameter types, so overloads never share keys. Set it to keep keys stable across refactors, or
     * to share keys between methods on purpose.
     *
     * @return the namespace of this method's keys
     */
    String namespace() default "";

    /**
     * The name of the configured store to use. Empty (the default): the default store.
     *
     * @return the store name
     */
    String store() default "";

    /**
     * What a duplicate does while the first call with the same key is still running.
     *
     * @return {@link OnInFlight#WAIT} (the default) or {@link OnInFlight#REJECT}
     */
    OnInFlight onInFlight() default OnInFlight.WAIT;

    /**
     * How long {@link OnInFlight#WAIT} waits for the first call before giving up with an
     * {@code IdempotencyInProgressException}.
     *
     * @return the maximum wait
     */
    String waitTimeout() default DEFAULT_WAIT_TIMEOUT;

    /**
     * How long a claim lives without renewal. The claim is renewed while the method runs, so this only bounds how
     * long a key stays blocked after the process running the method dies.
     *
     * @return the lease duration
     */
    String lease() default DEFAULT_LEASE;

    /**
     * The payload that must match when an outcome is replayed, as an expression of the same language as
     * {@link #key()}. Empty (the default): all arguments. {@code "none"}: no check. A repeat call whose payload
     * differs from the recorded one fails with an {@code IdempotencyKeyReuseException}, the method does not run and
     * the record is untouched.
     *
     * @return the fingerprint expression
     */
    String fingerprint() default "";

    /**
     * Exception types that are recorded as the outcome and rethrown to every repeat call (for example a declined
     * payment). Any other exception releases the key, so the next call runs the method again.
     *
     * @return the replayed exception types (and their subtypes)
     */
    Class<? extends Throwable>[] replayFailures() default {};

    /**
     * What happens when the store cannot be reached.
     *
     * @return {@link OnStoreError#FAIL} (the default) or {@link OnStoreError#PROCEED}
     */
    OnStoreError onStoreError() default OnStoreError.FAIL;

    /**
     * Whether a missing key is an error. {@code true} (the default): a key that evaluates to null, empty or
     * whitespace, or meets a null on its path, fails with an {@code IdempotencyKeyException} and the method does not
     * run. {@code false}: the method runs unprotected (logged once per method).
     *
     * @return whether a key is required
     */
    boolean keyRequired() default true;

    /**
     * A condition on the method's result under which the result is not recorded: the claim is released instead, so
     * that the next call with the key runs the method again, as for a non-replayed exception. For results that say
     * "not processed", such as a form returned with validation errors: {@code unless = "#result.hasErrors()"}.
     *
     * <p>An expression of the key language (see {@link #key()}) whose only variable is {@code #result}, the value the
     * method returned (for a method returning a {@code CompletionStage}, the stage's value); it must evaluate to a
     * {@code Boolean}, and a null anywhere on its path reads as false (the result is recorded). A failure is not a
     * result: a method that throws is governed by {@link #replayFailures()} alone. {@code "false"}
     * records every result, {@code "true"} none. Empty (the default): a result type's own default, where a
     * framework defines one (with idem-spring, a {@code ResponseEntity} with a 4xx status is not recorded), else
     * every result is recorded. The caller always gets its result; an exception thrown by the condition itself is
     * logged and the claim released.
     *
     * @return the condition, or empty for the result type's default
     */
    String unless() default "";

}
