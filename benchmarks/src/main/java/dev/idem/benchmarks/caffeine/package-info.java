/**
 * Benchmarks of the engine on the Caffeine store, through the woven aspect, beside hand-written floors; and of the
 * key expressions beside hand-written Java. Method names follow the pairing convention of
 * {@link dev.idem.benchmarks.Run}.
 */
package dev.idem.benchmarks.caffeine;
