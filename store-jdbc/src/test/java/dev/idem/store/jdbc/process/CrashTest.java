package dev.idem.store.jdbc.process;

import dev.idem.tck.ChildJvm;
import static org.assertj.core.api.Assertions.assertThat;

import dev.idem.core.Idempotency;
import dev.idem.core.IdempotencyConfig;
import dev.idem.core.IdempotentOperation;
import dev.idem.core.IdempotentResult;
import dev.idem.store.jdbc.JdbcDialect;
import dev.idem.store.jdbc.JdbcIdempotencyStore;
import dev.idem.store.jdbc.testing.Fixture;
import java.sql.Connection;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A JVM killed with SIGKILL in the middle of a transactional call (its body inserted its business row, the
 * transaction is open) leaves neither the row nor a record: the database rolls the transaction back when the
 * connection drops, and the retry runs at once, without waiting for any lease. On each database.
 */
class CrashTest {
    private Fixture fixture;

    @AfterEach
    void reset() {
        Idempotency.reset();
        if (fixture != null) {
            fixture.close();
        }
    }

    @ParameterizedTest
    @EnumSource(JdbcDialect.class)
    void aJvmKilledMidTransaction_leavesNeitherRowNorRecord_andTheRetryRuns(JdbcDialect dialect) throws Exception {
        fixture = Fixture.of(dialect, "crash_" + dialect.name().toLowerCase(java.util.Locale.ROOT), 8);
        fixture.execute("CREATE TABLE business (k varchar(100) NOT NULL, v varchar(200) NOT NULL)");
        try (ChildJvm child = ChildJvm.start(ChildMain.class, "crash", "crash", fixture.server().url(fixture.database()),
                fixture.server().user(), fixture.server().password(), dialect.name(), "crash.op", "order-1")) {
            child.awaitLine("INSIDE order-1"::equals, Duration.ofSeconds(60));
            child.close(); // SIGKILL, and waits (bounded) for the JVM to be gone
        }
        JdbcIdempotencyStore store = fixture.builder().mode(JdbcIdempotencyStore.Mode.TRANSACTIONAL).build();
        try {
            Idempotency.configure(IdempotencyConfig.builder().defaultStore(store).build());
            IdempotentOperation<String> operation = Idempotency.operation("crash.op", String.class)
                    .waitTimeout(Duration.ofSeconds(30)).build();
            IdempotentResult<String> retry;
            try (Connection connection = fixture.pool().getConnection()) {
                connection.setAutoCommit(false);
                try (var bound = store.bindTransaction(connection)) {
                    retry = operation.call("order-1", "payload", () -> {
                        ChildMain.insert(connection, "business", "order-1", "retried");
                        return "retried";
                    });
                }
                connection.commit();
            }
            assertThat(retry.replayed()).isFalse();
            assertThat(retry.value()).isEqualTo("retried");
            assertThat(fixture.count("SELECT count(*) FROM business")).isEqualTo(1);
            assertThat(fixture.count("SELECT count(*) FROM business WHERE v = 'retried'")).isEqualTo(1);
            assertThat(fixture.count("SELECT count(*) FROM idem_records")).isEqualTo(1);
        } finally {
            store.close();
        }
    }
}
