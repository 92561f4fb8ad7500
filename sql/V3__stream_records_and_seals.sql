-- Stream gateway schema, version 3: stream and revocation details in the audit trail, per-record
-- MACs and seals that make the trail tamper-evident, and indexes for the audit API's filters.

-- Tickets revoked: how many live streams the revocation closed.
ALTER TABLE audit_event ADD COLUMN streams_closed integer;

-- Stream opened: the viewer's browser. Stream closed: how long, how much, and why.
ALTER TABLE audit_event ADD COLUMN user_agent varchar(512);
ALTER TABLE audit_event ADD COLUMN duration_ms bigint;
ALTER TABLE audit_event ADD COLUMN bytes_to_viewer bigint;
ALTER TABLE audit_event ADD COLUMN bytes_from_viewer bigint;
ALTER TABLE audit_event ADD COLUMN input_dropped bigint;
ALTER TABLE audit_event ADD COLUMN close_code integer;

-- HMAC-SHA256 of the record's fields under gateway.audit.key, base64url: a changed or inserted
-- row no longer matches it.
ALTER TABLE audit_event ADD COLUMN row_mac varchar(64);

-- A seal covers the records that occurred after covers_from and up to covers_until: their count
-- and an HMAC over their row MACs in id order, chained to the previous seal's digest. A removed
-- or inserted record inside a sealed period changes the count or the digest.
CREATE SEQUENCE audit_seal_seq START WITH 1 INCREMENT BY 1;

CREATE TABLE audit_seal (
    id              bigint      NOT NULL PRIMARY KEY,
    covers_from     timestamp   NOT NULL,
    covers_until    timestamp   NOT NULL,
    event_count     bigint      NOT NULL,
    previous_digest varchar(64),
    digest          varchar(64) NOT NULL,
    sealed_at       timestamp   NOT NULL,
    -- Two gateway nodes sealing at once: the second insert fails and its transaction rolls back.
    CONSTRAINT audit_seal_covers_from_key UNIQUE (covers_from)
);

-- The audit API filters by tenant and one of these, and pages by id.
CREATE INDEX audit_event_tenant_id_idx ON audit_event (tenant, id);
CREATE INDEX audit_event_tenant_computer_idx ON audit_event (tenant, computer_id, id);
CREATE INDEX audit_event_tenant_api_key_idx ON audit_event (tenant, api_key, id);
CREATE INDEX audit_event_tenant_kind_idx ON audit_event (tenant, kind, id);
-- Sealing and verification read records by time.
CREATE INDEX audit_event_occurred_at_idx ON audit_event (occurred_at);
