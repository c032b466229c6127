-- Ground truth after go-live: what each answered prediction said, kept whatever the model's content retention (no
-- features except the model's declared monitored attributes), and the true outcome joined to it later. Probabilities
-- as text decimals (exact round trip of a double), instants as epoch nanoseconds, lists and maps as JSON text, as in V1.
CREATE TABLE predictions (
    decision_id          TEXT    NOT NULL PRIMARY KEY,
    tenant               TEXT    NOT NULL,
    model                TEXT    NOT NULL,
    model_version        TEXT    NOT NULL,
    at                   BIGINT  NOT NULL,
    predicted            TEXT    NOT NULL,
    classes              TEXT    NOT NULL,
    positive_class       TEXT    NOT NULL,
    positive_probability TEXT    NOT NULL,
    attributes           TEXT    NOT NULL,
    label                TEXT,
    labelled_at          BIGINT
);
CREATE INDEX predictions_model_at ON predictions (model, at);

-- What people said about a Decision's answer (any kind, chat included).
CREATE TABLE decision_feedback (
    id           TEXT    NOT NULL PRIMARY KEY,
    decision_id  TEXT    NOT NULL,
    tenant       TEXT    NOT NULL,
    at           BIGINT  NOT NULL,
    actor        TEXT    NOT NULL,
    score        INTEGER,
    rating       INTEGER,
    flag         TEXT,
    comment      TEXT
);
CREATE INDEX decision_feedback_decision ON decision_feedback (decision_id, at);
