-- Evaluations on raw production samples (airlock evaluate): readiness evidence. Ratios as text decimals.
CREATE TABLE evaluations (
    id                  TEXT   NOT NULL PRIMARY KEY,
    model               TEXT   NOT NULL,
    model_version       TEXT,
    at                  BIGINT NOT NULL,
    sample              TEXT   NOT NULL,
    rows_total          BIGINT NOT NULL,
    rows_scored         BIGINT NOT NULL,
    accuracy            TEXT   NOT NULL,
    auc                 TEXT   NOT NULL,
    poc_accuracy        TEXT,
    production_discount TEXT,
    adjusted_accuracy   TEXT,
    kpi_baseline        TEXT,
    monthly_value_usd   TEXT
);
CREATE INDEX evaluations_model ON evaluations (model, at);
