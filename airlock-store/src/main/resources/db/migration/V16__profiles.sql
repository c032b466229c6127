-- Profiles of model versions' inputs and outputs (dev.airlock.monitor). ${blob} is BLOB on SQLite and BYTEA on
-- PostgreSQL; a profile is stored as Profile.toBytes().

-- Each node's partial of each window: a flush merges into its node's row, a read merges the rows of every node.
-- window_start is epoch milliseconds.
CREATE TABLE profile_partials (
    model         TEXT    NOT NULL,
    version       TEXT    NOT NULL,
    window_start  BIGINT  NOT NULL,
    node          TEXT    NOT NULL,
    profile       ${blob} NOT NULL,
    PRIMARY KEY (model, version, window_start, node)
);

-- One reference profile per model version (from its training or validation data).
CREATE TABLE profile_references (
    model    TEXT    NOT NULL,
    version  TEXT    NOT NULL,
    profile  ${blob} NOT NULL,
    PRIMARY KEY (model, version)
);
