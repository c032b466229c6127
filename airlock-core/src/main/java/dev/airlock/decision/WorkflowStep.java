package dev.airlock.decision;

import java.util.Objects;

/**
 * The workflow run and step a Decision was made for: a model or tool call inside a run is its own Decision, and this
 * link joins it to the run's history (and the run's history to the audit log).
 *
 * @param runId the run, e.g. {@code run_01J...}
 * @param step the step's key within the run: its id, with the iteration of each loop it runs in (e.g.
 *     {@code retry#2/fetch})
 */
public record WorkflowStep(String runId, String step) {
    public WorkflowStep {
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(step, "step");
    }
}
