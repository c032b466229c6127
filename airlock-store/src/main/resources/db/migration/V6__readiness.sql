-- Readiness evidence: drills (fallback, rollback) and admins' waivers of failed checks.
CREATE TABLE drills (
    id      TEXT    NOT NULL PRIMARY KEY,
    kind    TEXT    NOT NULL,
    model   TEXT    NOT NULL,
    at      BIGINT  NOT NULL,
    passed  INTEGER NOT NULL,
    details TEXT    NOT NULL
);
CREATE INDEX drills_model ON drills (model, at);

CREATE TABLE readiness_waivers (
    model         TEXT   NOT NULL,
    check_id      TEXT   NOT NULL,
    justification TEXT   NOT NULL,
    actor         TEXT   NOT NULL,
    at            BIGINT NOT NULL
);
CREATE INDEX readiness_waivers_model ON readiness_waivers (model, at);
