-- The audit chain: each Decision's position and hash link (dev.airlock.audit.AuditHash). Positions run 1, 2, 3, ...
-- without gaps; record_hash = SHA-256(0x01 || prev_hash || leaf hash of the Decision).
ALTER TABLE decisions ADD COLUMN seq BIGINT;
ALTER TABLE decisions ADD COLUMN prev_hash TEXT;
ALTER TABLE decisions ADD COLUMN record_hash TEXT;
CREATE UNIQUE INDEX decisions_seq ON decisions (seq);
