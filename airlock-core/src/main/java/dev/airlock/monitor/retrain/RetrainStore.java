package dev.airlock.monitor.retrain;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** Port: retraining runs. SQLite, PostgreSQL and an in-memory one pass one suite. */
public interface RetrainStore {
    /**
     * Records a run that starts now, unless another run of the same model started at or after {@code notBefore}: the
     * cool-down, checked and claimed in one step so that two nodes (or two alerts) never both start one.
     *
     * @param notBefore the start of the cool-down; null records the run whatever ran before
     * @return whether the run was recorded (false: the model is cooling down)
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
