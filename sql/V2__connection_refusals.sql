-- Stream gateway schema, version 2: refused connections in the audit trail.

-- A refused connection whose ticket cannot be verified belongs to no known tenant.
ALTER TABLE audit_event ALTER COLUMN tenant DROP NOT NULL;

-- The failed check of a refused connection, as the name of the gateway's failure, such as
-- TICKET_EXPIRED or ORIGIN_NOT_ALLOWED.
ALTER TABLE audit_event ADD COLUMN reason varchar(64);
ALTER TABLE audit_event ADD COLUMN remote_address varchar(64);
ALTER TABLE audit_event ADD COLUMN origin varchar(256);
