package dev.idem.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.idem.core.Idempotency;
import dev.idem.core.IdempotencyConfig;
import dev.idem.core.IdempotentOperation;
import dev.idem.store.jdbc.testing.CountingDataSource;
import dev.idem.store.jdbc.testing.Fixture;
import java.sql.Connection;
import java.util.List;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Counts the round trips of a replay and of a first call, per mode, through a data source that records every
 * statement execution and every commit, rollback and savepoint ({@link CountingDataSource}); the transaction's own
 * begin and commit (the caller's) are not counted. Subclassed per database; each prints its counts for the docs.
 */
abstract class RoundTripTests {
    protected static Fixture fixture;
    private JdbcIdempotencyStore store;
    private CountingDataSource counter;
    private int serial;

    @AfterAll
    static void closeFixture() {
        if (fixture != null) {
            fixture.close();
        }
    }

    @AfterEach
    void reset() {
        Idempotency.reset();
        if (store != null) {
            store.close();
        }
    }

    private IdempotentOperation<String> configure(JdbcIdempotencyStore.Mode mode) {
        fixture.clear();
        CountingDataSource[] handle = new CountingDataSource[1];
        DataSource counted = CountingDataSource.wrap(fixture.pool(), handle);
        counter = handle[0];
        // no listener (it holds a connection of its own, not part of any call), no sweep
        store = JdbcIdempotencyStore.builder(counted).dialect(fixture.dialect()).mode(mode).noSweep()
                .listenNotify(false).build();
        Idempotency.configure(IdempotencyConfig.builder().defaultStore(store).keyPrefix("count:").build());
        IdempotentOperation<String> operation = Idempotency.operation("count.op", String.class).build();
        operation.call("warm-up", "payload", () -> "warm");
        operation.call("warm-up", "payload", () -> "warm");
        return operation;
    }

    private List<String> tripsOf(Supplier<?> action) {
        counter.clear();
        action.get();
        return counter.trips();
    }

    protected abstract int expectedReplay();

    protected abstract int expectedFirstCall();

    protected abstract int expectedTransactionalReplay();

    protected abstract int expectedTransactionalFirstCall();

    @Test
    void standalone_replayAndFirstCall() {
        IdempotentOperation<String> operation = configure(JdbcIdempotencyStore.Mode.STANDALONE);
        List<String> first = tripsOf(() -> operation.call("A", "payload", () -> "v" + (++serial)));
        List<String> replay = tripsOf(() -> operation.call("A", "payload", () -> "v" + (++serial)));
        System.out.printf("ROUND TRIPS %s standalone: first call %d %s, replay %d %s%n", fixture.dialect(),
                first.size(), first, replay.size(), replay);
        assertThat(replay).hasSize(expectedReplay());
        assertThat(first).hasSize(expectedFirstCall());
    }

    @Test
    void transactional_replayAndFirstCall() throws Exception {
        IdempotentOperation<String> operation = configure(JdbcIdempotencyStore.Mode.TRANSACTIONAL);
        List<String> first;
        List<String> replay;
        try (Connection connection = fixture.pool().getConnection()) {
            connection.setAutoCommit(false);
            Connection counted = counter.count(connection);
            try (var bound = store.bindTransaction(counted)) {
                first = tripsOf(() -> operation.call("B", "payload", () -> "v" + (++serial)));
            }
            connection.commit();
            try (var bound = store.bindTransaction(counted)) {
                replay = tripsOf(() -> operation.call("B", "payload", () -> "v" + (++serial)));
            }
            connection.commit();
        }
        System.out.printf("ROUND TRIPS %s transactional: first call %d %s, replay %d %s%n", fixture.dialect(),
                first.size(), first, replay.size(), replay);
        assertThat(serial).isEqualTo(1);
        assertThat(replay).hasSize(expectedTransactionalReplay());
        assertThat(first).hasSize(expectedTransactionalFirstCall());
    }
}
