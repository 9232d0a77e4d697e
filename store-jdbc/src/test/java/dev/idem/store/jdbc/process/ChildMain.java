package dev.idem.store.jdbc.process;

import dev.idem.tck.ChildJvm;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.idem.core.Idempotency;
import dev.idem.core.IdempotencyConfig;
import dev.idem.core.IdempotentOperation;
import dev.idem.core.IdempotentResult;
import dev.idem.store.jdbc.JdbcDialect;
import dev.idem.store.jdbc.JdbcIdempotencyStore;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The main class of the child JVMs of the multi-process tests ({@link ChildJvm}); it talks to the parent with
 * lines, commands on stdin, reports on stdout.
 *
 * <ul>
 * <li>{@code hammer <url> <user> <password> <dialect> <mode> <namespace> <keys> <threads> <label>}: prints
 * {@code READY}, waits for {@code GO}, then every thread calls the operation once for every key {@code k0..}, all in
 * the same order so that they collide. The body inserts a row into {@code executions} (in the caller's transaction
 * in transactional mode, in auto-commit otherwise) and returns {@code <label>/<pid>:<serial>}. Each call prints
 * {@code CALL <key> <result>}, a failed one {@code ERROR <key> <exception>}; then {@code DONE <calls> <errors>}.</li>
 * <li>{@code crash <url> <user> <password> <dialect> <namespace> <key>}: in a transaction bound to a transactional
 * store, calls the operation; its body inserts a row into {@code business}, prints {@code INSIDE}, and blocks until
 * the process is killed, before the transaction commits.</li>
 * </ul>
 *
 * <p>The child halts when its stdin ends (the parent died) and after two minutes in any case.
 */
public final class ChildMain {
    private static final PrintWriter OUT = new PrintWriter(
            new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), 1 << 16), false);

    private ChildMain() {
    }

    public static void main(String[] args) throws Exception {
        startLifeGuard();
        BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        try {
            switch (args[0]) {
                case "hammer" -> hammer(stdin, args[1], args[2], args[3], JdbcDialect.valueOf(args[4]),
                        JdbcIdempotencyStore.Mode.valueOf(args[5]), args[6], Integer.parseInt(args[7]),
                        Integer.parseInt(args[8]), args[9]);
                case "crash" -> crash(args[1], args[2], args[3], JdbcDialect.valueOf(args[4]), args[5], args[6]);
                default -> throw new IllegalArgumentException("unknown mode " + args[0]);
            }
        } catch (Throwable t) {
            line("FAILED " + t);
            t.printStackTrace();
            System.exit(1);
        }
        OUT.flush();
        System.exit(0);
    }

    private static HikariDataSource pool(String url, String user, String password, int size) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(size);
        config.setConnectionTimeout(10_000);
        return new HikariDataSource(config);
    }

    private static void hammer(BufferedReader stdin, String url, String user, String password, JdbcDialect dialect,
            JdbcIdempotencyStore.Mode mode, String namespace, int keys, int threads, String label) throws Exception {
        HikariDataSource pool = pool(url, user, password, threads * 2 + 4);
        JdbcIdempotencyStore store = JdbcIdempotencyStore.builder(pool).dialect(dialect).mode(mode).build();
        Idempotency.configure(IdempotencyConfig.builder().defaultStore(store).build());
        IdempotentOperation<String> operation = Idempotency.operation(namespace, String.class)
                .waitTimeout(Duration.ofSeconds(60))
                .build();
        String prefix = label + "/" + ProcessHandle.current().pid() + ":";
        AtomicLong serial = new AtomicLong();
        Idempotency.operation(namespace + ".warm-up", String.class).build().execute(label, "warm-up", () -> "warm");
        line("READY");
        String command = stdin.readLine();
        if (!"GO".equals(command)) {
            throw new IllegalStateException("expected GO, got " + command);
        }
        watchStdin(stdin);
        AtomicLong calls = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread worker = new Thread(() -> {
                for (int k = 0; k < keys; k++) {
                    String key = "k" + k;
                    try {
                        String result = call(pool, store, mode, operation, key,
                                () -> prefix + serial.incrementAndGet());
                        calls.incrementAndGet();
                        report("CALL " + key + " " + result);
                    } catch (RuntimeException | SQLException e) {
                        errors.incrementAndGet();
                        line("ERROR " + key + " " + e);
                    }
                }
            });
            workers.add(worker);
            worker.start();
        }
        for (Thread worker : workers) {
            worker.join();
        }
        line("DONE " + calls + " " + errors);
    }

    private static String call(HikariDataSource pool, JdbcIdempotencyStore store, JdbcIdempotencyStore.Mode mode,
            IdempotentOperation<String> operation, String key, java.util.function.Supplier<String> result)
            throws SQLException {
        if (mode == JdbcIdempotencyStore.Mode.STANDALONE) {
            IdempotentResult<String> answer = operation.call(key, "payload", () -> {
                String value = result.get();
                try (Connection connection = pool.getConnection()) {
                    insert(connection, "executions", key, value);
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
                return value;
            });
            return answer.value();
        }
        try (Connection connection = pool.getConnection()) {
            connection.setAutoCommit(false);
            try (var bound = store.bindTransaction(connection)) {
                String value = operation.call(key, "payload", () -> {
                    String v = result.get();
                    insert(connection, "executions", key, v);
                    return v;
                }).value();
                connection.commit();
                return value;
            } catch (RuntimeException e) {
                connection.rollback();
                throw e;
            }
        }
    }

    static void insert(Connection connection, String table, String key, String value) {
        try (PreparedStatement statement = connection.prepareStatement(
                "INSERT INTO " + table + " (k, v) VALUES (?, ?)")) {
            statement.setString(1, key);
            statement.setString(2, value);
            statement.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void crash(String url, String user, String password, JdbcDialect dialect, String namespace,
            String key) throws Exception {
        HikariDataSource pool = pool(url, user, password, 4);
        JdbcIdempotencyStore store = JdbcIdempotencyStore.builder(pool).dialect(dialect)
                .mode(JdbcIdempotencyStore.Mode.TRANSACTIONAL).build();
        Idempotency.configure(IdempotencyConfig.builder().defaultStore(store).build());
        IdempotentOperation<String> operation = Idempotency.operation(namespace, String.class).build();
        Connection connection = pool.getConnection();
        connection.setAutoCommit(false);
        try (var bound = store.bindTransaction(connection)) {
            operation.call(key, "payload", () -> {
                insert(connection, "business", key, "crashed-" + ProcessHandle.current().pid());
                line("INSIDE " + key);
                try {
                    new CountDownLatch(1).await(); // until SIGKILL
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return "never";
            });
        }
    }

    private static void line(String text) {
        synchronized (OUT) {
            OUT.println(text);
            OUT.flush();
        }
    }

    private static void report(String text) {
        synchronized (OUT) {
            OUT.println(text);
        }
    }

    private static void watchStdin(BufferedReader stdin) {
        Thread watcher = new Thread(() -> {
            try {
                while (stdin.readLine() != null) {
                    // ignore further input
                }
            } catch (IOException e) {
                // treat like end-of-file
            }
            Runtime.getRuntime().halt(3);
        }, "stdin-watcher");
        watcher.setDaemon(true);
        watcher.start();
    }

    private static void startLifeGuard() {
        Thread guard = new Thread(() -> {
            try {
                Thread.sleep(Duration.ofMinutes(2).toMillis());
            } catch (InterruptedException e) {
                return;
            }
            Runtime.getRuntime().halt(4);
        }, "life-guard");
        guard.setDaemon(true);
        guard.start();
    }
}
