/**
 * Spring Boot auto-configuration for idem: {@link dev.idem.spring.boot.IdemAutoConfiguration} declares the Spring AOP
 * aspect and builds idem's configuration and store from {@link dev.idem.spring.boot.IdemProperties} ({@code idem.*});
 * {@link dev.idem.spring.boot.IdempotencyConfigCustomizer} adjusts that configuration from code. Everything else in
 * this package is internal. Works with Spring Boot 3.5 and 4.0.
 */
package dev.idem.spring.boot;
