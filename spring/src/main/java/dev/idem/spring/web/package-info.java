/**
 * Spring web support, for applications with spring-web on the class path (it is an optional dependency of
 * {@code idem-spring}): {@code ResponseEntity} results recorded and replayed on every store, with 4xx responses not
 * recorded ({@link dev.idem.spring.web.SpringWebResultTypeSupport}, found by {@code ServiceLoader}); the
 * {@code Idempotent-Replayed: true} header on replayed responses ({@link dev.idem.spring.web.IdempotentReplayedHeader});
 * and idem's exceptions as problem details ({@link dev.idem.spring.web.IdempotencyProblemHandler}).
 */
package dev.idem.spring.web;
