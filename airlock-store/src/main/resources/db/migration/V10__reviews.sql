-- Answers held for human review: what was held, for whom, and how it was decided.
CREATE TABLE reviews (
    id            TEXT   NOT NULL PRIMARY KEY,
    decision_id   TEXT   NOT NULL,
    tenant        TEXT   NOT NULL,
    key_id        TEXT,
    model         TEXT,
    model_version TEXT,
    reasons       TEXT   NOT NULL,
    input         TEXT,
    output        TEXT,
    answer_body   TEXT,
    callback_url  TEXT,
    created_at    BIGINT NOT NULL,
    due_at        BIGINT NOT NULL,
    state         TEXT   NOT NULL,
    claimed_by    TEXT,
    decided_by    TEXT,
    comment       TEXT,
    final_body    TEXT,
    decided_at    BIGINT,
    escalated_at  BIGINT
);
CREATE INDEX reviews_tenant ON reviews (tenant, state, created_at);
CREATE INDEX reviews_due ON reviews (state, due_at);
