package dev.idem.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.idem.core.Idempotency;
import dev.idem.core.IdempotencyConfig;
import dev.idem.core.IdempotentOperation;
import dev.idem.core.IdempotentResult;
import dev.idem.store.jdbc.testing.Fixture;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Transactional mode, end to end through the programmatic API: each call runs in a transaction the test opens and
 * binds ({@link JdbcIdempotencyStore#bindTransaction}), and the body inserts a business row on that transaction's
 * connection. The business rows and the records commit, or roll back, together. Subclassed per database.
 */
abstract class TransactionalExactlyOnceTests {
    private static final int THREADS = 64;
    private static final int KEYS = 500;

    protected static Fixture fixture;
    private JdbcIdempotencyStore store;
    private IdempotentOperation<String> operation;
    private final AtomicInteger executions = new AtomicInteger();

    static void open(Fixture opened) {
        fixture = opened;
        fixture.execute("CREATE TABLE business (k varchar(100) NOT NULL, v varchar(200) NOT NULL)");
    }

    @AfterAll
    static void closeFixture() {
        if (fixture != null) {
            fixture.close();
        }
    }

    @BeforeEach
    void configure() {
        fixture.clear();
        fixture.execute("DELETE FROM business");
        store = fixture.builder().mode(JdbcIdempotencyStore.Mode.TRANSACTIONAL).threads(4).build();
        Idempotency.configure(IdempotencyConfig.builder().defaultStore(store).keyPrefix("tx:").build());
        operation = Idempotency.operation("tx.charge", String.class).waitTimeout(Duration.ofSeconds(60)).build();
    }

    @AfterEach
    void reset() {
        Idempotency.reset();
        store.close();
    }

    private long businessRows() {
        return fixture.count("SELECT count(*) FROM business");
    }

    private long records() {
        return fixture.count("SELECT count(*) FROM idem_records");
    }

    private static void insert(Connection connection, String key, String value) {
        try (PreparedStatement statement = connection.prepareStatement("INSERT INTO business (k, v) VALUES (?, ?)")) {
            statement.setString(1, key);
            statement.setString(2, value);
            statement.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One call in a transaction of its own; the body inserts a business row and then does {@code after}. */
    private IdempotentResult<String> callInTransaction(String key, Runnable after, boolean rollbackAnyway)
            throws SQLException {
        try (Connection connection = fixture.pool().getConnection()) {
            connection.setAutoCommit(false);
            try (var bound = store.bindTransaction(connection)) {
                IdempotentResult<String> result = operation.call(key, "payload", () -> {
                    String value = key + "@" + Thread.currentThread().getName() + "#" + executions.incrementAndGet();
                    insert(connection, key, value);
                    after.run();
                    return value;
                });
                if (rollbackAnyway) {
                    connection.rollback();
                } else {
                    connection.commit();
                }
                return result;
            } catch (RuntimeException e) {
                connection.rollback();
                throw e;
            }
        }
    }

    @Test
    void manyThreadsOnManyKeys_runEachBodyOnce_andCommitOneRowAndOneRecordPerKey() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(THREADS);
        java.util.Map<String, String> results = new ConcurrentHashMap<>();
        List<String> wrong = Collections.synchronizedList(new ArrayList<>());
        try {
            CyclicBarrier start = new CyclicBarrier(THREADS);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                done.add(threads.submit(() -> {
                    start.await(30, TimeUnit.SECONDS);
                    for (int k = 0; k < KEYS; k++) {
                        String key = "key-" + k;
                        String value = callInTransaction(key, () -> { }, false).value();
                        String first = results.putIfAbsent(key, value);
                        if (first != null && !first.equals(value)) {
                            wrong.add(key + ": " + value + " after " + first);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> future : done) {
                future.get(5, TimeUnit.MINUTES);
            }
        } finally {
            threads.shutdownNow();
        }
        assertThat(wrong).as("callers that got another result than the one run of their key").isEmpty();
        assertThat(executions.get()).as("body runs").isEqualTo(KEYS);
        assertThat(businessRows()).as("business rows").isEqualTo(KEYS);
        assertThat(records()).as("records").isEqualTo(KEYS);
        assertThat(fixture.count("SELECT count(*) FROM idem_records WHERE state = 'C'")).isEqualTo(KEYS);
    }

    @Test
    void aBodyThatThrowsAfterItsInsert_leavesNeitherRowNorRecord_andTheRetryRuns() throws Exception {
        assertThatThrownBy(() -> callInTransaction("fails", () -> {
            throw new IllegalStateException("after the insert");
        }, false)).isInstanceOf(IllegalStateException.class).hasMessage("after the insert");
        assertThat(businessRows()).isZero();
        assertThat(records()).isZero();

        IdempotentResult<String> retry = callInTransaction("fails", () -> { }, false);

        assertThat(retry.replayed()).isFalse();
        assertThat(executions.get()).isEqualTo(2);
        assertThat(businessRows()).isEqualTo(1);
        assertThat(records()).isEqualTo(1);
    }

    @Test
    void aTransactionRolledBackAfterTheBodySucceeded_leavesNoRecord_andTheRetryRunsAgain() throws Exception {
        IdempotentResult<String> first = callInTransaction("rolled-back", () -> { }, true);
        assertThat(first.replayed()).isFalse();
        assertThat(businessRows()).isZero();
        assertThat(records()).isZero();

        IdempotentResult<String> retry = callInTransaction("rolled-back", () -> { }, false);
        IdempotentResult<String> replay = callInTransaction("rolled-back", () -> { }, false);

        assertThat(retry.replayed()).isFalse();
        assertThat(replay.replayed()).isTrue();
        assertThat(replay.value()).isEqualTo(retry.value());
        assertThat(executions.get()).isEqualTo(2);
        assertThat(businessRows()).isEqualTo(1);
        assertThat(records()).isEqualTo(1);
    }

    @Test
    void aDuplicateBlockedOnTheUniqueIndex_runsWhenTheFirstRollsBack_andReplaysWhenItCommits() throws Exception {
        for (boolean commit : new boolean[] {false, true}) {
            String key = "blocked-" + commit;
            CompletableFuture<Void> inside = new CompletableFuture<>();
            CompletableFuture<Void> finish = new CompletableFuture<>();
            ExecutorService threads = Executors.newFixedThreadPool(2);
            try {
                Future<IdempotentResult<String>> first = threads.submit(() -> callInTransaction(key, () -> {
                    inside.complete(null);
                    finish.join();
                }, !commit));
                inside.get(30, TimeUnit.SECONDS);
                Future<IdempotentResult<String>> duplicate = threads.submit(() -> callInTransaction(key, () -> { },
                        false));
                // The duplicate waits on the row lock: it cannot finish while the first transaction is open.
                assertThat(waitFor(duplicate, 300)).as("the duplicate waits").isFalse();
                finish.complete(null);
                IdempotentResult<String> firstResult = first.get(30, TimeUnit.SECONDS);
                IdempotentResult<String> duplicateResult = duplicate.get(30, TimeUnit.SECONDS);
                if (commit) {
                    assertThat(duplicateResult.replayed()).isTrue();
                    assertThat(duplicateResult.value()).isEqualTo(firstResult.value());
                } else {
                    assertThat(duplicateResult.replayed()).as("the first rolled back: the duplicate runs").isFalse();
                }
            } finally {
                threads.shutdownNow();
            }
        }
        assertThat(businessRows()).isEqualTo(2);
        assertThat(records()).isEqualTo(2);
        assertThat(executions.get()).isEqualTo(3);
    }

    private static boolean waitFor(Future<?> future, long millis) throws InterruptedException {
        try {
            future.get(millis, TimeUnit.MILLISECONDS);
            return true;
        } catch (java.util.concurrent.TimeoutException e) {
            return false;
        } catch (java.util.concurrent.ExecutionException e) {
            throw new AssertionError(e.getCause());
        }
    }

    @Test
    void withoutATransaction_aTransactionalStoreWorksStandalone() {
        IdempotentResult<String> first = operation.call("no-tx", "payload", () -> "ran-" + executions.incrementAndGet());
        IdempotentResult<String> replay = operation.call("no-tx", "payload", () -> "ran-" + executions.incrementAndGet());

        assertThat(first.replayed()).isFalse();
        assertThat(replay.replayed()).isTrue();
        assertThat(replay.value()).isEqualTo("ran-1");
        assertThat(fixture.count("SELECT count(*) FROM idem_records WHERE state = 'C'")).isEqualTo(1);
    }

    @Test
    void anAsynchronousBody_getsItsOutcomeRecordedAfterTheTransaction_inAShortTransactionOfItsOwn() throws Exception {
        CompletableFuture<String> body = new CompletableFuture<>();
        CompletableFuture<String> call;
        try (Connection connection = fixture.pool().getConnection()) {
            connection.setAutoCommit(false);
            try (var bound = store.bindTransaction(connection)) {
                call = operation.executeAsync("async", "payload", () -> body);
            }
            connection.commit(); // the claim commits with the transaction, as an in-flight record with its lease
        }
        assertThat(fixture.count("SELECT count(*) FROM idem_records WHERE state = 'I'")).isEqualTo(1);
        body.complete("async-value");
        assertThat(call.get(30, TimeUnit.SECONDS)).isEqualTo("async-value");
        assertThat(operation.call("async", "payload", () -> "again").value()).isEqualTo("async-value");
    }

    @Test
    void bindingMisuse_failsClearly() throws SQLException {
        try (Connection connection = fixture.pool().getConnection()) {
            connection.setAutoCommit(true);
            assertThatThrownBy(() -> store.bindTransaction(connection)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("auto-commit");
            connection.setAutoCommit(false);
            try (var bound = store.bindTransaction(connection)) {
                assertThatThrownBy(() -> store.bindTransaction(connection)).isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("already bound");
            }
            connection.rollback();
            try (JdbcIdempotencyStore standalone = fixture.builder().noSweep().build()) {
                assertThatThrownBy(() -> standalone.bindTransaction(connection))
                        .isInstanceOf(IllegalStateException.class).hasMessageContaining("TRANSACTIONAL");
            }
        }
    }
}
