-- Deployments: which version of a model is production, canary or shadow; their history; shadow comparisons.
CREATE TABLE deployments (
    model        TEXT   NOT NULL PRIMARY KEY,
    production   TEXT   NOT NULL,
    canary       TEXT,
    canary_share TEXT,
    shadow       TEXT,
    aliases      TEXT   NOT NULL,
    updated_at   BIGINT NOT NULL
);

CREATE TABLE deployment_changes (
    id           TEXT   NOT NULL PRIMARY KEY,
    model        TEXT   NOT NULL,
    at           BIGINT NOT NULL,
    actor        TEXT   NOT NULL,
    action       TEXT   NOT NULL,
    from_version TEXT,
    to_version   TEXT,
    reason       TEXT   NOT NULL
);
CREATE INDEX deployment_changes_model ON deployment_changes (model, at);

CREATE TABLE shadow_comparisons (
    decision_id        TEXT    NOT NULL PRIMARY KEY,
    shadow_decision_id TEXT    NOT NULL,
    model              TEXT    NOT NULL,
    production_version TEXT,
    shadow_version     TEXT    NOT NULL,
    at                 BIGINT  NOT NULL,
    shadow_outcome     TEXT    NOT NULL,
    agreed             INTEGER NOT NULL,
    production_micros  BIGINT  NOT NULL,
    shadow_micros      BIGINT  NOT NULL,
    production_cost    BIGINT,
    shadow_cost        BIGINT
);
CREATE INDEX shadow_comparisons_model ON shadow_comparisons (model, shadow_version, at);
