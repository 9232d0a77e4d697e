/**
 * The service provider interfaces of idem: {@link dev.idem.core.spi.IdempotencyStore} (where records live),
 * {@link dev.idem.core.spi.IdempotencyStoreProvider} (how a store on the class path becomes the zero-configuration
 * default), {@link dev.idem.core.spi.KeyResolver} (how key expressions are compiled) and
 * {@link dev.idem.core.spi.ResultTypeSupport} (how a framework's result types are encoded and when they are not
 * recorded), with the value types they
 * exchange with the engine.
 */
package dev.idem.core.spi;
