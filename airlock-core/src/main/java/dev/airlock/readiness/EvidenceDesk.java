package dev.airlock.readiness;

import dev.airlock.audit.AdminAction;
import dev.airlock.audit.AdminEvents;
import dev.airlock.evidence.Evaluation;
import dev.airlock.evidence.LoadTestResult;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Records the evidence the readiness gate reads — drills, load tests, evaluations on production samples — and audits
 * each, so that every adapter (the CLI today, an API tomorrow) keeps evidence the same way and none can keep it
 * without the audit log knowing who did.
 */
public final class EvidenceDesk {
    private final EvidenceStore store;
    private final AdminEvents events;

    public EvidenceDesk(EvidenceStore store, AdminEvents events) {
        this.store = Objects.requireNonNull(store, "store");
        this.events = Objects.requireNonNull(events, "events");
    }

    /** Keeps a drill and audits its id, kind, verdict and the fault it injected, if any. */
    public Drill recordDrill(Drill drill, String actor) {
        store.recordDrill(drill);
        Map<String, String> details = new TreeMap<>();
        details.put("id", drill.id());
        details.put("kind", drill.kind());
        details.put("passed", Boolean.toString(drill.passed()));
        String fault = drill.details().get("fault");
        if (fault != null) {
            details.put("fault", fault);
        }
        events.record(AdminAction.DRILL_RECORDED, null, actor, drill.model(), details);
        return drill;
    }

    /** Keeps a load test's result and audits its id, load multiple and what was answered, shed and failed. */
    public LoadTestResult recordLoadTest(LoadTestResult result, String actor) {
        store.recordLoadTest(result);
        events.record(
                AdminAction.LOAD_TEST_RECORDED,
                null,
                actor,
                result.model(),
                Map.of(
                        "id", result.id(),
                        "version", result.modelVersion(),
                        "multiplier", Double.toString(result.multiplier()),
                        "ok", Long.toString(result.ok()),
                        "shed", Long.toString(result.shed()),
                        "errors", Long.toString(result.errors())));
        return result;
    }

    /** Keeps an evaluation on a production sample and audits its id, version and the sample it read. */
    public Evaluation recordEvaluation(Evaluation evaluation, String actor) {
        store.recordEvaluation(evaluation);
        events.record(
                AdminAction.EVALUATION_RECORDED,
                null,
                actor,
                evaluation.model(),
                Map.of(
                        "id", evaluation.id(),
                        "version", evaluation.modelVersion(),
                        "sample", evaluation.sample()));
        return evaluation;
    }
}
