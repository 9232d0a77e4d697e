/**
 * idem's {@link dev.idem.core.event.IdempotencyListener listener SPI} bound to Micrometer.
 *
 * <p>{@link dev.idem.micrometer.MicrometerIdempotencyListener} turns every idempotent call into an {@code idem.call}
 * observation (a timer with a meter handler, a span with micrometer-tracing) and the wait of a duplicate into an
 * {@code idem.wait} observation, counts every decision in {@code idem.events}, and gauges the claims this process
 * holds in {@code idem.claims.held}. Names and tags: {@link dev.idem.micrometer.IdempotencyObservationDocumentation}
 * and {@code docs/metrics.md}. The idempotency key is never a tag: the SPI does not even hand it over.
 */
package dev.idem.micrometer;
