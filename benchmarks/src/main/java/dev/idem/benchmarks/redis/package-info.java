/**
 * Benchmarks of idem on Redis, through the woven aspect and {@code RedissonIdempotencyStore}, beside raw Redisson
 * doing the floor commands on the same client: a replay ({@code GET}) and a first call ({@code SET NX} + {@code SET}),
 * at 1, 16 and 64 caller threads, as throughput ({@code ReplayBenchmark}, {@code FirstCallBenchmark}) and as sampled
 * latency ({@code ReplayLatencyBenchmark}, {@code FirstCallLatencyBenchmark}). Each JMH trial starts its own
 * {@code redis-server} from the PATH on a free loopback port ({@link dev.idem.benchmarks.redis.RedisProcess}); when
 * the run included these benchmarks, {@link dev.idem.benchmarks.Run} adds {@code redis-benchmark}'s figures for the
 * same commands ({@link dev.idem.benchmarks.redis.RedisBenchmarkReference}). Method names follow the pairing
 * convention of {@link dev.idem.benchmarks.Run}: {@code replay16_idem} is paired with {@code replay16_floor}, in the
 * same class and at the same thread count. {@code RedisCommandsPerCallTest} checks the commands each call sends.
 */
package dev.idem.benchmarks.redis;
