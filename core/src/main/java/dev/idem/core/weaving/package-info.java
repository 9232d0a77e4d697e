/**
 * What weaving adapters need, and nothing else: {@link dev.idem.core.weaving.IdempotentMethod#of} gives the engine's
 * view of an {@code @Idempotent} method, and {@link dev.idem.core.weaving.IdempotentMethod#invoke} runs one call of it
 * with the join point's body as an {@link dev.idem.core.weaving.Invocation}. The AspectJ aspect and the Spring AOP
 * aspect are written on these two types; an adapter for another framework is too.
 */
package dev.idem.core.weaving;
