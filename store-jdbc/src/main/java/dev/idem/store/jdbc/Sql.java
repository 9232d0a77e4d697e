package dev.idem.store.jdbc;

import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * The statements of one dialect for one table. Every statement judges time by the database's clock
 * ({@code statement_timestamp()} on PostgreSQL, {@code UTC_TIMESTAMP(3)} on MySQL/MariaDB), never by a caller's:
 * no statement takes a time from Java, only durations in milliseconds.
 *
 * <p>The claim is one {@code INSERT} that does nothing on a conflict; on PostgreSQL the same statement also reads the
 * record that caused the conflict. An expired record is taken over by a conditional {@code UPDATE} (whose condition
 * the database re-checks on the newest row version after waiting for any concurrent writer), and the sweep deletes
 * expired records only under the same condition, so a record is never replayed past its expiry.
 */
abstract class Sql {
    /** Columns of a read record, in this order: state, owner_token, fingerprint, kind, text, bytes, live, remaining. */
    final String table;
    final String claim;
    final String read;
    final String takeOver;
    final String complete;
    final String completeHeld;
    final String completedBy;
    final String release;
    final String releaseHeld;
    final String renew;
    final String state;
    final String sweep;

    Sql(String table, String claim, String read, String takeOver, String complete, String completeHeld,
            String completedBy, String release, String releaseHeld, String renew, String state, String sweep) {
        this.table = table;
        this.claim = claim;
        this.read = read;
        this.takeOver = takeOver;
        this.complete = complete;
        this.completeHeld = completeHeld;
        this.completedBy = completedBy;
        this.release = release;
        this.releaseHeld = releaseHeld;
        this.renew = renew;
        this.state = state;
        this.sweep = sweep;
    }

    static Sql of(JdbcDialect dialect, String table, String channel) {
        return dialect == JdbcDialect.POSTGRESQL ? new Postgres(table, channel) : new MySql(table);
    }

    /** Whether the claim statement answers the conflicting record itself (else {@link #read} follows). */
    abstract boolean claimReadsRecord();

    /** Whether complete and release report through a result set (PostgreSQL: the rows that were notified). */
    abstract boolean writesReturnRows();

    /** Binds a full key. */
    abstract void key(PreparedStatement statement, int index, String key) throws SQLException;

    /** Binds a duration in milliseconds, in the unit the dialect's interval arithmetic takes. */
    abstract void duration(PreparedStatement statement, int index, long millis) throws SQLException;

    /** Binds the notification channel, where the dialect has one (complete and release on PostgreSQL). */
    abstract int channel(PreparedStatement statement, int index) throws SQLException;

    /** The table's DDL, from the dialect's resource. */
    abstract JdbcDialect dialect();

    /** PostgreSQL 12+. */
    static final class Postgres extends Sql {
        private static final String NOW = "statement_timestamp()";
        private static final String RECORD = "state, owner_token, fingerprint, outcome_kind, outcome_text, "
                + "outcome_bytes, expires_at > " + NOW + ", "
                + "greatest(0, floor(extract(epoch FROM (expires_at - " + NOW + ")) * 1000))::bigint";
        private final String channelName;

        Postgres(String t, String channel) {
            super(t,
                    // One round trip: either the inserted marker or the record that made the INSERT do nothing.
                    // The SELECT shares the statement's snapshot: a row committed by a transaction the INSERT waited
                    // for is invisible to it, and the caller then reads again (a new snapshot, READ COMMITTED).
                    "WITH ins AS (INSERT INTO " + t + " (record_key, state, owner_token, fingerprint, expires_at) "
                            + "VALUES (?, 'I', ?, ?, " + NOW + " + ? * interval '1 millisecond') "
                            + "ON CONFLICT (record_key) DO NOTHING RETURNING 1) "
                            + "SELECT 'N', NULL::varchar, NULL::varchar, NULL::char(1), NULL::text, NULL::bytea, "
                            + "true, 0::bigint FROM ins "
                            + "UNION ALL SELECT " + RECORD + " FROM " + t
                            + " WHERE record_key = ? AND NOT EXISTS (SELECT 1 FROM ins)",
                    "SELECT " + RECORD + " FROM " + t + " WHERE record_key = ?",
                    "UPDATE " + t + " SET state = 'I', owner_token = ?, fingerprint = ?, outcome_kind = NULL, "
                            + "outcome_text = NULL, outcome_bytes = NULL, expires_at = " + NOW
                            + " + ? * interval '1 millisecond' WHERE record_key = ? AND expires_at <= " + NOW,
                    complete(t, " AND expires_at > " + NOW),
                    complete(t, ""),
                    "SELECT 1 FROM " + t + " WHERE record_key = ? AND owner_token = ? AND state = 'C' AND expires_at > "
                            + NOW,
                    release(t, " AND expires_at > " + NOW),
                    release(t, ""),
                    "UPDATE " + t + " SET expires_at = " + NOW + " + ? * interval '1 millisecond' "
                            + "WHERE record_key = ? AND owner_token = ? AND state = 'I' AND expires_at > " + NOW,
                    "SELECT state FROM " + t + " WHERE record_key = ? AND expires_at > " + NOW,
                    // SKIP LOCKED: never waits for (or deadlocks with) a claim taking a row over; the outer condition
                    // is re-checked on the newest version, so a row renewed or taken over meanwhile stays.
                    "DELETE FROM " + t + " WHERE record_key IN (SELECT record_key FROM " + t + " WHERE expires_at <= "
                            + NOW + " ORDER BY expires_at LIMIT ? FOR UPDATE SKIP LOCKED) AND expires_at <= " + NOW);
            this.channelName = channel;
        }

