-- A held review of a call that named a data subject keeps its input, output and answers encrypted under that
-- subject's key (subject_keys, as Decision content is), so erasing the subject erases them too.
ALTER TABLE reviews ADD COLUMN subject_ref TEXT;
ALTER TABLE reviews ADD COLUMN content_key_id TEXT;
CREATE INDEX reviews_subject ON reviews (subject_ref) WHERE subject_ref IS NOT NULL;
-- At most one live key per subject: writers that may make one hold the chain lock, and this holds them to it.
CREATE UNIQUE INDEX subject_keys_live ON subject_keys (subject_ref) WHERE erased_at IS NULL;
