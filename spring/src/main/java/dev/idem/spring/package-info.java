/**
 * Spring AOP support: {@link dev.idem.spring.IdempotentSpringAspect}, an aspect bean that makes
 * {@link dev.idem.annotation.Idempotent} methods of Spring beans idempotent without AspectJ weaving.
 */
package dev.idem.spring;
