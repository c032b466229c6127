-- The audit log grows up: stored leaf hashes (for Merkle inclusion proofs), content kept under each model's retention
-- policy, administrative events in the same chain, signed checkpoints, their public keys, and per-subject keys for
-- crypto-shredding. Chain hashing changed with this version (dev.airlock.audit.AuditHash, decision/2, link prefix
-- 0x02): a log written before it does not verify and should be started afresh.

ALTER TABLE decisions ADD COLUMN leaf_hash TEXT;
-- The stored form of the kept input and output: {"input":..,"output":..} as JSON, or "enc:v1:<key id>:<base64>"
-- (AES-256-GCM under the subject's key). Null when only digests are kept, or after the retention purge.
ALTER TABLE decisions ADD COLUMN content TEXT;
-- SHA-256 of content as first written; the chain commits to it, so a purge or erasure leaves the chain intact.
ALTER TABLE decisions ADD COLUMN content_sha256 TEXT;
-- kept | purged | erased; null when only digests are kept.
ALTER TABLE decisions ADD COLUMN content_state TEXT;
ALTER TABLE decisions ADD COLUMN content_expires_at BIGINT;
-- SHA-256 of the tenant and subject id the request named (never the id itself); nulled at erasure.
ALTER TABLE decisions ADD COLUMN subject_ref TEXT;
-- Partial indexes: most Decisions name no subject and keep no content, and need no index entry.
CREATE INDEX decisions_subject ON decisions (subject_ref) WHERE subject_ref IS NOT NULL;
CREATE INDEX decisions_content_expiry ON decisions (content_expires_at) WHERE content_expires_at IS NOT NULL;

CREATE TABLE audit_events (
    id          TEXT   NOT NULL PRIMARY KEY,
    at          BIGINT NOT NULL,
    tenant      TEXT,
    actor       TEXT   NOT NULL,
    action      TEXT   NOT NULL,
    target      TEXT,
    details     TEXT   NOT NULL,
    seq         BIGINT NOT NULL,
    leaf_hash   TEXT   NOT NULL,
    prev_hash   TEXT   NOT NULL,
    record_hash TEXT   NOT NULL
);
CREATE UNIQUE INDEX audit_events_seq ON audit_events (seq);
CREATE INDEX audit_events_tenant_at ON audit_events (tenant, at);

-- frontier: the roots of the complete Merkle subtrees at tree_size, largest first, comma-separated hex.
CREATE TABLE audit_checkpoints (
    tree_size BIGINT NOT NULL PRIMARY KEY,
    root      TEXT   NOT NULL,
    head      TEXT   NOT NULL,
    signed_at BIGINT NOT NULL,
    key_id    TEXT   NOT NULL,
    signature TEXT   NOT NULL,
    frontier  TEXT   NOT NULL
);

CREATE TABLE audit_signing_keys (
    key_id     TEXT   NOT NULL PRIMARY KEY,
    public_key TEXT   NOT NULL,
    created_at BIGINT NOT NULL,
    retired_at BIGINT
);

-- One AES-256 key per data subject and tenant; key_material (base64) is destroyed at erasure. A subject seen again
-- after erasure gets a new key.
CREATE TABLE subject_keys (
    key_id       TEXT   NOT NULL PRIMARY KEY,
    subject_ref  TEXT   NOT NULL,
    tenant       TEXT   NOT NULL,
    key_material TEXT,
    created_at   BIGINT NOT NULL,
    erased_at    BIGINT
);
CREATE INDEX subject_keys_subject ON subject_keys (subject_ref, erased_at);

-- The subject key that encrypts content (subject_keys.key_id), or null.
ALTER TABLE decisions ADD COLUMN content_key_id TEXT;

-- Cost at the answering provider's prices, in nano-dollars (exact sums in SQL); null when unpriced.
ALTER TABLE decisions ADD COLUMN cost_nano_usd BIGINT;
ALTER TABLE decisions ADD COLUMN cached_input_tokens BIGINT NOT NULL DEFAULT 0;
CREATE INDEX decisions_tenant_cost ON decisions (tenant, started_at, cost_nano_usd);
CREATE INDEX decisions_key_started ON decisions (key_id, started_at);
