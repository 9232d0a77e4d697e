package dev.idem.store.jdbc.testing;

import com.zaxxer.hikari.HikariDataSource;
import dev.idem.store.jdbc.JdbcDialect;
import dev.idem.store.jdbc.JdbcIdempotencyStore;

/**
 * One test class's database on a shared server: a fresh database with the shipped DDL applied, a pool on it, and
 * stores on that pool. Emptied by {@link #clear()} before each test.
 */
public final class Fixture implements AutoCloseable {
    private final Database server;
    private final String database;
    private final JdbcDialect dialect;
    private final HikariDataSource pool;

    private Fixture(Database server, String database, JdbcDialect dialect, int poolSize) {
        this.server = server;
        this.database = database;
        this.dialect = dialect;
        server.createDatabase(database);
        server.execute(database, JdbcIdempotencyStore.ddl(dialect, JdbcIdempotencyStore.DEFAULT_TABLE)
                .toArray(String[]::new));
        this.pool = server.pool(database, poolSize);
    }

    /** A database on the JVM's PostgreSQL server. */
    public static Fixture postgres(String database, int poolSize) {
        return new Fixture(Postgres.shared(), database, JdbcDialect.POSTGRESQL, poolSize);
    }

    /** A database on the JVM's MariaDB server (skips the test class if there is none). */
    public static Fixture mariadb(String database, int poolSize) {
        return new Fixture(MariaDb.shared(), database, JdbcDialect.MYSQL, poolSize);
    }

    /** A fixture of the dialect. */
    public static Fixture of(JdbcDialect dialect, String database, int poolSize) {
        return dialect == JdbcDialect.POSTGRESQL ? postgres(database, poolSize) : mariadb(database, poolSize);
    }

    public Database server() {
        return server;
    }

    public String database() {
        return database;
    }

    public JdbcDialect dialect() {
        return dialect;
    }

    public HikariDataSource pool() {
        return pool;
    }

    /** A builder on the pool, with the dialect set. */
    public JdbcIdempotencyStore.Builder builder() {
        return JdbcIdempotencyStore.builder(pool).dialect(dialect);
    }

    /** Deletes every record (and the business rows of the transactional tests, if the table exists). */
    public void clear() {
        server.execute(database, "DELETE FROM " + JdbcIdempotencyStore.DEFAULT_TABLE);
    }

    /** A count on this database. */
    public long count(String query) {
        return server.count(database, query);
    }

    /** Statements on this database. */
    public void execute(String... statements) {
        server.execute(database, statements);
    }

    @Override
    public void close() {
        pool.close();
    }
}
