/**
 * The {@link dev.idem.annotation.Idempotent} annotation and the enums it uses. This package depends on nothing; the
 * behaviour lives in {@code idem-core} and is woven in by {@code idem-aspect}.
 */
package dev.idem.annotation;
