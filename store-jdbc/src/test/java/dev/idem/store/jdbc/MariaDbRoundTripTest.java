package dev.idem.store.jdbc;

import dev.idem.store.jdbc.testing.Fixture;
import org.junit.jupiter.api.BeforeAll;

/**
 * Round trips on MariaDB: a replay is the INSERT IGNORE that inserted nothing and the locking read of the record;
 * a first call is the INSERT IGNORE and the complete. Both modes alike (no savepoints are needed: MariaDB undoes only
 * the statement that timed out).
 */
class MariaDbRoundTripTest extends RoundTripTests {
    @BeforeAll
    static void database() {
        fixture = Fixture.mariadb("mariadb_round_trips", 8);
    }

    @Override
    protected int expectedReplay() {
        return 2;
    }

    @Override
    protected int expectedFirstCall() {
        return 2;
    }

    @Override
    protected int expectedTransactionalReplay() {
        return 2;
    }

    @Override
    protected int expectedTransactionalFirstCall() {
        return 2;
    }
}
