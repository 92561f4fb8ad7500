-- Stream gateway schema, version 1: computers and the audit trail.
--
-- The gateway applies the scripts of sql/ itself at start-up (Flyway, which records them in
-- flyway_schema_history), on PostgreSQL and on the embedded H2 database alike. Times are UTC.
-- Sequences advance by the allocation size of the JPA entities (20 and 50) and start at it,
-- because EclipseLink takes each value as the last id of a block and rejects a smaller one on H2.

CREATE SEQUENCE computer_seq START WITH 20 INCREMENT BY 20;

CREATE TABLE computer (
    id          bigint       NOT NULL PRIMARY KEY,
    tenant      varchar(64)  NOT NULL,
    computer_id varchar(64)  NOT NULL,
    vnc_url     varchar(512) NOT NULL,
    -- The VNC password as a compact JWE (AES-256-GCM under gateway.vnc-password-key), or null.
    vnc_password varchar(1024),
    state       varchar(16)  NOT NULL,
    -- Incremented by each revocation; tickets carry the value they were issued under.
    ticket_generation bigint NOT NULL DEFAULT 0,
    created_at  timestamp    NOT NULL,
    updated_at  timestamp    NOT NULL,
    version     bigint,
    CONSTRAINT computer_tenant_computer_id_key UNIQUE (tenant, computer_id)
);

CREATE SEQUENCE audit_event_seq START WITH 50 INCREMENT BY 50;

-- Append-only: the application inserts rows and never updates or deletes them.
CREATE TABLE audit_event (
    id           bigint       NOT NULL PRIMARY KEY,
    kind         varchar(32)  NOT NULL,
    occurred_at  timestamp    NOT NULL,
    tenant       varchar(64)  NOT NULL,
    computer_id  varchar(64),
    api_key      varchar(128),
    ticket_id    varchar(32),
    token_prefix varchar(32),
    attribution  varchar(256),
    read_only    boolean,
    expires_at   timestamp
);

CREATE INDEX audit_event_tenant_time_idx ON audit_event (tenant, occurred_at);
CREATE INDEX audit_event_ticket_idx ON audit_event (ticket_id);
