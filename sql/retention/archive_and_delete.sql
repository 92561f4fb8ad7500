-- Archive and delete audit records older than the retention period (PostgreSQL, psql 10 or later).
--
-- The gateway never deletes audit records, and triggers (sql/postgresql/V3_1__append_only_audit.sql)
-- reject every UPDATE, DELETE and TRUNCATE of audit_event and audit_seal. A DBA removes old
-- records with this script, in one transaction. It disables the two row triggers and moves the
-- records and seals into audit_event_archive and audit_seal_archive, which the first run creates
-- with the same columns. Then it enables the triggers again before COMMIT, so other sessions
-- never see them disabled. Disabling a trigger needs the owner of the tables, so run the script as
-- the role that applied the schema.
--
-- It removes whole sealed periods only. The boundary is the covers_until of the last seal that
-- ends before the cut-off (now, in UTC, minus retention_days). Every record that occurred up to
-- the boundary, and every seal that ends by it, is moved. Records after the boundary stay even
-- if they are older than the cut-off, so that each remaining seal still covers all its records.
-- The remaining seals all end after the boundary, and a verifier takes the previous_digest of
-- the first one as given. Without a seal that ends before the cut-off, nothing is moved.
--
-- Variables:
--   retention_days  days of records to keep, counted back from now; default 400
--
-- Example, in the gateway's schema (set with PGOPTIONS when it is not on the search_path):
--   PGOPTIONS='-c search_path=gateway' psql -X -U gateway_owner -d gateway \
--        -v retention_days=400 -f sql/retention/archive_and_delete.sql
--
-- Locks: disabling a trigger locks the table against writes (SHARE ROW EXCLUSIVE on PostgreSQL
-- 15), so the gateway's audit inserts, and with them ticket issuance and stream openings, wait
-- until the transaction ends. Run it at a quiet time. The first run on a large table moves the
-- most rows, so start with a larger retention_days and lower it in later runs to keep each
-- transaction short. A lock that is not granted within the lock_timeout of 10 seconds ends the
-- run with an error, and nothing changes.
--
-- The archive tables are not append-only. They have no triggers, so protect them with grants.
-- A column added to audit_event or audit_seal by a later migration must also be added to its
-- archive table, or the INSERT of this script fails and the transaction rolls back.

\set ON_ERROR_STOP on

\if :{?retention_days}
\else
\set retention_days 400
\endif

BEGIN;

SET LOCAL lock_timeout = '10s';

-- The archives: the same columns, primary keys and indexes, and no triggers.
CREATE TABLE IF NOT EXISTS audit_event_archive
    (LIKE audit_event INCLUDING CONSTRAINTS INCLUDING INDEXES);
CREATE TABLE IF NOT EXISTS audit_seal_archive
    (LIKE audit_seal INCLUDING CONSTRAINTS INCLUDING INDEXES);

-- Taken first, so that no seal is added while the boundary is chosen.
ALTER TABLE audit_event DISABLE TRIGGER audit_event_append_only;
ALTER TABLE audit_seal DISABLE TRIGGER audit_seal_append_only;

-- The cut-off and the boundary, listed for the DBA. The CHECK rejects a retention_days of zero
-- or less, which would remove every sealed record.
CREATE TEMPORARY TABLE retention_boundary (
    retention_days integer   NOT NULL CONSTRAINT retention_days_positive CHECK (retention_days > 0),
    cut_off        timestamp NOT NULL,
    covers_until   timestamp
) ON COMMIT DROP;

INSERT INTO retention_boundary (retention_days, cut_off)
VALUES (CAST(:'retention_days' AS integer),
        (now() AT TIME ZONE 'UTC') - make_interval(days => CAST(:'retention_days' AS integer)));

UPDATE retention_boundary
SET covers_until = (SELECT max(covers_until) FROM audit_seal WHERE covers_until < cut_off);

SELECT retention_days, cut_off, covers_until AS archived_up_to FROM retention_boundary;

-- Each move is one statement, so the rows archived are exactly the rows deleted. A NULL
-- boundary matches no row.
WITH moved AS (
    DELETE FROM audit_event
    WHERE occurred_at <= (SELECT covers_until FROM retention_boundary)
    RETURNING *
)
INSERT INTO audit_event_archive SELECT * FROM moved;

WITH moved AS (
    DELETE FROM audit_seal
    WHERE covers_until <= (SELECT covers_until FROM retention_boundary)
    RETURNING *
)
INSERT INTO audit_seal_archive SELECT * FROM moved;

ALTER TABLE audit_event ENABLE TRIGGER audit_event_append_only;
ALTER TABLE audit_seal ENABLE TRIGGER audit_seal_append_only;

COMMIT;
