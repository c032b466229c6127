-- One schema for SQLite and PostgreSQL alike: only TEXT, BIGINT and INTEGER, no dialect features.
-- Instants are epoch nanoseconds (BIGINT): exact round-trip of java.time.Instant, sortable, portable;
-- representable range 1677-09-21 to 2262-04-11. Booleans are INTEGER 0/1. Lists are JSON text.

CREATE TABLE api_keys (
    id            TEXT    NOT NULL PRIMARY KEY,
    tenant        TEXT    NOT NULL,
    role          TEXT    NOT NULL,
    name          TEXT    NOT NULL,
    secret_sha256 TEXT    NOT NULL,
    created_at    BIGINT  NOT NULL,
    expires_at    BIGINT,
    revoked_at    BIGINT
);

CREATE INDEX api_keys_tenant ON api_keys (tenant, created_at);

-- tenant, key_id and role are null together, when the caller was never authenticated.
-- stop_* columns are null for answered Decisions.
CREATE TABLE decisions (
    id              TEXT    NOT NULL PRIMARY KEY,
    started_at      BIGINT  NOT NULL,
    tenant          TEXT,
    key_id          TEXT,
    role            TEXT,
    kind            TEXT    NOT NULL,
    model           TEXT,
    model_version   TEXT,
    provider        TEXT,
    upstream_model  TEXT,
    stream          INTEGER NOT NULL,
    outcome         TEXT    NOT NULL,
    http_status     INTEGER NOT NULL,
    stop_stage      TEXT,
    stop_type       TEXT,
    stop_code       TEXT,
    stop_message    TEXT,
    stop_param      TEXT,
    input_tokens    BIGINT  NOT NULL,
    output_tokens   BIGINT  NOT NULL,
    latency_micros  BIGINT  NOT NULL,
    upstream_micros BIGINT  NOT NULL,
    input_sha256    TEXT,
    output_sha256   TEXT,
    reasons         TEXT    NOT NULL,
    notes           TEXT    NOT NULL
);

CREATE INDEX decisions_tenant_started ON decisions (tenant, started_at);
CREATE INDEX decisions_model_started ON decisions (model, started_at);
