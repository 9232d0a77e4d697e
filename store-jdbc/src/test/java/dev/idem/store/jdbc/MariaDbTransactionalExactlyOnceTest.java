package dev.idem.store.jdbc;

import dev.idem.store.jdbc.testing.Fixture;
import org.junit.jupiter.api.BeforeAll;

/** Transactional exactly-once on MariaDb: see {@link TransactionalExactlyOnceTests}. */
class MariaDbTransactionalExactlyOnceTest extends TransactionalExactlyOnceTests {
    @BeforeAll
    static void database() {
        open(Fixture.of(JdbcDialect.MYSQL, "mariadb_exactly_once", 80));
    }
}
