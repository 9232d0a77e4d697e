/**
 * What the engine reports: every decision as an {@link dev.idem.core.event.IdempotencyEvent}, delivered to the
 * {@link dev.idem.core.event.IdempotencyListener}s of the configuration, for metrics and audit.
 */
package dev.idem.core.event;
