package dev.airlock.monitor.retrain;

import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One retraining run: why it started, what it was given, how its trigger answered and the candidate it reported.
 *
 * @param reason what started it: the alert rule ({@code drift}, {@code accuracy}) or {@code manual}
 * @param alertId the alert that started it, or null
 * @param value the reading that crossed the threshold (null when started by hand)
 * @param threshold the threshold it crossed (null when started by hand)
 * @param windowFrom the extract holds predictions made at or after this instant
 * @param windowTo and before this one
 * @param trigger {@code command} or {@code webhook}
 * @param actor who started it: {@code airlock} for an alert, else the admin key or CLI user
 * @param exitStatus the command's exit code or the webhook's HTTP status, once known
 * @param outputTail the last lines the command printed, or the start of the webhook's answer
 * @param extractRows rows in the data extract
 * @param candidate the version the trigger reported, once registered
 * @param error why the run failed, in words fit to show
 */
public record RetrainRun(
        String id,
        String model,
        String version,
        String reason,
        @Nullable String alertId,
        @Nullable Double value,
        @Nullable Double threshold,
        Instant windowFrom,
        Instant windowTo,
        String trigger,
        String actor,
        Status status,
        Instant startedAt,
        @Nullable Instant endedAt,
        @Nullable Integer exitStatus,
        String outputTail,
        int extractRows,
        @Nullable Candidate candidate,
        @Nullable String error) {

    public RetrainRun {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(outputTail, "outputTail");
    }

    /** Where a run is. */
    public enum Status {
        RUNNING,
        SUCCEEDED,
        FAILED;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Status parse(String id) {
            return valueOf(id.toUpperCase(Locale.ROOT));
        }
    }

    RetrainRun withExtract(int rows) {
        return new RetrainRun(
                id,
                model,
                version,
                reason,
                alertId,
                value,
                threshold,
                windowFrom,
                windowTo,
                trigger,
                actor,
                status,
                startedAt,
                endedAt,
                exitStatus,
                outputTail,
                rows,
                candidate,
                error);
    }

    RetrainRun succeeded(Instant at, @Nullable Integer status, String output, @Nullable Candidate made) {
        return ended(Status.SUCCEEDED, at, status, output, made, null);
    }

    RetrainRun failed(Instant at, @Nullable Integer status, String output, String why) {
        return ended(Status.FAILED, at, status, output, null, why);
    }

    private RetrainRun ended(
            Status end,
            Instant at,
            @Nullable Integer status,
            String output,
            @Nullable Candidate made,
            @Nullable String why) {
        return new RetrainRun(
                id,
                model,
                version,
                reason,
                alertId,
                value,
                threshold,
                windowFrom,
                windowTo,
                trigger,
                actor,
                end,
                startedAt,
                at,
                status,
                output,
                extractRows,
                made,
                why);
    }
}
