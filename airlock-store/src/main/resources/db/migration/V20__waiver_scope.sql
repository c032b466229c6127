-- A waiver is for one model version and expires. Waivers recorded before keep no version (they count on the
-- model's scorecard only, never on a version's) and expire 30 days after they were given (nanoseconds).
ALTER TABLE readiness_waivers ADD COLUMN model_version TEXT;
ALTER TABLE readiness_waivers ADD COLUMN expires_at BIGINT;
UPDATE readiness_waivers SET expires_at = at + 2592000000000000;
