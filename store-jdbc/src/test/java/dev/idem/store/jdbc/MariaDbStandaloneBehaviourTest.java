package dev.idem.store.jdbc;

import dev.idem.core.spi.IdempotencyStore;
import dev.idem.store.jdbc.testing.Fixture;
import dev.idem.tck.IdempotencyBehaviourSuite;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The whole behaviour suite of the TCK (aspect and programmatic API) on the JDBC store against a real MariaDb server started by the tests, in standalone mode (each operation in its own short transaction, on the store's executor). The database's clock
 * decides expiry.
 */
class MariaDbStandaloneBehaviourTest extends IdempotencyBehaviourSuite {
    private static Fixture FIXTURE;

    @BeforeAll
    static void database() {
        FIXTURE = Fixture.of(JdbcDialect.MYSQL, "mariadb_standalone_behaviour", 40);
    }

    @AfterAll
    static void closeDatabase() {
        if (FIXTURE != null) {
            FIXTURE.close();
        }
    }

    @Override
    protected IdempotencyStore createStore() {
        FIXTURE.clear();
        return FIXTURE.builder().noSweep().build();
    }

    @Override
    protected void closeStore(IdempotencyStore store) {
        ((JdbcIdempotencyStore) store).close();
    }
}
