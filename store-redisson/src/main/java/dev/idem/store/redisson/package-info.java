/**
 * The shared store, on Redis through Redisson: {@link dev.idem.store.redisson.RedissonIdempotencyStore}.
 */
package dev.idem.store.redisson;
