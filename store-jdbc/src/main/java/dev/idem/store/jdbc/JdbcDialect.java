package dev.idem.store.jdbc;

/**
 * The databases the JDBC store speaks to. Each has its own SQL (see {@code docs/store-jdbc.md}) and its own DDL,
 * shipped as a resource ({@link #ddlResource()}).
 */
public enum JdbcDialect {
    /** PostgreSQL 12 or newer. Waiters are woken by {@code LISTEN/NOTIFY}. */
    POSTGRESQL("postgresql.sql"),
    /** MySQL 8 or MariaDB 10.6 or newer, on InnoDB. Waiters poll with a bounded backoff. */
    MYSQL("mysql.sql");

    private final String ddl;

    JdbcDialect(String ddl) {
        this.ddl = ddl;
    }

    /**
     * The class-path resource that holds this dialect's DDL, with {@code ${table}} and {@code ${index}} placeholders.
     *
     * @return the resource name, relative to the root of the class path
     */
    public String ddlResource() {
        return "dev/idem/store/jdbc/" + ddl;
    }

    /**
     * The dialect of a database, from its JDBC product name.
     *
     * @param productName {@link java.sql.DatabaseMetaData#getDatabaseProductName()}
     * @return the dialect
     * @throws IllegalArgumentException for a database the store does not support
     */
    public static JdbcDialect ofProductName(String productName) {
        String name = productName == null ? "" : productName.toLowerCase(java.util.Locale.ROOT);
        if (name.contains("postgres")) {
            return POSTGRESQL;
        }
        if (name.contains("mariadb") || name.contains("mysql")) {
            return MYSQL;
        }
        throw new IllegalArgumentException("the JDBC store supports PostgreSQL, MySQL and MariaDB, not '"
                + productName + "'");
    }
}
