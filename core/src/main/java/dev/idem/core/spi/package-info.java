/**
 * The service provider interfaces of idem: {@link dev.idem.core.spi.IdempotencyStore} (where records live),
 * {@link dev.idem.core.spi.IdempotencyStoreProvider} (how a store on the class path becomes the zero-configuration
 * default) and {@link dev.idem.core.spi.KeyResolver} (how key expressions are compiled), with the value types they
 * exchange with the engine.
 */
package dev.idem.core.spi;
