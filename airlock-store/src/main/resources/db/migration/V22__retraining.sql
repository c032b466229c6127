-- Retraining runs: why each started (an alert's rule and reading, or by hand), the extract's window and size, how the
-- trigger answered (exit code or HTTP status, the tail of its output) and the candidate version it registered.
-- Instants are epoch nanoseconds and readings text, as in V18; metrics a JSON object as text.
CREATE TABLE retrain_runs (
    id                   TEXT    NOT NULL PRIMARY KEY,
    model                TEXT    NOT NULL,
    model_version        TEXT    NOT NULL,
    reason               TEXT    NOT NULL,
    alert_id             TEXT,
    value                TEXT,
    threshold            TEXT,
    window_from          BIGINT  NOT NULL,
    window_to            BIGINT  NOT NULL,
    trigger_kind         TEXT    NOT NULL,
    actor                TEXT    NOT NULL,
    status               TEXT    NOT NULL,
    started_at           BIGINT  NOT NULL,
    ended_at             BIGINT,
    exit_status          INTEGER,
    output_tail          TEXT    NOT NULL,
    extract_rows         INTEGER NOT NULL,
    candidate_version    TEXT,
    candidate_artifact   TEXT,
    candidate_sha256     TEXT,
    candidate_metrics    TEXT,
    candidate_registration TEXT,
    error                TEXT
);
CREATE INDEX retrain_runs_model ON retrain_runs (model, started_at);
