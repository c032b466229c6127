-- Incidents: opened or joined by firing alerts, worked on by people, resolved with a post-incident record (cause,
-- action, follow-ups as a JSON array of strings); the alerts each took (an alert belongs to one incident); the
-- timeline entries the incident itself records. Instants are epoch nanoseconds, as in V1.
CREATE TABLE incidents (
    id               TEXT    NOT NULL PRIMARY KEY,
    subject          TEXT    NOT NULL,
    model_version    TEXT    NOT NULL,
    state            TEXT    NOT NULL,
    title            TEXT    NOT NULL,
    owner            TEXT    NOT NULL,
    runbook          TEXT    NOT NULL,
    assignee         TEXT,
    opened_at        BIGINT  NOT NULL,
    acknowledged_at  BIGINT,
    acknowledged_by  TEXT,
    resolved_at      BIGINT,
    resolved_by      TEXT,
    cause            TEXT,
    action_taken     TEXT,
    follow_ups       TEXT,
    updated_at       BIGINT  NOT NULL
);
CREATE INDEX incidents_subject ON incidents (subject, state, opened_at);
CREATE INDEX incidents_opened ON incidents (opened_at);

CREATE TABLE incident_alerts (
    alert_id     TEXT    NOT NULL PRIMARY KEY,
    incident_id  TEXT    NOT NULL,
    linked_at    BIGINT  NOT NULL,
    seq          BIGINT  NOT NULL
);
CREATE INDEX incident_alerts_incident ON incident_alerts (incident_id, seq);

CREATE TABLE incident_entries (
    incident_id  TEXT    NOT NULL,
    at           BIGINT  NOT NULL,
    seq          BIGINT  NOT NULL,
    kind         TEXT    NOT NULL,
    actor        TEXT    NOT NULL,
    text         TEXT    NOT NULL,
    ref          TEXT
);
CREATE INDEX incident_entries_incident ON incident_entries (incident_id, at, seq);
