package dev.idem.store.jdbc;

import dev.idem.store.jdbc.testing.Fixture;
import org.junit.jupiter.api.BeforeAll;

/** Hostile inputs on MariaDb: see {@link HostileInputTests}. */
class MariaDbHostileInputTest extends HostileInputTests {
    @BeforeAll
    static void database() {
        fixture = Fixture.of(JdbcDialect.MYSQL, "mariadb_hostile", 8);
    }
}
