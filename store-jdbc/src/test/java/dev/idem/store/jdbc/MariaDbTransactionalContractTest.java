package dev.idem.store.jdbc;

import dev.idem.core.spi.IdempotencyStore;
import dev.idem.store.jdbc.testing.Fixture;
import dev.idem.store.jdbc.testing.PerOperationTransactions;
import dev.idem.tck.IdempotencyStoreContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The store contract of the TCK on the JDBC store against a real MariaDb server started by the tests, in transactional mode: every claim, complete and release inside a transaction the test binds on the calling thread (PerOperationTransactions), so the statements run inline on the caller's connection. The database's clock
 * decides expiry.
 */
class MariaDbTransactionalContractTest extends IdempotencyStoreContract {
    private static Fixture FIXTURE;

    @BeforeAll
    static void database() {
        FIXTURE = Fixture.of(JdbcDialect.MYSQL, "mariadb_transactional_contract", 40);
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
        return new PerOperationTransactions(FIXTURE.builder().noSweep().mode(JdbcIdempotencyStore.Mode.TRANSACTIONAL).build(),
                FIXTURE.pool());
    }

    @Override
    protected Class<?> storeClass() {
        return JdbcIdempotencyStore.class;
    }

    @Override
    protected void closeStore(IdempotencyStore store) {
        ((PerOperationTransactions) store).delegate().close();
    }
}
