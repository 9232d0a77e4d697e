package dev.idem.store.jdbc.testing;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/** A database server the tests started (or were pointed at). */
public interface Database {
    /** The JDBC URL of a database on the server. */
    String url(String database);

    /** The user. */
    String user();

    /** The password. */
    String password();

    /** A database that always exists, to create others from. */
    String adminDatabase();

    /** A fresh, empty database (dropped first if it exists; one statement each, as PostgreSQL requires). */
    default void createDatabase(String name) {
        execute(adminDatabase(), "DROP DATABASE IF EXISTS " + name);
        execute(adminDatabase(), "CREATE DATABASE " + name);
    }

    /** A pool on a database, with short timeouts so that a test that exhausts it fails fast. */
    default HikariDataSource pool(String database, int size) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url(database));
        config.setUsername(user());
        config.setPassword(password());
        config.setMaximumPoolSize(size);
        config.setConnectionTimeout(3_000);
        config.setValidationTimeout(1_000);
        return new HikariDataSource(config);
    }

    /** Runs statements on a database, in auto-commit, on a connection of their own. */
    default void execute(String database, String... statements) {
        try (Connection connection = DriverManager.getConnection(url(database), user(), password());
                Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("failed: " + String.join("; ", statements) + ": " + e.getMessage(), e);
        }
    }

    /** A count from a query on a database. */
    default long count(String database, String query) {
        try (Connection connection = DriverManager.getConnection(url(database), user(), password());
                Statement statement = connection.createStatement();
                var rows = statement.executeQuery(query)) {
            rows.next();
            return rows.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException("failed: " + query + ": " + e.getMessage(), e);
        }
    }
}
