package dev.idem.store.jdbc;

import dev.idem.store.jdbc.testing.Fixture;
import org.junit.jupiter.api.BeforeAll;

/** Transactional exactly-once on Postgres: see {@link TransactionalExactlyOnceTests}. */
class PostgresTransactionalExactlyOnceTest extends TransactionalExactlyOnceTests {
    @BeforeAll
    static void database() {
        open(Fixture.of(JdbcDialect.POSTGRESQL, "postgres_exactly_once", 80));
    }
}
