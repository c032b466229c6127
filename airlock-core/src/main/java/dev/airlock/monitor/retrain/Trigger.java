package dev.airlock.monitor.retrain;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * What retrains a model: a command run with the extract, or a webhook told where it is. Implemented in the server
 * (processes and HTTP are not core's); a trigger never throws for the other side's failure, it answers {@link
 * Result.Failed}.
 */
public interface Trigger {
    /** {@code command} or {@code webhook}, as recorded. */
    String kind();

    /** Runs the trigger once, within its own bounded time. */
    Result run(Call call);

    /**
     * The longest a run of this trigger takes (its timeout, with retries): a run recorded as running well past it
     * was abandoned by a node that stopped.
     */
    default Duration bound() {
        return Duration.ofDays(1);
    }

    /**
     * What a trigger is given.
     *
     * @param extract the data extract (CSV with a header row: decision id, version, features, label)
     * @param directory the run's own directory, where the extract is and a trainer may write its artifact
     */
    record Call(
            String runId,
            String model,
            String version,
            String reason,
            @Nullable Double value,
            @Nullable Double threshold,
            Instant windowFrom,
            Instant windowTo,
            Path extract,
            int extractRows,
            Path directory) {}

    /** How a trigger answered. */
    sealed interface Result {
        /**
         * It ran and said it was done.
         *
         * @param status the exit code (0) or the HTTP status
         * @param candidate the version it reported, or null when it reported none
         */
        record Succeeded(
                int status, String outputTail, @Nullable Candidate candidate) implements Result {}

        /** It did not finish well: a non-zero exit, a timeout, an HTTP error after its retries, an unreadable answer. */
        record Failed(@Nullable Integer status, String outputTail, String error) implements Result {}
    }
}
