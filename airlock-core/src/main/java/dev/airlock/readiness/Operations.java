package dev.airlock.readiness;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What running a model in production takes, as declared for it: who answers for it, how to reach them, what to do
 * when it misbehaves, and the limits that define misbehaving.
 *
 * @param owner the named owner (a person or team)
 * @param contact how to reach the owner on call
 * @param escalation who to go to next, in order
 * @param runbook where the runbook is
 * @param thresholds the alert thresholds
 * @param fallback what callers get when the model cannot answer (besides the route's fallback targets)
 * @param dataClasses the data classes the model processes, e.g. personal, financial
 * @param reviewRule which outputs a person reviews before they affect customers
 */
public record Operations(
        String owner,
        @Nullable String contact,
        List<String> escalation,
        @Nullable String runbook,
        @Nullable Thresholds thresholds,
        @Nullable String fallback,
        List<String> dataClasses,
        @Nullable String reviewRule) {
    public Operations {
        escalation = escalation == null ? List.of() : List.copyOf(escalation);
        dataClasses = dataClasses == null ? List.of() : List.copyOf(dataClasses);
    }

    /** Alert thresholds; a null one is not set. */
    public record Thresholds(
            Double latencyP99Millis, Double errorRate, Double drift, Double accuracy, BigDecimal costPerDayUsd) {
        public List<String> missing() {
            List<String> missing = new ArrayList<>();
            if (latencyP99Millis == null) {
                missing.add("latency_p99_ms");
            }
            if (errorRate == null) {
                missing.add("error_rate");
            }
            if (drift == null) {
                missing.add("drift");
            }
            if (accuracy == null) {
                missing.add("accuracy");
            }
            if (costPerDayUsd == null) {
                missing.add("cost_per_day_usd");
            }
            return missing;
        }
    }
}
