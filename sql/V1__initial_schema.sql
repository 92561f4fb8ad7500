-- Stream gateway schema for PostgreSQL, version 1.
--
-- The same tables the application creates on its embedded H2 database. Apply it before the first
-- start against PostgreSQL:
--   psql -v ON_ERROR_STOP=1 -d gateway -f sql/V1__initial_schema.sql
-- Times are UTC. Sequences advance by the allocation size of the JPA entities (20 and 50).

CREATE SEQUENCE computer_seq START WITH 1 INCREMENT BY 20;

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

CREATE SEQUENCE audit_event_seq START WITH 1 INCREMENT BY 50;

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
