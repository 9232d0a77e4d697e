-- idem-store-jdbc: the record table for MySQL 8 and MariaDB 10.6+ (InnoDB).
-- ${table} and ${index} are the configured table name (default idem_records) and its expiry index
-- (default idem_records_expires_at); a Flyway or Liquibase user copies this statement into a migration.
-- The key is VARBINARY: compared byte for byte, so no collation can make two keys equal ('a' and 'A', 'a' and 'a ').
-- expires_at is a UTC DATETIME (TIMESTAMP ends in 2038; a ttl may reach 100 years), written and compared with
-- UTC_TIMESTAMP(3) only, so the session time zone plays no part.
CREATE TABLE IF NOT EXISTS ${table} (
    record_key    VARBINARY(2048) NOT NULL,
    state         CHAR(1) CHARACTER SET ascii NOT NULL,
    owner_token   VARCHAR(128) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    fingerprint   VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    outcome_kind  CHAR(1) CHARACTER SET ascii NULL,
    outcome_text  TEXT CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NULL,
    outcome_bytes LONGBLOB NULL,
    expires_at    DATETIME(3) NOT NULL,
    PRIMARY KEY (record_key),
    INDEX ${index} (expires_at)
) ENGINE=InnoDB
