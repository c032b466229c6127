package dev.airlock.readiness;

import dev.airlock.evidence.Evaluation;
import dev.airlock.evidence.LoadTestResult;
import java.util.List;

/** Where readiness evidence is kept: load tests, drills, evaluations on production samples and waivers. */
public interface EvidenceStore {
    /** Keeps a load test's result as evidence. */
    void recordLoadTest(LoadTestResult result);

    /** A model's load test results, oldest first. */
    List<LoadTestResult> loadTests(String model);

    /** Keeps a drill's result as readiness evidence. */
    void recordDrill(Drill drill);

    /** A model's drills, oldest first. */
    List<Drill> drills(String model);

    /** Keeps an evaluation on a production sample as readiness evidence. */
    void recordEvaluation(Evaluation evaluation);

    /** A model's evaluations, oldest first. */
    List<Evaluation> evaluations(String model);

    /** Keeps an admin's waiver of a failed readiness check (audit it too). */
    void recordWaiver(Waiver waiver);

    /** A model's waivers, oldest first. */
    List<Waiver> waivers(String model);
}
