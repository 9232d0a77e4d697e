package dev.idem.store.jdbc;

import dev.idem.store.jdbc.testing.Fixture;
import org.junit.jupiter.api.BeforeAll;

/**
 * Round trips on PostgreSQL. Standalone: a replay is the claim statement alone (it reads the conflicting record in
 * the same statement); a first call is the claim and the complete. Transactional: the same statements, each claim
 * statement under a savepoint (SAVEPOINT and RELEASE, so that a lock wait that times out does not abort the caller's
 * transaction).
 */
class PostgresRoundTripTest extends RoundTripTests {
    @BeforeAll
    static void database() {
        fixture = Fixture.postgres("postgres_round_trips", 8);
    }

    @Override
    protected int expectedReplay() {
        return 1;
    }

    @Override
    protected int expectedFirstCall() {
        return 2;
    }

    @Override
    protected int expectedTransactionalReplay() {
        return 3;
    }

    @Override
    protected int expectedTransactionalFirstCall() {
        return 4;
    }
}
