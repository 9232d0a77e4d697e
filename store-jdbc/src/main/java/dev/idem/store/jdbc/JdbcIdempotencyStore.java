package dev.idem.store.jdbc;

import dev.idem.core.IdempotencyConfig;
import dev.idem.core.spi.ClaimResult;
import dev.idem.core.spi.Fingerprint;
import dev.idem.core.spi.IdempotencyStore;
import dev.idem.core.spi.Outcome;
import dev.idem.core.spi.StoredRecord;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * The relational store: records in one table of PostgreSQL (12+) or MySQL 8 / MariaDB (10.6+), through a plain
 * {@link DataSource}. Every process that uses the same table sees the same records.
 *
 * <h2>How the atomic claim works</h2>
 * The claim is one {@code INSERT} against the primary key on the full key that does nothing on a conflict
 * ({@code ON CONFLICT DO NOTHING}, {@code INSERT IGNORE}): the unique index decides, never a read in Java. On
 * PostgreSQL the same statement also reads the record that caused the conflict (a replay costs one round trip); on
 * MySQL/MariaDB a locking read follows. A record whose expiry has passed, by the database's clock, is taken over by an
 * {@code UPDATE ... WHERE expires_at <= now}, which the database re-checks on the newest row version after waiting
 * for any concurrent writer, so two callers can never both take it over. Complete, release and renew name the owner's
 * token in their {@code WHERE} (fencing): a holder whose lease lapsed changes nothing.
 *
 * <h2>Time</h2>
 * {@code expires_at} is computed and compared by the database ({@code statement_timestamp()},
 * {@code UTC_TIMESTAMP(3)}) from the durations in milliseconds; the engine's {@code nowMillis} is ignored, so callers
 * whose clocks disagree still agree on expiry. An expired record behaves as absent (no statement returns or completes
 * it) until the sweep deletes it.
 *
 * <h2>Modes</h2>
 * {@link Mode#STANDALONE}: each operation runs in its own short transaction (auto-commit), on a connection of the
 * data source, on this store's own bounded executor, never on the caller's thread. {@link Mode#TRANSACTIONAL}: when a
 * transaction is active on the calling thread (one bound with {@link #bindTransaction}, or Spring's for this data
 * source), the claim and the outcome are written on that transaction's connection, on the caller's thread, so they
 * commit or roll back with the business rows; a concurrent duplicate blocks on the unique index until that
 * transaction ends. See {@code docs/store-jdbc.md} for what each mode guarantees.
 *
 * <h2>Waiting</h2>
 * On PostgreSQL, waiters are woken by {@code LISTEN/NOTIFY} (one connection held by a listener thread); on
 * MySQL/MariaDB, or while the listener is down, they poll the record's state with a bounded backoff. Settles made by
 * this store instance wake its own waiters at once. A waiter re-reads after {@link Builder#settleRecheck} at the
 * latest.
 *
 * <h2>Failures and timeouts</h2>
 * Every statement has a query timeout ({@link Builder#statementTimeout}); every standalone stage fails after
 * {@link Builder#timeout} at the latest (a pool that hands out no connection, a database that does not answer). A
 * claim that times out waiting for a row lock (a duplicate whose first call's transaction has not ended) answers an
 * in-flight record of an unknown holder with the caller's own fingerprint, so the engine waits or rejects as for any
 * call in flight, and never runs the body; any other SQL failure fails the stage.
 *
 * <p>Thread-safe.
 */
public final class JdbcIdempotencyStore implements IdempotencyStore, AutoCloseable {

    /** How the store uses transactions. */
    public enum Mode {
        /** Each operation in its own short transaction, on the store's executor (like the Redis store). */
        STANDALONE,
        /**
         * The claim and the outcome in the caller's transaction when one is active on the calling thread; without
         * one, as {@link #STANDALONE}.
         */
        TRANSACTIONAL
    }

    /** The default table: {@value}. */
    public static final String DEFAULT_TABLE = "idem_records";
    /** The default of {@link Builder#statementTimeout}: 5 seconds. */
    public static final Duration DEFAULT_STATEMENT_TIMEOUT = Duration.ofSeconds(5);
    /** The default of {@link Builder#timeout}: 15 seconds. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(15);
    /** The default of {@link Builder#settleRecheck}: 5 seconds. */
    public static final Duration DEFAULT_SETTLE_RECHECK = Duration.ofSeconds(5);
    /** The default of {@link Builder#pollInterval}: the longest pause between two polls of a waiter, 250 ms. */
    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofMillis(250);
    /** The default interval of the sweep of expired records: 1 minute. */
    public static final Duration DEFAULT_SWEEP_INTERVAL = Duration.ofMinutes(1);
    /** The default batch size of the sweep: {@value}. */
    public static final int DEFAULT_SWEEP_BATCH = 1000;
    /** The default of {@link Builder#threads}: {@value}. */
    public static final int DEFAULT_THREADS = 8;
    /** The longest full key the table holds, in UTF-8 bytes: {@value}. */
    public static final int MAX_KEY_BYTES = Keys.MAX_KEY_BYTES;

    /** The owner token reported for a record held by a transaction that has not ended (it cannot be read). */
    static final String UNKNOWN_HOLDER = "(held-by-an-open-transaction)";
    private static final Pattern TABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,47}(\\.[A-Za-z_][A-Za-z0-9_]{0,47})?");
    private static final int CLAIM_ATTEMPTS = 8;
    private static final int SWEEP_BATCHES_PER_RUN = 10;
    private static final byte[] EMPTY = new byte[0];
    private static final System.Logger LOG = System.getLogger(JdbcIdempotencyStore.class.getName());

    private final DataSource dataSource;
    private final Runnable closeDataSource;
    private final JdbcDialect dialect;
    private final Sql sql;
    private final String table;
    private final Mode mode;
    private final int queryTimeoutSeconds;
    private final Duration statementTimeout;
    private final Duration timeout;
    private final Duration settleRecheck;
    private final Duration pollInterval;
    private final Duration sweepInterval;
    private final int sweepBatch;
    private final int threads;
    private final ThreadPoolExecutor executor;
    private final ScheduledExecutorService scheduler;
    private final PgListener listener;
    private final ScheduledFuture<?> sweep;
    private final ConcurrentHashMap<String, CompletableFuture<Void>> waiters = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<HeldKey, Held> held = new ConcurrentHashMap<>();
    private final ThreadLocal<TransactionBinding> bound = new ThreadLocal<>();
    private volatile boolean closed;

    private JdbcIdempotencyStore(Builder builder) {
        this.dataSource = builder.dataSource;
        this.closeDataSource = builder.closeDataSource;
        this.table = builder.table;
        this.mode = builder.mode;
        this.statementTimeout = builder.statementTimeout;
        this.queryTimeoutSeconds = (int) Math.max(1, (statementTimeout.toMillis() + 999) / 1000);
        this.timeout = builder.timeout;
        this.settleRecheck = builder.settleRecheck;
        this.pollInterval = builder.pollInterval;
        this.sweepInterval = builder.sweepInterval;
        this.sweepBatch = builder.sweepBatch;
        this.threads = builder.threads;
        this.dialect = builder.dialect != null ? builder.dialect : detect(dataSource);
        String channel = (table.replace('.', '_') + "_settled").toLowerCase(java.util.Locale.ROOT);
        this.sql = Sql.of(dialect, table, channel);
        if (builder.createSchema) {
            createSchema(dataSource, dialect, table);
        }
        AtomicInteger serial = new AtomicInteger();
        this.executor = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(10_000), runnable -> {
                    Thread thread = new Thread(runnable, "idem-jdbc-" + serial.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        executor.allowCoreThreadTimeOut(true);
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "idem-jdbc-timer");
            thread.setDaemon(true);
            return thread;
        });
        timer.setRemoveOnCancelPolicy(true);
        this.scheduler = timer;
        if (dialect == JdbcDialect.POSTGRESQL && builder.listen) {
            this.listener = new PgListener(dataSource, channel, this::notified, this::wakeAll);
            listener.start();
        } else {
            this.listener = null;
        }
        this.sweep = sweepInterval == null ? null
                : scheduler.scheduleWithFixedDelay(this::sweepInBackground, sweepInterval.toMillis(),
                        sweepInterval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * A standalone store on the data source, with the default table ({@value #DEFAULT_TABLE}), which must exist (see
     * {@link Builder#createSchema}); the dialect is detected from the database.
     *
     * @param dataSource the data source; the caller keeps ownership of it
     * @return the store
     */
    public static JdbcIdempotencyStore create(DataSource dataSource) {
        return builder(dataSource).build();
    }

    /**
     * A builder for a store on the data source.
     *
     * @param dataSource the data source; the caller keeps ownership of it ({@link #close()} does not close it)
     * @return the builder
     */
    public static Builder builder(DataSource dataSource) {
        return new Builder(Objects.requireNonNull(dataSource, "dataSource"));
    }

    /**
     * The DDL of the record table for a dialect, as shipped in {@link JdbcDialect#ddlResource()}, with the table and
     * index names filled in: what {@link Builder#createSchema} runs, and what a Flyway or Liquibase migration copies.
     *
     * @param dialect the dialect
     * @param table the table name, optionally with a schema ({@code app.idem_records})
     * @return the statements, in order
     */
    public static List<String> ddl(JdbcDialect dialect, String table) {
        requireTable(table);
        String text;
        try (InputStream in = JdbcIdempotencyStore.class.getClassLoader().getResourceAsStream(dialect.ddlResource())) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + dialect.ddlResource());
            }
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String bare = table.substring(table.indexOf('.') + 1);
        text = text.replace("${table}", table).replace("${index}", bare + "_expires_at");
        List<String> statements = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : text.split("\n")) {
            String code = line.startsWith("--") ? "" : line;
            current.append(code).append('\n');
            if (code.trim().endsWith(";")) {
                statements.add(current.toString().trim().replaceAll(";$", ""));
                current.setLength(0);
            }
        }
        if (!current.toString().isBlank()) {
            statements.add(current.toString().trim());
        }
        return statements;
    }

    private static void createSchema(DataSource dataSource, JdbcDialect dialect, String table) {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            if (!connection.getAutoCommit()) {
                connection.setAutoCommit(true);
            }
            for (String ddl : ddl(dialect, table)) {
                statement.execute(ddl);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not create the idem table " + table + ": " + e.getMessage(), e);
        }
    }

    private static JdbcDialect detect(DataSource dataSource) {
        try (Connection connection = dataSource.getConnection()) {
            return JdbcDialect.ofProductName(connection.getMetaData().getDatabaseProductName());
        } catch (SQLException e) {
            throw new IllegalStateException("could not detect the database of the JDBC store (set the dialect to "
                    + "build it without a connection): " + e.getMessage(), e);
        }
    }

    private static String requireTable(String table) {
        Objects.requireNonNull(table, "table");
        if (!TABLE.matcher(table).matches()) {
            throw new IllegalArgumentException("a table name must be an unquoted SQL identifier of at most 48 "
                    + "characters ([A-Za-z_][A-Za-z0-9_]*), optionally with a schema, got '" + table + "'");
        }
        return table;
    }

    // --- the SPI ----------------------------------------------------------------------------------------------------

    @Override
    public CompletionStage<ClaimResult> claim(String key, String token, Fingerprint fingerprint, long nowMillis,
            long leaseMillis) {
        Keys.requireKey(key, dialect);
        Keys.requireToken(token);
        Keys.requireDuration("leaseMillis", leaseMillis);
        String hash = fingerprint.hash();
        Connection transaction = transactionConnection();
        if (transaction != null) {
            return inline(() -> claimInTransaction(transaction, key, token, fingerprint, hash, leaseMillis));
        }
        return standalone(c -> claimOn(c, key, token, fingerprint, hash, leaseMillis, false).result);
    }

    @Override
    public CompletionStage<Boolean> complete(String key, String token, Fingerprint fingerprint, Outcome outcome,
            long nowMillis, long ttlMillis) {
        Keys.requireKey(key, dialect);
        Keys.requireToken(token);
        Keys.requireDuration("ttlMillis", ttlMillis);
        String hash = fingerprint.hash();
        char kind;
        String text;
        byte[] bytes;
        switch (outcome.kind()) {
            case ENCODED_VALUE -> {
                kind = 'V';
                text = null;
                bytes = outcome.bytes();
            }
            case ENCODED_FAILURE -> {
                kind = 'F';
                text = outcome.failureType();
                bytes = outcome.bytes();
            }
            case UNENCODABLE -> {
                kind = 'U';
                text = dialect == JdbcDialect.POSTGRESQL ? outcome.reason().replace('\0', '\uFFFD') : outcome.reason();
                bytes = null;
            }
            default -> throw new IllegalArgumentException("the JDBC store records encoded outcomes only (it does not "
                    + "keep objects), got " + outcome);
        }
        Completion completion = new Completion(key, token, hash, kind, text, bytes, ttlMillis);
        Connection transaction = transactionConnection();
        if (transaction != null) {
            boolean heldHere = holdsHere(key, token, transaction);
            return inline(() -> completeOn(transaction, completion, heldHere));
        }
        return standalone(c -> completeOn(c, completion, false));
    }

    @Override
    public CompletionStage<Boolean> release(String key, String token, long nowMillis) {
        Keys.requireKey(key, dialect);
        Keys.requireToken(token);
        Connection transaction = transactionConnection();
        if (transaction != null) {
            boolean heldHere = holdsHere(key, token, transaction);
            return inline(() -> releaseOn(transaction, key, token, heldHere));
        }
        return standalone(c -> releaseOn(c, key, token, false));
    }

    @Override
    public CompletionStage<Boolean> renew(String key, String token, long nowMillis, long leaseMillis) {
        Keys.requireKey(key, dialect);
        Keys.requireToken(token);
        Keys.requireDuration("leaseMillis", leaseMillis);
        if (held.containsKey(new HeldKey(key, token))) {
            // The caller's open transaction holds the row: nobody else can see or take it until it ends, so there is
            // no lease to extend (and the renewal thread must never touch the caller's connection).
            return CompletableFuture.completedFuture(Boolean.TRUE);
        }
        return standalone(c -> {
            try (PreparedStatement statement = prepare(c, sql.renew)) {
                sql.duration(statement, 1, leaseMillis);
                sql.key(statement, 2, key);
                statement.setString(3, token);
                return statement.executeUpdate() == 1;
            }
        });
    }

    @Override
    public CompletionStage<?> whenSettled(String key) {
        Keys.requireKey(key, dialect);
        String id = Keys.notificationId(key);
        CompletableFuture<Void> existing = waiters.get(id);
        if (existing != null) {
            return existing;
        }
        CompletableFuture<Void> fresh = new CompletableFuture<>();
        existing = waiters.putIfAbsent(id, fresh);
        if (existing != null) {
            return existing;
        }
        fresh.whenComplete((ignored, error) -> waiters.remove(id, fresh));
        if (closed) {
            fresh.complete(null);
            return fresh;
        }
        // A spurious completion only makes the engine re-read; this bounds what a lost message could cost.
        ScheduledFuture<?> recheck = scheduler.schedule(() -> fresh.complete(null), settleRecheck.toMillis(),
                TimeUnit.MILLISECONDS);
        fresh.whenComplete((ignored, error) -> recheck.cancel(false));
        // Registered first, read second: a settle between the caller's claim and now is seen by the read, a later
        // one by the notification (or the poll).
        boolean listening = listener != null && listener.healthy();
        poll(key, fresh, listening ? -1 : 0);
        return fresh;
    }

    /** Reads the key's state; completes the waiter unless it is in flight; polls on unless {@code attempt < 0}. */
    private void poll(String key, CompletableFuture<Void> waiter, int attempt) {
        if (waiter.isDone()) {
            return;
        }
        standalone(c -> {
            try (PreparedStatement statement = prepare(c, sql.state)) {
                sql.key(statement, 1, key);
                try (ResultSet rows = statement.executeQuery()) {
                    return rows.next() && "I".equals(rows.getString(1));
                }
            }
        }).whenComplete((inFlight, error) -> {
            if (error != null) {
                waiter.completeExceptionally(error);
            } else if (!inFlight) {
                waiter.complete(null);
            } else if (attempt >= 0 && !waiter.isDone() && !closed) {
                boolean listening = listener != null && listener.healthy();
                long delay = Math.min(pollInterval.toMillis(), 10L << Math.min(attempt, 10));
                try {
                    scheduler.schedule(() -> poll(key, waiter, listening ? -1 : attempt + 1), delay,
                            TimeUnit.MILLISECONDS);
                } catch (RejectedExecutionException closing) {
                    waiter.complete(null);
                }
            }
        });
    }

    private void notified(String id) {
        CompletableFuture<Void> waiter = waiters.get(id);
        if (waiter != null) {
            waiter.complete(null);
        }
    }

    private void signal(String key) {
        if (!waiters.isEmpty()) {
            notified(Keys.notificationId(key));
        }
    }

    /** Wakes every waiter: they re-read (the listener went down, or the store closes). */
    private void wakeAll() {
        for (CompletableFuture<Void> waiter : waiters.values()) {
            waiter.complete(null);
        }
    }

    @Override
    public boolean keepsObjects() {
        return false;
    }

    @Override
    public boolean isShared() {
        return true;
    }

    /** False: expiry is the database's own ({@code now()}); the engine's clock is never read for this store. */
    @Override
    public boolean usesEngineClock() {
        return false;
    }

    // --- transactions -----------------------------------------------------------------------------------------------

    /**
     * Binds the caller's transaction to this store on the calling thread, for {@link Mode#TRANSACTIONAL} without
     * Spring: until the binding is closed, calls on this thread write their claim and outcome on {@code connection}.
     * The caller still owns the transaction: it commits or rolls back, after the idempotent call and before or after
     * closing the binding. Use it as
     *
     * <pre>{@code
     * connection.setAutoCommit(false);
     * try (var bound = store.bindTransaction(connection)) {
     *     payments.charge(request);        // @Idempotent, writes its business rows on connection
     *     connection.commit();
     * } catch (RuntimeException e) {
     *     connection.rollback();           // no record is left: the retry runs again
     *     throw e;
     * }
     * }</pre>
     *
     * @param connection a connection with auto-commit off, in READ COMMITTED (PostgreSQL) or READ COMMITTED or
     *     REPEATABLE READ (MySQL/MariaDB)
     * @return the binding; close it on the same thread
     * @throws IllegalStateException if the store is not transactional, or a binding is already open on this thread
     * @throws IllegalArgumentException if the connection is in auto-commit mode
     */
    public TransactionBinding bindTransaction(Connection connection) {
        Objects.requireNonNull(connection, "connection");
        if (mode != Mode.TRANSACTIONAL) {
            throw new IllegalStateException("bindTransaction needs a store built with mode(Mode.TRANSACTIONAL)");
        }
        try {
            if (connection.getAutoCommit()) {
                throw new IllegalArgumentException("the connection is in auto-commit mode: there is no transaction "
                        + "to write the record in; call setAutoCommit(false) first");
            }
        } catch (SQLException e) {
            throw new IllegalArgumentException("the connection cannot tell its auto-commit mode: " + e, e);
        }
        if (bound.get() != null) {
            throw new IllegalStateException("a transaction is already bound to this store on this thread");
        }
        TransactionBinding binding = new TransactionBinding(this, connection);
        bound.set(binding);
        return binding;
    }

    /**
     * A transaction bound to a store on one thread by {@link JdbcIdempotencyStore#bindTransaction}. Not thread-safe:
     * close it on the thread that opened it.
     */
    public static final class TransactionBinding implements AutoCloseable {
        private final JdbcIdempotencyStore store;
        private final Connection connection;
        private final Thread thread = Thread.currentThread();
        private final List<HeldKey> claims = new ArrayList<>();
        private boolean closed;

        private TransactionBinding(JdbcIdempotencyStore store, Connection connection) {
            this.store = store;
            this.connection = connection;
        }

        /**
         * Unbinds the transaction from the thread. It neither commits nor rolls back: that is the caller's.
         *
         * @throws IllegalStateException if called on another thread than the one that bound it
         */
        @Override
        public void close() {
            if (Thread.currentThread() != thread) {
                throw new IllegalStateException("a transaction binding must be closed on the thread that opened it");
            }
            if (closed) {
                return;
            }
            closed = true;
            if (store.bound.get() == this) {
                store.bound.remove();
            }
            for (HeldKey claim : claims) {
                store.held.remove(claim);
            }
        }
    }

    /** The connection of the transaction active on the calling thread, or null (standalone). */
    private Connection transactionConnection() {
        if (mode != Mode.TRANSACTIONAL) {
            return null;
        }
        TransactionBinding binding = bound.get();
        if (binding != null) {
            return binding.connection;
        }
        return SpringTransactions.PRESENT ? SpringTransactions.connection(dataSource) : null;
    }

    /** Whether this thread's transaction wrote the key's in-flight row for this token (it holds the row lock). */
    private boolean holdsHere(String key, String token, Connection transaction) {
        Held h = held.get(new HeldKey(key, token));
        return h != null && h.connection == transaction && h.thread == Thread.currentThread();
    }

    private ClaimResult claimInTransaction(Connection transaction, String key, String token, Fingerprint fingerprint,
            String hash, long leaseMillis) throws SQLException {
        ClaimAnswer answer = claimOn(transaction, key, token, fingerprint, hash, leaseMillis, true);
        if (answer.wrote) {
            HeldKey heldKey = new HeldKey(key, token);
            TransactionBinding binding = bound.get();
            boolean tracked;
            if (binding != null) {
                binding.claims.add(heldKey);
                tracked = true;
            } else {
                tracked = SpringTransactions.afterCompletion(() -> held.remove(heldKey));
            }
            if (tracked) {
                held.put(heldKey, new Held(transaction, Thread.currentThread()));
            }
        }
        return answer.result;
    }

    // --- the statements ---------------------------------------------------------------------------------------------

    private record ClaimAnswer(ClaimResult result, boolean wrote) {
    }

    private record Completion(String key, String token, String hash, char kind, String text, byte[] bytes,
            long ttlMillis) {
    }

    private record HeldKey(String key, String token) {
    }

    private record Held(Connection connection, Thread thread) {
    }

    /**
     * Claim or read, on one connection. Loops only when the record changed between two statements (it was released,
     * swept or taken over in between, or committed by a transaction the claim waited for), a bounded number of times.
     */
    private ClaimAnswer claimOn(Connection c, String key, String token, Fingerprint fingerprint, String hash,
            long leaseMillis, boolean inTransaction) throws SQLException {
        for (int attempt = 0; attempt < CLAIM_ATTEMPTS; attempt++) {
            Row row;
            try {
                row = insertOrRead(c, key, token, hash, leaseMillis, inTransaction);
                if (row == Row.INSERTED) {
                    return new ClaimAnswer(ClaimResult.CLAIMED, true);
                }
                if (row != null && !row.live) {
                    if (takeOver(c, key, token, hash, leaseMillis, inTransaction)) {
                        return new ClaimAnswer(ClaimResult.CLAIMED, true);
                    }
                    continue;
                }
            } catch (SQLException e) {
                if (isTimeout(e)) {
                    // A lock held by a transaction that has not ended (a duplicate of a transactional first call), or
                    // a database too slow to answer: in flight either way. Never run the body because of it.
                    return new ClaimAnswer(StoredRecord.inFlight(UNKNOWN_HOLDER, fingerprint, 0), false);
                }
                if (isTransient(e) && !inTransaction) {
                    continue; // a deadlock victim in auto-commit: the statement was undone whole, run it again
                }
                throw e;
            }
            if (row == null) {
                continue;
            }
            if ("I".equals(row.state) && token.equals(row.token)) {
                return new ClaimAnswer(ClaimResult.CLAIMED, false); // a retried claim of the owner
            }
            return new ClaimAnswer(row.record(), false);
        }
        throw new SQLException("the claim of a key did not settle after " + CLAIM_ATTEMPTS + " attempts: the record "
                + "kept changing, or the transaction cannot see it (PostgreSQL needs READ COMMITTED)");
    }

    /** {@link Row#INSERTED}, the record that prevented the insert, or null if none is visible now. */
    private Row insertOrRead(Connection c, String key, String token, String hash, long leaseMillis,
            boolean inTransaction) throws SQLException {
        if (sql.claimReadsRecord()) {
            Row row = protectedIfInTransaction(c, inTransaction, () -> {
                try (PreparedStatement statement = prepare(c, sql.claim)) {
                    sql.key(statement, 1, key);
                    statement.setString(2, token);
                    statement.setString(3, hash);
                    sql.duration(statement, 4, leaseMillis);
                    sql.key(statement, 5, key);
                    return readRow(statement);
                }
            });
            if (row != null) {
                return row;
            }
            // The INSERT conflicted with a row its snapshot cannot see (committed by a transaction it waited for):
            // read it with a new snapshot.
            try (PreparedStatement statement = prepare(c, sql.read)) {
                sql.key(statement, 1, key);
                return readRow(statement);
            }
        }
        int inserted;
        try (PreparedStatement statement = prepare(c, sql.claim)) {
            sql.key(statement, 1, key);
            statement.setString(2, token);
            statement.setString(3, hash);
            sql.duration(statement, 4, leaseMillis);
            inserted = statement.executeUpdate();
        }
        if (inserted == 1) {
            return Row.INSERTED;
        }
        try (PreparedStatement statement = prepare(c, sql.read)) {
            sql.key(statement, 1, key);
            return readRow(statement);
        }
    }

    private boolean takeOver(Connection c, String key, String token, String hash, long leaseMillis,
            boolean inTransaction) throws SQLException {
        return protectedIfInTransaction(c, inTransaction, () -> {
            try (PreparedStatement statement = prepare(c, sql.takeOver)) {
                statement.setString(1, token);
                statement.setString(2, hash);
                sql.duration(statement, 3, leaseMillis);
                sql.key(statement, 4, key);
                return statement.executeUpdate() == 1;
            }
        });
    }

    /**
     * On PostgreSQL inside the caller's transaction, runs a statement that may wait for a row lock under a savepoint:
     * an error (a lock wait that timed out) would otherwise abort the caller's whole transaction. MySQL/MariaDB undo
     * only the failed statement.
     */
    private <T> T protectedIfInTransaction(Connection c, boolean inTransaction, SqlCall<T> call) throws SQLException {
        if (!inTransaction || dialect != JdbcDialect.POSTGRESQL) {
            return call.call();
        }
        java.sql.Savepoint savepoint = c.setSavepoint("idem_claim");
        T result;
        try {
            result = call.call();
        } catch (SQLException | RuntimeException e) {
            try {
                c.rollback(savepoint);
            } catch (SQLException rollback) {
                e.addSuppressed(rollback);
            }
            throw e;
        }
        c.releaseSavepoint(savepoint);
        return result;
    }

    private boolean completeOn(Connection c, Completion completion, boolean heldHere) throws SQLException {
        int changed;
        try (PreparedStatement statement = prepare(c, heldHere ? sql.completeHeld : sql.complete)) {
            statement.setString(1, completion.hash);
            statement.setString(2, String.valueOf(completion.kind));
            statement.setString(3, completion.text);
            statement.setBytes(4, completion.bytes);
            sql.duration(statement, 5, completion.ttlMillis);
            sql.key(statement, 6, completion.key);
            statement.setString(7, completion.token);
            sql.channel(statement, 8);
            changed = executeWrite(statement);
        }
        if (changed == 1) {
            signal(completion.key);
            return true;
        }
        // Not in flight under this token: true only if this token already completed it (a retried complete).
        try (PreparedStatement statement = prepare(c, sql.completedBy)) {
            sql.key(statement, 1, completion.key);
            statement.setString(2, completion.token);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next();
            }
        }
    }

    private boolean releaseOn(Connection c, String key, String token, boolean heldHere) throws SQLException {
        try (PreparedStatement statement = prepare(c, heldHere ? sql.releaseHeld : sql.release)) {
            sql.key(statement, 1, key);
            statement.setString(2, token);
            sql.channel(statement, 3);
            if (executeWrite(statement) == 1) {
                signal(key);
                return true;
            }
            return false;
        }
    }

    /** The rows a write changed: its update count, or on PostgreSQL the rows its notifying SELECT returned. */
    private int executeWrite(PreparedStatement statement) throws SQLException {
        if (!sql.writesReturnRows()) {
            return statement.executeUpdate();
        }
        int rows = 0;
        try (ResultSet result = statement.executeQuery()) {
            while (result.next()) {
                rows++;
            }
        }
        return rows;
    }

    private Row readRow(PreparedStatement statement) throws SQLException {
        try (ResultSet rows = statement.executeQuery()) {
            if (!rows.next()) {
                return null;
            }
            String state = rows.getString(1);
            if ("N".equals(state)) {
                return Row.INSERTED;
            }
            return new Row(state, rows.getString(2), rows.getString(3), rows.getString(4), rows.getString(5),
                    rows.getBytes(6), rows.getBoolean(7), rows.getLong(8));
        }
    }

    /** A record as read, with whether it is live by the database's clock and how long it has left. */
    private record Row(String state, String token, String fingerprint, String kind, String text, byte[] bytes,
            boolean live, long remainingMillis) {
        static final Row INSERTED = new Row("N", null, null, null, null, null, true, 0);

        StoredRecord record() {
            Fingerprint recorded = Fingerprint.ofHash(fingerprint);
            if ("I".equals(state)) {
                return StoredRecord.inFlight(token, recorded, Math.max(0, remainingMillis));
            }
            Outcome outcome = switch (kind == null ? "" : kind) {
                case "V" -> Outcome.encodedValue(bytes == null ? EMPTY : bytes);
                case "F" -> Outcome.encodedFailure(text, bytes == null ? null
                        : new String(bytes, StandardCharsets.UTF_8));
                case "U" -> Outcome.unencodable(text);
                default -> throw new IllegalStateException("unknown outcome kind '" + kind + "' in an idem record");
            };
            return StoredRecord.completed(recorded, outcome);
        }
    }

    private PreparedStatement prepare(Connection c, String text) throws SQLException {
        PreparedStatement statement = c.prepareStatement(text);
        statement.setQueryTimeout(queryTimeoutSeconds);
        return statement;
    }

    /** A statement that waited too long: PostgreSQL's cancel or lock timeout, MySQL/MariaDB's lock wait timeout. */
    static boolean isTimeout(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLTimeoutException) {
                return true;
            }
            if (t instanceof SQLException s) {
                String state = s.getSQLState();
                int code = s.getErrorCode();
                if ("57014".equals(state) || "55P03".equals(state) || code == 1205 || code == 1969 || code == 3024) {
                    return true;
                }
            }
        }
        return false;
    }

    /** A deadlock or serialization failure (SQLSTATE 40001/40P01), which undoes a whole transaction. */
    static boolean isTransient(SQLException e) {
        String state = e.getSQLState();
        return "40001".equals(state) || "40P01".equals(state) || e.getErrorCode() == 1213;
    }

    // --- where statements run ---------------------------------------------------------------------------------------

    /** A unit of JDBC work on a connection. */
    @FunctionalInterface
    private interface SqlWork<T> {
        T run(Connection connection) throws SQLException;
    }

    /** A unit of JDBC work on a connection already chosen. */
    @FunctionalInterface
    private interface SqlCall<T> {
        T call() throws SQLException;
    }

    /**
     * Runs work on the caller's thread, on its transaction's connection. An interrupt flag is set aside meanwhile (a
     * driver on a virtual thread would otherwise close the socket) and restored: it is the caller's.
     */
    private <T> CompletionStage<T> inline(SqlCall<T> call) {
        boolean interrupted = Thread.interrupted();
        try {
            return CompletableFuture.completedFuture(call.call());
        } catch (SQLException | RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Runs work on a connection of its own, in auto-commit, on the store's executor; the stage fails after
     * {@link Builder#timeout} at the latest.
     */
    private <T> CompletionStage<T> standalone(SqlWork<T> work) {
        CompletableFuture<T> result = new CompletableFuture<>();
        if (closed) {
            result.completeExceptionally(new IllegalStateException("the JDBC store is closed"));
            return result;
        }
        try {
            executor.execute(() -> {
                if (result.isDone()) {
                    return; // timed out while queued
                }
                try (Connection connection = dataSource.getConnection()) {
                    if (result.isDone()) {
                        return; // timed out while waiting for the connection: the caller was told it failed
                    }
                    if (!connection.getAutoCommit()) {
                        connection.setAutoCommit(true);
                    }
                    result.complete(work.run(connection));
                } catch (Throwable e) {
                    result.completeExceptionally(e);
                }
            });
            ScheduledFuture<?> deadline = scheduler.schedule(() -> result.completeExceptionally(new TimeoutException(
                    "the JDBC store's operation did not finish within " + timeout + " (a connection could not be had "
                            + "from the pool, or the database did not answer)")),
                    timeout.toMillis(), TimeUnit.MILLISECONDS);
            result.whenComplete((ignored, error) -> deadline.cancel(false));
        } catch (RejectedExecutionException e) {
            result.completeExceptionally(new IllegalStateException("the JDBC store cannot take more work (its queue "
                    + "is full, or it is closed)", e));
        }
        return result;
    }

    // --- the sweep --------------------------------------------------------------------------------------------------

    /**
     * Deletes expired records now, in batches, on the calling thread (blocking). The background sweep does the same
     * every {@link Builder#sweep sweep interval}; expired records are never replayed either way.
     *
     * @return how many records were deleted
     * @throws IllegalStateException if the database fails
     */
    public int sweepExpired() {
        int total = 0;
        try (Connection connection = dataSource.getConnection()) {
            if (!connection.getAutoCommit()) {
                connection.setAutoCommit(true);
            }
            if (dialect == JdbcDialect.MYSQL) {
                // No gap locks on the expiry index: a concurrent claim never waits for the sweep.
                connection.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
            }
            for (int batch = 0; batch < SWEEP_BATCHES_PER_RUN; batch++) {
                int deleted;
                try (PreparedStatement statement = prepare(connection, sql.sweep)) {
                    statement.setInt(1, sweepBatch);
                    deleted = statement.executeUpdate();
                }
                total += deleted;
                if (deleted < sweepBatch) {
                    break;
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("the sweep of expired idem records failed: " + e.getMessage(), e);
        }
        return total;
    }

    private void sweepInBackground() {
        try {
            executor.execute(() -> {
                try {
                    sweepExpired();
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "the sweep of expired idem records failed; it runs again in "
                            + sweepInterval + ": " + e.getMessage());
                }
            });
        } catch (RejectedExecutionException busy) {
            // the executor is full or closing: the next run sweeps
        }
    }

    /**
     * Stops the sweep, the listener and the executor, and wakes every waiter. A data source passed in by the caller
     * is left open; one that the store made from settings is closed.
     */
    @Override
    public void close() {
        closed = true;
        if (sweep != null) {
            sweep.cancel(false);
        }
        if (listener != null) {
            listener.close();
        }
        wakeAll();
        scheduler.shutdownNow();
        executor.shutdown();
        try {
            executor.awaitTermination(statementTimeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (closeDataSource != null) {
            closeDataSource.run();
        }
    }

    /**
     * The dialect in use (given, or detected from the database).
     *
     * @return the dialect
     */
    public JdbcDialect dialect() {
        return dialect;
    }

    /**
     * The mode.
     *
     * @return the mode
     */
    public Mode mode() {
        return mode;
    }

    @Override
    public String toString() {
        return "JdbcIdempotencyStore[" + dialect + ", table=" + table + ", mode=" + mode + ", statementTimeout="
                + statementTimeout + ", timeout=" + timeout + ", threads=" + threads + ", sweep="
                + (sweepInterval == null ? "off" : sweepInterval + " x " + sweepBatch) + "]";
    }

    /** Builds a {@link JdbcIdempotencyStore}. Not thread-safe. */
    public static final class Builder {
        private final DataSource dataSource;
        private Runnable closeDataSource;
        private JdbcDialect dialect;
        private String table = DEFAULT_TABLE;
        private Mode mode = Mode.STANDALONE;
        private boolean createSchema;
        private Duration statementTimeout = DEFAULT_STATEMENT_TIMEOUT;
        private Duration timeout = DEFAULT_TIMEOUT;
        private Duration settleRecheck = DEFAULT_SETTLE_RECHECK;
        private Duration pollInterval = DEFAULT_POLL_INTERVAL;
        private Duration sweepInterval = DEFAULT_SWEEP_INTERVAL;
        private int sweepBatch = DEFAULT_SWEEP_BATCH;
        private int threads = DEFAULT_THREADS;
        private boolean listen = true;

        private Builder(DataSource dataSource) {
            this.dataSource = dataSource;
        }

        /** The store closes this when it closes: for a data source it made itself (the settings provider). */
        Builder closeDataSourceWith(Runnable action) {
            this.closeDataSource = action;
            return this;
        }

        /**
         * The database's dialect. Default: detected from the database when the store is built (which then needs a
         * connection).
         *
         * @param dialect the dialect
         * @return this builder
         */
        public Builder dialect(JdbcDialect dialect) {
            this.dialect = Objects.requireNonNull(dialect, "dialect");
            return this;
        }

        /**
         * The record table. Default: {@value #DEFAULT_TABLE}.
         *
         * @param table an unquoted identifier, optionally with a schema ({@code app.idem_records})
         * @return this builder
         */
        public Builder table(String table) {
            this.table = requireTable(table);
            return this;
        }

        /**
         * The mode. Default: {@link Mode#STANDALONE}.
         *
         * @param mode the mode
         * @return this builder
         */
        public Builder mode(Mode mode) {
            this.mode = Objects.requireNonNull(mode, "mode");
            return this;
        }

        /**
         * Whether {@link #build()} creates the table and its index if they do not exist (the shipped DDL, see
         * {@link JdbcIdempotencyStore#ddl}). Default: false; an application with Flyway or Liquibase copies the DDL
         * into a migration instead.
         *
         * @param create true to create
         * @return this builder
         */
        public Builder createSchema(boolean create) {
            this.createSchema = create;
            return this;
        }

        /**
         * The query timeout of every statement ({@link Statement#setQueryTimeout}, whole seconds, rounded up); it also
         * bounds how long a claim waits for a row lock held by another transaction. Default:
         * {@link #DEFAULT_STATEMENT_TIMEOUT}.
         *
         * @param timeout at least 1 second
         * @return this builder
         */
        public Builder statementTimeout(Duration timeout) {
            this.statementTimeout = requireBounded("statementTimeout", timeout, Duration.ofSeconds(1));
            return this;
        }

        /**
         * The bound of every standalone operation, from the call to its answer: waiting in the store's queue, for a
         * connection from the pool, and for the statements. Default: {@link #DEFAULT_TIMEOUT}.
         *
         * @param timeout at least 1 ms
         * @return this builder
         */
        public Builder timeout(Duration timeout) {
            this.timeout = requireBounded("timeout", timeout, Duration.ofMillis(1));
            return this;
        }

        /**
         * How many threads run standalone operations (each holds one connection while it works). Default:
         * {@value #DEFAULT_THREADS}; keep it at or below the pool's size.
         *
         * @param threads at least 1
         * @return this builder
         */
        public Builder threads(int threads) {
            if (threads < 1) {
                throw new IllegalArgumentException("threads must be at least 1, got " + threads);
            }
            this.threads = threads;
            return this;
        }

        /**
         * A safety net for waiters: after this long without a notification, a waiter re-reads the record anyway.
         * Default: {@link #DEFAULT_SETTLE_RECHECK}.
         *
         * @param interval at least 1 ms
         * @return this builder
         */
        public Builder settleRecheck(Duration interval) {
            this.settleRecheck = requireBounded("settleRecheck", interval, Duration.ofMillis(1));
            return this;
        }

        /**
         * The longest pause between two polls of a waiter (MySQL/MariaDB, or PostgreSQL while its listener is down):
         * polls start 10 ms apart and double up to this. Default: {@link #DEFAULT_POLL_INTERVAL}.
         *
         * @param interval at least 10 ms
         * @return this builder
         */
        public Builder pollInterval(Duration interval) {
            this.pollInterval = requireBounded("pollInterval", interval, Duration.ofMillis(10));
            return this;
        }

        /**
         * The background sweep of expired records: every {@code interval}, up to ten batches of {@code batchSize}
         * deletes. Default: every {@link #DEFAULT_SWEEP_INTERVAL}, batches of {@value #DEFAULT_SWEEP_BATCH}.
         *
         * @param interval at least 1 ms
         * @param batchSize at least 1
         * @return this builder
         */
        public Builder sweep(Duration interval, int batchSize) {
            if (batchSize < 1) {
                throw new IllegalArgumentException("the sweep's batch size must be at least 1, got " + batchSize);
            }
            this.sweepInterval = requireBounded("the sweep interval", interval, Duration.ofMillis(1));
            this.sweepBatch = batchSize;
            return this;
        }

        /**
         * No background sweep (another process sweeps, or {@link JdbcIdempotencyStore#sweepExpired()} is scheduled
         * by the application). Expired records are never replayed either way; they only take room.
         *
         * @return this builder
         */
        public Builder noSweep() {
            this.sweepInterval = null;
            return this;
        }

        /**
         * Whether waiters on PostgreSQL are woken by {@code LISTEN/NOTIFY} (one connection of the data source is held
         * by a listener thread). Default: true. Off, they poll as on MySQL/MariaDB.
         *
         * @param listen false to poll
         * @return this builder
         */
        public Builder listenNotify(boolean listen) {
            this.listen = listen;
            return this;
        }

        private static Duration requireBounded(String name, Duration duration, Duration min) {
            Objects.requireNonNull(duration, name);
            if (duration.compareTo(min) < 0) {
                throw new IllegalArgumentException(name + " must be at least " + min + ", got " + duration);
            }
            if (duration.compareTo(IdempotencyConfig.MAX_DURATION) > 0) {
                throw new IllegalArgumentException(name + " must be at most 36500d (IdempotencyConfig.MAX_DURATION), "
                        + "got " + duration);
            }
            return duration;
        }

        /**
         * Builds the store: detects the dialect if none was set, creates the table if asked, and starts the sweep
         * and (PostgreSQL) the listener.
         *
         * @return the store
         * @throws IllegalStateException if the database cannot be reached for detection or schema creation
         */
        public JdbcIdempotencyStore build() {
            return new JdbcIdempotencyStore(this);
        }
    }
}
