package dev.idem.store.jdbc;

import java.sql.Connection;
import java.sql.Statement;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * PostgreSQL's {@code LISTEN} on the store's channel, on one connection of the store's data source held by one daemon
 * thread. Complete and release call {@code pg_notify(channel, md5(record_key))} in the same statement, so a waiter
 * hears of a settle when its transaction commits. Loaded only for the PostgreSQL dialect (it needs the driver's
 * {@code PGConnection}).
 *
 * <p>When the connection breaks, every waiter is woken (it re-reads the record) and the store polls until the
 * listener is back: a message can be lost, a wait is never longer than the store's settle recheck.
 */
final class PgListener implements Runnable {
    private static final System.Logger LOG = System.getLogger(PgListener.class.getName());
    private final DataSource dataSource;
    private final String channel;
    private final Consumer<String> onNotification;
    private final Runnable onLost;
    private final Thread thread;
    private volatile boolean healthy;
    private volatile boolean closed;

    PgListener(DataSource dataSource, String channel, Consumer<String> onNotification, Runnable onLost) {
        this.dataSource = dataSource;
        this.channel = channel;
        this.onNotification = onNotification;
        this.onLost = onLost;
        this.thread = new Thread(this, "idem-jdbc-listen-" + channel);
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Whether {@code LISTEN} is in force now; a waiter that registers while it is sees every later message. */
    boolean healthy() {
        return healthy;
    }

    @Override
    public void run() {
        long backoff = 100;
        while (!closed) {
            try (Connection c = dataSource.getConnection()) {
                c.setAutoCommit(true);
                PGConnection pg = c.unwrap(PGConnection.class);
                try (Statement statement = c.createStatement()) {
                    statement.execute("LISTEN \"" + channel + "\"");
                }
                // A pooled connection may carry messages from an earlier LISTEN (a listener that did not get to
                // UNLISTEN): drop them. Waiters that registered before this point poll, and read once more after
                // it, so nothing they need is among them.
                pg.getNotifications();
                healthy = true;
                backoff = 100;
                try {
                    while (!closed) {
                        PGNotification[] notifications = pg.getNotifications(500);
                        if (notifications != null) {
                            for (PGNotification notification : notifications) {
                                onNotification.accept(notification.getParameter());
                            }
                        }
                    }
                } finally {
                    healthy = false;
                    // Back to the pool without a LISTEN: the next borrower must not collect our messages.
                    try (Statement statement = c.createStatement()) {
                        statement.execute("UNLISTEN *");
                    } catch (Exception ignored) {
                        // a broken connection: the pool discards it
                    }
                }
            } catch (Exception | LinkageError e) {
                if (!closed) {
                    LOG.log(System.Logger.Level.WARNING, "the JDBC store lost its LISTEN connection; waiters poll "
                            + "until it is back: " + e);
                }
            } finally {
                healthy = false;
                onLost.run();
            }
            if (!closed) {
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException e) {
                    return;
                }
                backoff = Math.min(5_000, backoff * 2);
            }
        }
    }

    /**
     * Stops listening: the thread sees the flag within one wait (500 ms) and closes its connection itself. Closing it
     * from here would block on the driver's lock, which the listening thread holds while it waits.
     */
    void close() {
        closed = true;
    }
}
