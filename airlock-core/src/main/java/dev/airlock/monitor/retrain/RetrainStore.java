package dev.airlock.monitor.retrain;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** Port: retraining runs. SQLite, PostgreSQL and an in-memory one pass one suite. */
public interface RetrainStore {
    /**
     * Records a run that starts now, unless another run of the same model is still running (status {@code running}),
     * or started at or after {@code notBefore}: the cool-down. Checked and claimed in one step, so that two nodes (or
     * two alerts, or two operators) never both run one model's retraining at once.
     *
     * @param notBefore the start of the cool-down; null ignores the cool-down (never a running run)
     * @return whether the run was recorded (false: the model is running or cooling down)
     */
    boolean begin(RetrainRun run, @Nullable Instant notBefore);

    /**
     * Replaces a recorded run by its finished form.
     *
     * @throws java.util.NoSuchElementException if no run has its id
     */
    void finish(RetrainRun run);

    Optional<RetrainRun> findRun(String id);

    /** A model's runs, newest first. */
    List<RetrainRun> runs(String model, int limit);
}
