-- Workflow runs, checkpointed after every step (times in epoch nanoseconds as in V1, cost in nano-dollars). A run is
-- held by one node at a time (owner, lease_until); a running run whose lease ended is taken over by another node.
CREATE TABLE workflow_runs (
    id              TEXT    NOT NULL PRIMARY KEY,
    tenant          TEXT    NOT NULL,
    key_id          TEXT    NOT NULL,
    role            TEXT    NOT NULL,
    workflow        TEXT    NOT NULL,
    status          TEXT    NOT NULL,
    input           TEXT    NOT NULL,
    subject         TEXT,
    pending         TEXT,
    detail          TEXT,
    steps           BIGINT  NOT NULL,
    tokens          BIGINT  NOT NULL,
    cost_nano_usd   BIGINT  NOT NULL,
    agents          TEXT    NOT NULL,
    trace_id        TEXT    NOT NULL,
    created_at      BIGINT  NOT NULL,
    updated_at      BIGINT  NOT NULL,
    ended_at        BIGINT,
    owner           TEXT,
    lease_until     BIGINT
);
CREATE INDEX workflow_runs_tenant ON workflow_runs (tenant, created_at);
CREATE INDEX workflow_runs_status ON workflow_runs (status);
CREATE INDEX workflow_runs_ended ON workflow_runs (ended_at) WHERE ended_at IS NOT NULL;

-- Each run's history, in order: its steps' checkpoints (step.completed with the step's output), approvals, the end.
CREATE TABLE workflow_events (
    run_id          TEXT    NOT NULL,
    seq             BIGINT  NOT NULL,
    at              BIGINT  NOT NULL,
    type            TEXT    NOT NULL,
    step            TEXT,
    detail          TEXT,
    data            TEXT,
    decision_id     TEXT,
    PRIMARY KEY (run_id, seq)
);

-- The workflow run and step a Decision was made for, or NULL outside workflows. Also in the record's canonical bytes
-- (format airlock.decision/5), so these columns are a search index like the others.
ALTER TABLE decisions ADD COLUMN workflow_run TEXT;
ALTER TABLE decisions ADD COLUMN workflow_step TEXT;
CREATE INDEX decisions_workflow_run ON decisions (workflow_run) WHERE workflow_run IS NOT NULL;
