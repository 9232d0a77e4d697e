/**
 * Test support for users of idem, with no test framework attached: a {@link dev.idem.testing.MutableClock} to move
 * time past a ttl or a lease without sleeping, and an {@link dev.idem.testing.InMemoryIdempotencyStore}. Depend on
 * {@code dev.idem:idem-test-support} in test scope.
 */
package dev.idem.testing;