        private static String complete(String t, String live) {
            return "WITH u AS (UPDATE " + t + " SET state = 'C', fingerprint = ?, outcome_kind = ?, outcome_text = ?, "
                    + "outcome_bytes = ?, expires_at = " + NOW + " + ? * interval '1 millisecond' "
                    + "WHERE record_key = ? AND owner_token = ? AND state = 'I'" + live + " RETURNING record_key) "
                    + "SELECT pg_notify(?, md5(record_key)) FROM u";
        }

        private static String release(String t, String live) {
            return "WITH d AS (DELETE FROM " + t + " WHERE record_key = ? AND owner_token = ? AND state = 'I'" + live
                    + " RETURNING record_key) SELECT pg_notify(?, md5(record_key)) FROM d";
        }

        @Override
        boolean claimReadsRecord() {
            return true;
        }

        @Override
        boolean writesReturnRows() {
            return true;
        }

        @Override
        void key(PreparedStatement statement, int index, String key) throws SQLException {
            statement.setString(index, key);
        }

        @Override
        void duration(PreparedStatement statement, int index, long millis) throws SQLException {
            statement.setLong(index, millis);
        }

        @Override
        int channel(PreparedStatement statement, int index) throws SQLException {
            statement.setString(index, channelName);
            return index + 1;
        }

        @Override
        JdbcDialect dialect() {
            return JdbcDialect.POSTGRESQL;
        }
    }

    /** MySQL 8 and MariaDB 10.6+ on InnoDB. */
    static final class MySql extends Sql {
        private static final String NOW = "UTC_TIMESTAMP(3)";

        MySql(String t) {
            super(t,
                    // INSERT IGNORE answers 1 or 0 rows whatever the connection's found-rows setting; its other
                    // effect (errors turned into warnings) cannot bite: every value is validated in Java first.
                    "INSERT IGNORE INTO " + t + " (record_key, state, owner_token, fingerprint, expires_at) "
                            + "VALUES (?, 'I', ?, ?, " + NOW + " + INTERVAL ? MICROSECOND)",
                    // A locking read sees the newest committed row even in a REPEATABLE READ transaction whose
                    // snapshot is older (a plain SELECT would not see a row committed by the holder it waited for).
                    "SELECT state, owner_token, fingerprint, outcome_kind, outcome_text, outcome_bytes, "
                            + "expires_at > " + NOW + ", "
                            + "GREATEST(0, TIMESTAMPDIFF(MICROSECOND, " + NOW + ", expires_at) DIV 1000) FROM " + t
                            + " WHERE record_key = ? LOCK IN SHARE MODE",
                    "UPDATE " + t + " SET state = 'I', owner_token = ?, fingerprint = ?, outcome_kind = NULL, "
                            + "outcome_text = NULL, outcome_bytes = NULL, expires_at = " + NOW
                            + " + INTERVAL ? MICROSECOND WHERE record_key = ? AND expires_at <= " + NOW,
                    complete(t, " AND expires_at > " + NOW),
                    complete(t, ""),
                    "SELECT 1 FROM " + t + " WHERE record_key = ? AND owner_token = ? AND state = 'C' AND expires_at > "
                            + NOW,
                    "DELETE FROM " + t + " WHERE record_key = ? AND owner_token = ? AND state = 'I' AND expires_at > "
                            + NOW,
                    "DELETE FROM " + t + " WHERE record_key = ? AND owner_token = ? AND state = 'I'",
                    "UPDATE " + t + " SET expires_at = " + NOW + " + INTERVAL ? MICROSECOND "
                            + "WHERE record_key = ? AND owner_token = ? AND state = 'I' AND expires_at > " + NOW,
                    "SELECT state FROM " + t + " WHERE record_key = ? AND expires_at > " + NOW,
                    "DELETE FROM " + t + " WHERE expires_at <= " + NOW + " ORDER BY expires_at LIMIT ?");
        }

        private static String complete(String t, String live) {
            // Every WHERE names state = 'I', so "rows found" and "rows changed" agree whatever the connection counts.
            return "UPDATE " + t + " SET state = 'C', fingerprint = ?, outcome_kind = ?, outcome_text = ?, "
                    + "outcome_bytes = ?, expires_at = " + NOW + " + INTERVAL ? MICROSECOND "
                    + "WHERE record_key = ? AND owner_token = ? AND state = 'I'" + live;
        }

        @Override
        boolean claimReadsRecord() {
            return false;
        }

        @Override
        boolean writesReturnRows() {
            return false;
        }

        @Override
        void key(PreparedStatement statement, int index, String key) throws SQLException {
            statement.setBytes(index, key.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        void duration(PreparedStatement statement, int index, long millis) throws SQLException {
            statement.setLong(index, millis * 1000); // microseconds: at most 3.2e15, far below 2^63
        }

        @Override
        int channel(PreparedStatement statement, int index) {
            return index;
        }

        @Override
        JdbcDialect dialect() {
            return JdbcDialect.MYSQL;
        }
    }
}
