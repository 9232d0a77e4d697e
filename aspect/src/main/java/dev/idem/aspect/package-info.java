/**
 * The AspectJ aspect that weaves {@code @Idempotent} methods: {@link dev.idem.aspect.IdempotentAspect}.
 */
package dev.idem.aspect;
