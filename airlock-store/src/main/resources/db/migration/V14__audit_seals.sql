-- Seals: each batch of audit records (a group commit of Decisions, or one event) is sealed in the transaction that
-- writes it, by a MAC under a secret derived from the signing key (dev.airlock.audit.Seal). Rows written without the
-- key (by someone with write access to the database alone) have no seal, and no checkpoint is signed over them.
-- Rows written before this version have none either: their checkpoints cover them.
CREATE TABLE audit_seals (
    first_seq BIGINT NOT NULL PRIMARY KEY,
    last_seq  BIGINT NOT NULL,
    prev_link TEXT   NOT NULL,
    last_link TEXT   NOT NULL,
    sealed_at BIGINT NOT NULL,
    key_id    TEXT   NOT NULL,
    mac       TEXT   NOT NULL
);
CREATE INDEX audit_seals_last ON audit_seals (last_seq);

-- The tree size of the checkpoint each one extends (signed with it, airlock.checkpoint/2), so a deleted checkpoint
-- shows as a gap; null for checkpoints signed before this version.
ALTER TABLE audit_checkpoints ADD COLUMN previous_size BIGINT;
