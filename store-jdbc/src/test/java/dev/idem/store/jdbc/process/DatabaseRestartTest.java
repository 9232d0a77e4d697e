package dev.idem.store.jdbc.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.idem.core.Idempotency;
import dev.idem.core.IdempotencyConfig;
import dev.idem.core.IdempotencyStoreException;
import dev.idem.core.IdempotentOperation;
import dev.idem.store.jdbc.JdbcDialect;
import dev.idem.store.jdbc.JdbcIdempotencyStore;
import dev.idem.store.jdbc.testing.MariaDb;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A database that goes away: while it is down, calls fail closed with {@link IdempotencyStoreException} within the
 * store's bound (the body never runs); once it is back, calls work again, and what was recorded before is replayed.
 * On a MariaDB server of the test's own, shut down and started again on the same port and data directory.
 */
class DatabaseRestartTest {
    private MariaDb server;
    private HikariDataSource pool;
    private JdbcIdempotencyStore store;

    @AfterEach
    void stop() {
        Idempotency.reset();
        if (store != null) {
            store.close();
        }
        if (pool != null) {
            pool.close();
        }
        if (server != null) {
            server.stop();
        }
    }

    @Test
    void callsFailClosedWhileTheDatabaseIsDown_andRecoverWhenItIsBack() throws Exception {
        server = MariaDb.start();
        server.execute("mysql", "CREATE DATABASE restart_test");
        pool = server.pool("restart_test", 8);
        store = JdbcIdempotencyStore.builder(pool).dialect(JdbcDialect.MYSQL).createSchema(true)
                .statementTimeout(Duration.ofSeconds(2)).timeout(Duration.ofSeconds(6)).build();
        Idempotency.configure(IdempotencyConfig.builder().defaultStore(store).build());
        IdempotentOperation<String> operation = Idempotency.operation("restart.op", String.class).build();
        AtomicInteger runs = new AtomicInteger();
        assertThat(operation.execute("before", "payload", () -> "ran-" + runs.incrementAndGet())).isEqualTo("ran-1");

        server.shutdown();
        for (String key : new String[] {"before", "during"}) {
            CompletableFuture<String> call = CompletableFuture.supplyAsync(
                    () -> operation.execute(key, "payload", () -> "ran-" + runs.incrementAndGet()));
            // The bound: the store's timeout (6 s) plus the engine's own work; never a hang.
            assertThatThrownBy(() -> call.get(20, TimeUnit.SECONDS)).hasCauseInstanceOf(
                    IdempotencyStoreException.class);
        }
        assertThat(runs.get()).as("nothing ran while the database was down").isEqualTo(1);

        server = server.restart();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        String during = null;
        while (during == null) {
            try {
                during = operation.execute("during", "payload", () -> "ran-" + runs.incrementAndGet());
            } catch (IdempotencyStoreException notYet) {
                assertThat(System.nanoTime()).as("recovered within 60 s").isLessThan(deadline);
                Thread.sleep(200);
            }
        }
        assertThat(during).isEqualTo("ran-2");
        assertThat(operation.execute("before", "payload", () -> "again")).as("replayed after the restart")
                .isEqualTo("ran-1");
    }
}
