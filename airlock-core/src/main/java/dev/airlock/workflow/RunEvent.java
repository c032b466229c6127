package dev.airlock.workflow;

import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One entry of a run's history, in order ({@code seq} from 1): what happened at which step, with what came out and
 * the Decision that recorded the call. A step's {@code step.completed} entry is its checkpoint: a run resumed after
 * a restart replays it instead of calling again.
 *
 * @param type e.g. {@code run.started}, {@code step.started}, {@code step.completed}, {@code approval.requested},
 *     {@code approval.granted}, {@code run.completed}
 * @param step the step's key, or null for the run as a whole
 * @param data what the step produced (JSON text), or null
 * @param decisionId the Decision of the call, or null
 */
public record RunEvent(
        String runId,
        long seq,
        Instant at,
        String type,
        @Nullable String step,
        @Nullable String detail,
        @Nullable String data,
        @Nullable String decisionId) {
    public RunEvent {
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(type, "type");
    }

    RunEvent numbered(long n) {
        return new RunEvent(runId, n, at, type, step, detail, data, decisionId);
    }
}
