-- Alerts: rules breached by a model version (or an installation subject), their history, the notifications queued
-- for each channel (retried, then kept as dead letters), silences, and the lease that lets one node evaluate for all.
-- Instants are epoch nanoseconds, as in V1; readings are text so that both databases keep a double exactly.
CREATE TABLE alerts (
    id               TEXT    NOT NULL PRIMARY KEY,
    rule             TEXT    NOT NULL,
    model            TEXT    NOT NULL,
    model_version    TEXT    NOT NULL,
    state            TEXT    NOT NULL,
    value            TEXT    NOT NULL,
    threshold        TEXT    NOT NULL,
    summary          TEXT    NOT NULL,
    active_since     BIGINT  NOT NULL,
    fired_at         BIGINT,
    resolved_at      BIGINT,
    notified_at      BIGINT,
    escalated_at     BIGINT,
    acknowledged_at  BIGINT,
    acknowledged_by  TEXT,
    updated_at       BIGINT  NOT NULL
);
CREATE INDEX alerts_state ON alerts (state, updated_at);

CREATE TABLE alert_changes (
    alert_id    TEXT    NOT NULL,
    from_state  TEXT,
    to_state    TEXT    NOT NULL,
    value       TEXT    NOT NULL,
    actor       TEXT    NOT NULL,
    at          BIGINT  NOT NULL
);
CREATE INDEX alert_changes_alert ON alert_changes (alert_id, at);

CREATE TABLE alert_notifications (
    id               TEXT    NOT NULL PRIMARY KEY,
    alert_id         TEXT    NOT NULL,
    channel          TEXT    NOT NULL,
    stage            TEXT    NOT NULL,
    recipients       TEXT    NOT NULL,
    status           TEXT    NOT NULL,
    attempts         INTEGER NOT NULL,
    next_attempt_at  BIGINT  NOT NULL,
    last_error       TEXT,
    created_at       BIGINT  NOT NULL,
    sent_at          BIGINT
);
CREATE INDEX alert_notifications_due ON alert_notifications (status, next_attempt_at);
CREATE INDEX alert_notifications_alert ON alert_notifications (alert_id, created_at);

CREATE TABLE alert_silences (
    id          TEXT    NOT NULL PRIMARY KEY,
    model       TEXT,
    rule        TEXT,
    starts_at   BIGINT  NOT NULL,
    ends_at     BIGINT  NOT NULL,
    reason      TEXT    NOT NULL,
    created_by  TEXT    NOT NULL,
    created_at  BIGINT  NOT NULL
);

-- One row: the node that evaluates alerts, until expires_at.
CREATE TABLE alert_lease (
    name        TEXT    NOT NULL PRIMARY KEY,
    holder      TEXT    NOT NULL,
    expires_at  BIGINT  NOT NULL
);
