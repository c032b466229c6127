package dev.airlock.deploy;

import dev.airlock.evidence.Evaluation;
import dev.airlock.evidence.LoadTestResult;
import dev.airlock.readiness.Drill;
import dev.airlock.readiness.EvidenceStore;
import dev.airlock.readiness.Waiver;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** Readiness evidence kept in memory, for fast unit tests of the use cases. */
final class InMemoryEvidence implements EvidenceStore {
    private final List<LoadTestResult> loadTests = new ArrayList<>();
    private final List<Drill> drills = new ArrayList<>();
    private final List<Evaluation> evaluations = new ArrayList<>();
    private final List<Waiver> waivers = new ArrayList<>();

    @Override
    public synchronized void recordLoadTest(LoadTestResult result) {
        loadTests.add(result);
    }

    @Override
    public synchronized List<LoadTestResult> loadTests(String model) {
        return of(loadTests, LoadTestResult::model, model);
    }

    @Override
    public synchronized void recordDrill(Drill drill) {
        drills.add(drill);
    }

    @Override
    public synchronized List<Drill> drills(String model) {
        return of(drills, Drill::model, model);
    }

    @Override
    public synchronized void recordEvaluation(Evaluation evaluation) {
        evaluations.add(evaluation);
    }

    @Override
    public synchronized List<Evaluation> evaluations(String model) {
        return of(evaluations, Evaluation::model, model);
    }

    @Override
    public synchronized void recordWaiver(Waiver waiver) {
        waivers.add(waiver);
    }

    @Override
    public synchronized List<Waiver> waivers(String model) {
        return of(waivers, Waiver::model, model);
    }

    private static <T> List<T> of(List<T> all, Function<T, String> model, String wanted) {
        return all.stream().filter(t -> model.apply(t).equals(wanted)).toList();
    }
}
