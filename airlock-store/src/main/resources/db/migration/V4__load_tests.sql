-- Load test results (airlock loadtest): evidence for the readiness gate. Millisecond figures as text decimals.
CREATE TABLE load_tests (
    id              TEXT    NOT NULL PRIMARY KEY,
    model           TEXT    NOT NULL,
    model_version   TEXT,
    started_at      BIGINT  NOT NULL,
    duration_ms     BIGINT  NOT NULL,
    multiplier      TEXT    NOT NULL,
    target_rps      TEXT    NOT NULL,
    sent            BIGINT  NOT NULL,
    ok              BIGINT  NOT NULL,
    shed            BIGINT  NOT NULL,
    errors          BIGINT  NOT NULL,
    p50_ms          TEXT    NOT NULL,
    p99_ms          TEXT    NOT NULL,
    max_ms          TEXT    NOT NULL,
    shed_p99_ms     TEXT    NOT NULL,
    upstream_ms     BIGINT  NOT NULL
);
CREATE INDEX load_tests_model ON load_tests (model, started_at);
