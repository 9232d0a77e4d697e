/**
 * The behaviour suite every idem store must pass: {@link dev.idem.tck.IdempotencyBehaviourSuite}. A store's tests
 * extend it and return the store; each test runs through the woven aspect and through the programmatic API. Also
 * {@link dev.idem.tck.MutableClock}, an injectable clock for users' own tests.
 */
package dev.idem.tck;
