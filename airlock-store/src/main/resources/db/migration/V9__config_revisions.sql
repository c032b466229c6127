-- Configurations applied with airlock apply: what was written, by whom, when.
CREATE TABLE config_revisions (
    id     TEXT   NOT NULL PRIMARY KEY,
    at     BIGINT NOT NULL,
    actor  TEXT   NOT NULL,
    sha256 TEXT   NOT NULL,
    body   TEXT   NOT NULL
);
CREATE INDEX config_revisions_at ON config_revisions (at);
