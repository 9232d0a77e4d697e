/**
 * The in-process store, on Caffeine: {@link dev.idem.store.caffeine.CaffeineIdempotencyStore}, the default store when
 * this module is on the class path.
 */
package dev.idem.store.caffeine;
