-- The W3C trace id of the trace each Decision ran in (32 hex digits), or NULL when tracing was off. It is also in the
-- record's canonical bytes (format airlock.decision/3), so this column is a search index like the others.
ALTER TABLE decisions ADD COLUMN trace_id TEXT;
