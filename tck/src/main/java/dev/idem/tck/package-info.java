/**
 * The suites every idem store must pass: {@link dev.idem.tck.IdempotencyStoreContract} (every SPI operation in every
 * state, repeated and concurrent) and {@link dev.idem.tck.IdempotencyBehaviourSuite} (every row of the semantics
 * table, through the woven aspect and the programmatic API). A store's tests extend them and return the store. The
 * clock and the in-memory store the suites use come from {@code idem-test-support} ({@code dev.idem.testing}).
 */
package dev.idem.tck;
