/**
 * The in-process store, on Caffeine: {@link dev.idem.store.caffeine.CaffeineIdempotencyStore}, the default store when
 * this module is on the class path; and {@link dev.idem.store.caffeine.NearCachedStore}, an opt-in near-cache of
 * completed records in front of a shared store.
 */
package dev.idem.store.caffeine;
