-- At most one running retraining run per model, across every node sharing the store: a second insert of a running
-- run for the model conflicts (the store answers "already running"). Runs left running twice before this rule are
-- ended as failed (the newest of each model stays).
UPDATE retrain_runs SET status = 'failed', ended_at = started_at,
    error = 'ended when one running run per model became the rule'
WHERE status = 'running'
  AND id NOT IN (SELECT MAX(id) FROM retrain_runs WHERE status = 'running' GROUP BY model);
CREATE UNIQUE INDEX retrain_runs_one_running ON retrain_runs (model) WHERE status = 'running';
