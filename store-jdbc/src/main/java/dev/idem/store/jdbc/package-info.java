/**
 * The relational store of idem: {@link dev.idem.store.jdbc.JdbcIdempotencyStore}, records in one table of PostgreSQL
 * or MySQL/MariaDB through a plain {@link javax.sql.DataSource}, standalone or in the caller's transaction; and
 * {@link dev.idem.store.jdbc.JdbcStoreProvider}, which makes it available without code ({@code idem.store=jdbc}).
 */
package dev.idem.store.jdbc;
