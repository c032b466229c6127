-- What each serving node can serve: its model versions (JSON object of model -> list of versions), its last heartbeat
-- (epoch nanoseconds) and its build. Promotion refuses a version a live node (a recent heartbeat) cannot serve.
CREATE TABLE serving_nodes (
    node            TEXT    NOT NULL PRIMARY KEY,
    versions        TEXT    NOT NULL,
    heartbeat_at    BIGINT  NOT NULL,
    airlock_version TEXT
);
CREATE INDEX serving_nodes_heartbeat ON serving_nodes (heartbeat_at);

-- The build of Airlock that made each Decision (e.g. "0.1.0 (abc1234)"), or NULL for Decisions recorded before. It is
-- also in the record's canonical bytes (format airlock.decision/4).
ALTER TABLE decisions ADD COLUMN airlock_version TEXT;
