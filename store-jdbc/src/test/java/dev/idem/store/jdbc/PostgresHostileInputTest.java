package dev.idem.store.jdbc;

import dev.idem.store.jdbc.testing.Fixture;
import org.junit.jupiter.api.BeforeAll;

/** Hostile inputs on Postgres: see {@link HostileInputTests}. */
class PostgresHostileInputTest extends HostileInputTests {
    @BeforeAll
    static void database() {
        fixture = Fixture.of(JdbcDialect.POSTGRESQL, "postgres_hostile", 8);
    }
}
