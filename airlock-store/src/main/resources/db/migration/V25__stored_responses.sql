-- Stored responses of the Responses API, per tenant: the response as the caller got it and the conversation up to
-- it, kept as long as the model's retention keeps Decision content (expires_at, epoch nanoseconds as in V1; NULL
-- keeps it until deleted or erased). A response of a named data subject is encrypted under the subject's key
-- (subject_keys), and erasing the subject deletes it.
CREATE TABLE responses (
    id              TEXT    NOT NULL PRIMARY KEY,
    tenant          TEXT    NOT NULL,
    decision_id     TEXT    NOT NULL,
    model           TEXT    NOT NULL,
    created_at      BIGINT  NOT NULL,
    expires_at      BIGINT,
    subject_ref     TEXT,
    content_key_id  TEXT,
    body            TEXT    NOT NULL,
    conversation    TEXT    NOT NULL
);
CREATE INDEX responses_expiry ON responses (expires_at) WHERE expires_at IS NOT NULL;
CREATE INDEX responses_subject ON responses (subject_ref) WHERE subject_ref IS NOT NULL;
