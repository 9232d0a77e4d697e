-- idem-store-jdbc: the record table for PostgreSQL 12+.
-- ${table} and ${index} are the configured table name (default idem_records) and its expiry index
-- (default idem_records_expires_at); a Flyway or Liquibase user copies these statements into a migration.
CREATE TABLE IF NOT EXISTS ${table} (
    record_key    varchar(2048) COLLATE "C" NOT NULL PRIMARY KEY, -- the full key (StoreKeys), at most 2048 UTF-8 bytes
    state         char(1)      NOT NULL,                          -- I in flight, C completed
    owner_token   varchar(128) NOT NULL,                          -- the claimer's token, kept once completed
    fingerprint   varchar(64)  NOT NULL,                          -- the payload's canonical hash, or none
    outcome_kind  char(1),                                        -- V value, F failure, U unencodable; null in flight
    outcome_text  text,                                           -- the failure's class, or why it is unencodable
    outcome_bytes bytea,                                          -- the encoded value, or the failure's message
    expires_at    timestamptz  NOT NULL                           -- by the database's clock: lease or ttl end
);
CREATE INDEX IF NOT EXISTS ${index} ON ${table} (expires_at);
