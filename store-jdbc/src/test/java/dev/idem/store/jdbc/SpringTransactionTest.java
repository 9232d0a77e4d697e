package dev.idem.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.idem.core.Idempotency;
import dev.idem.core.IdempotencyConfig;
import dev.idem.core.IdempotentOperation;
import dev.idem.core.IdempotentResult;
import dev.idem.store.jdbc.testing.Fixture;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Transactional mode under Spring: a real {@link DataSourceTransactionManager} and {@link TransactionTemplate} over
 * the same data source as the store, the business row written with a {@link JdbcTemplate}. No binding is needed: the
 * store finds Spring's transaction on the calling thread.
 */
class SpringTransactionTest {
    private static Fixture fixture;
    private JdbcIdempotencyStore store;
    private TransactionTemplate transactions;
    private JdbcTemplate jdbc;
    private IdempotentOperation<String> operation;
    private final AtomicInteger runs = new AtomicInteger();

    @BeforeAll
    static void database() {
        fixture = Fixture.postgres("spring_transactions", 16);
        fixture.execute("CREATE TABLE business (k varchar(100) NOT NULL, v varchar(200) NOT NULL)");
    }

    @AfterAll
    static void close() {
        fixture.close();
    }

    @BeforeEach
    void configure() {
        fixture.clear();
        fixture.execute("DELETE FROM business");
        store = fixture.builder().mode(JdbcIdempotencyStore.Mode.TRANSACTIONAL).build();
        Idempotency.configure(IdempotencyConfig.builder().defaultStore(store).build());
        operation = Idempotency.operation("spring.op", String.class).waitTimeout(Duration.ofSeconds(30)).build();
        transactions = new TransactionTemplate(new DataSourceTransactionManager(fixture.pool()));
        jdbc = new JdbcTemplate(fixture.pool());
    }

    @AfterEach
    void reset() {
        Idempotency.reset();
        store.close();
    }

    private IdempotentResult<String> charge(String key, boolean rollback) {
        return transactions.execute(status -> {
            IdempotentResult<String> result = operation.call(key, "payload", () -> {
                String value = key + "#" + runs.incrementAndGet();
                jdbc.update("INSERT INTO business (k, v) VALUES (?, ?)", key, value);
                return value;
            });
            if (rollback) {
                status.setRollbackOnly();
            }
            return result;
        });
    }

    @Test
    void theRecordCommitsWithTheBusinessRow_andAReplayRunsNothing() {
        IdempotentResult<String> first = charge("order-1", false);
        IdempotentResult<String> replay = charge("order-1", false);

        assertThat(first.replayed()).isFalse();
        assertThat(replay.replayed()).isTrue();
        assertThat(replay.value()).isEqualTo(first.value());
        assertThat(runs.get()).isEqualTo(1);
        assertThat(fixture.count("SELECT count(*) FROM business")).isEqualTo(1);
        assertThat(fixture.count("SELECT count(*) FROM idem_records WHERE state = 'C'")).isEqualTo(1);
    }

    @Test
    void aRollback_leavesNoRecord_andTheRetryRuns() {
        charge("order-2", true);
        assertThat(fixture.count("SELECT count(*) FROM business")).isZero();
        assertThat(fixture.count("SELECT count(*) FROM idem_records")).isZero();

        IdempotentResult<String> retry = charge("order-2", false);

        assertThat(retry.replayed()).isFalse();
        assertThat(runs.get()).isEqualTo(2);
        assertThat(fixture.count("SELECT count(*) FROM business")).isEqualTo(1);
        assertThat(fixture.count("SELECT count(*) FROM idem_records")).isEqualTo(1);
    }

    @Test
    void aBodyThatThrows_rollsBackWithTheTransaction_andLeavesNothing() {
        assertThatThrownBy(() -> transactions.execute(status -> operation.call("order-3", "payload", () -> {
            jdbc.update("INSERT INTO business (k, v) VALUES (?, ?)", "order-3", "x");
            throw new IllegalStateException("declined");
        }))).isInstanceOf(IllegalStateException.class).hasMessage("declined");

        assertThat(fixture.count("SELECT count(*) FROM business")).isZero();
        assertThat(fixture.count("SELECT count(*) FROM idem_records")).isZero();
    }

    @Test
    void whileSpringsTransactionHoldsTheRow_aRenewalFromAnotherThreadIsTrue_andTouchesNothing() {
        transactions.executeWithoutResult(status -> {
            assertThat(store.claim("k", "owner", dev.idem.core.spi.Fingerprint.NONE, 0, 60_000)
                    .toCompletableFuture().join()).isSameAs(dev.idem.core.spi.ClaimResult.CLAIMED);
            Boolean renewed = java.util.concurrent.CompletableFuture.supplyAsync(
                    () -> store.renew("k", "owner", 0, 60_000).toCompletableFuture().join()).join();
            assertThat(renewed).isTrue();
            status.setRollbackOnly();
        });
        assertThat(fixture.count("SELECT count(*) FROM idem_records")).isZero();
        assertThat(store.renew("k", "owner", 0, 60_000).toCompletableFuture().join())
                .as("after the rollback, the claim is gone").isFalse();
    }
}
