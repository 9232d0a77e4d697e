package dev.idem.store.jdbc.testing;

import dev.idem.core.spi.ClaimResult;
import dev.idem.core.spi.Fingerprint;
import dev.idem.core.spi.IdempotencyStore;
import dev.idem.core.spi.Outcome;
import dev.idem.store.jdbc.JdbcIdempotencyStore;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import javax.sql.DataSource;

/**
 * Runs the TCK suites through the transactional code path of a {@link JdbcIdempotencyStore} in
 * {@code Mode.TRANSACTIONAL}: every claim, complete and release runs inside a transaction that this wrapper opens on
 * the calling thread, binds with {@link JdbcIdempotencyStore#bindTransaction}, and commits right after (so the
 * statements run on the caller's connection, inline, as in an application's transaction). Renewals and waits go to
 * the store as they are (they never use the caller's transaction).
 */
public final class PerOperationTransactions implements IdempotencyStore {
    private final JdbcIdempotencyStore store;
    private final DataSource dataSource;

    public PerOperationTransactions(JdbcIdempotencyStore store, DataSource dataSource) {
        this.store = store;
        this.dataSource = dataSource;
    }

    public JdbcIdempotencyStore delegate() {
        return store;
    }

    private <T> CompletionStage<T> inTransaction(Supplier<CompletionStage<T>> operation) {
        // The test's own pool must not see a caller's interrupt flag (HikariCP refuses to wait then); the store
        // itself must keep it, which the contract suite checks.
        boolean interrupted = Thread.interrupted();
        Connection connection;
        try {
            connection = dataSource.getConnection();
            connection.setAutoCommit(false);
        } catch (SQLException e) {
            return CompletableFuture.failedFuture(e);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        try (connection) {
            CompletionStage<T> stage;
            try (JdbcIdempotencyStore.TransactionBinding ignored = store.bindTransaction(connection)) {
                stage = operation.get();
            }
            if (!stage.toCompletableFuture().isDone()) {
                throw new AssertionError("an operation in a bound transaction must run inline");
            }
            if (stage.toCompletableFuture().isCompletedExceptionally()) {
                connection.rollback();
            } else {
                connection.commit();
            }
            return stage;
        } catch (SQLException e) {
            return CompletableFuture.failedFuture(e);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public CompletionStage<ClaimResult> claim(String key, String token, Fingerprint fingerprint, long nowMillis,
            long leaseMillis) {
        return inTransaction(() -> store.claim(key, token, fingerprint, nowMillis, leaseMillis));
    }

    @Override
    public CompletionStage<Boolean> complete(String key, String token, Fingerprint fingerprint, Outcome outcome,
            long nowMillis, long ttlMillis) {
        return inTransaction(() -> store.complete(key, token, fingerprint, outcome, nowMillis, ttlMillis));
    }

    @Override
    public CompletionStage<Boolean> release(String key, String token, long nowMillis) {
        return inTransaction(() -> store.release(key, token, nowMillis));
    }

    @Override
    public CompletionStage<Boolean> renew(String key, String token, long nowMillis, long leaseMillis) {
        return store.renew(key, token, nowMillis, leaseMillis);
    }

    @Override
    public CompletionStage<?> whenSettled(String key) {
        return store.whenSettled(key);
    }

    @Override
    public boolean keepsObjects() {
        return store.keepsObjects();
    }

    @Override
    public boolean isShared() {
        return store.isShared();
    }

    @Override
    public boolean usesEngineClock() {
        return store.usesEngineClock();
    }
}
