-- Each audit record's canonical bytes: exactly what its leaf hash covers (dev.airlock.audit.AuditHash). A record is
-- these bytes; Airlock reads Decisions and events from them, and the other columns index them for search.
-- `airlock audit verify` hashes these bytes alone (fast); `--deep` also checks that the columns agree with them.
-- ${blob} is BLOB on SQLite and BYTEA on PostgreSQL. Rows written before this version are filled in when a store
-- opens (from their columns, which their stored hashes still check).
ALTER TABLE decisions ADD COLUMN canonical ${blob};
ALTER TABLE audit_events ADD COLUMN canonical ${blob};
-- Empty once every row has its bytes; it lets opening a store find the rows still to fill without a scan.
CREATE INDEX decisions_without_canonical ON decisions (id) WHERE canonical IS NULL;
CREATE INDEX audit_events_without_canonical ON audit_events (id) WHERE canonical IS NULL;
-- The verifier reads kept content only where there is some.
CREATE INDEX decisions_with_content ON decisions (seq) WHERE content IS NOT NULL;
