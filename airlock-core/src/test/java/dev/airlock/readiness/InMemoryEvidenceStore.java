package dev.airlock.readiness;

import dev.airlock.evidence.Evaluation;
import dev.airlock.evidence.LoadTestResult;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;

/** Readiness evidence in lists, for core tests; passes {@link EvidenceStoreContract}. */
public final class InMemoryEvidenceStore implements EvidenceStore {
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
        return ofModel(loadTests, LoadTestResult::model, LoadTestResult::startedAt, model);
    }

    @Override
    public synchronized void recordDrill(Drill drill) {
        drills.add(drill);
    }

    @Override
    public synchronized List<Drill> drills(String model) {
        return ofModel(drills, Drill::model, Drill::at, model);
    }

    @Override
    public synchronized void recordEvaluation(Evaluation evaluation) {
        evaluations.add(evaluation);
    }

    @Override
    public synchronized List<Evaluation> evaluations(String model) {
        return ofModel(evaluations, Evaluation::model, Evaluation::at, model);
    }

    @Override
    public synchronized void recordWaiver(Waiver waiver) {
        waivers.add(waiver);
    }

    @Override
    public synchronized List<Waiver> waivers(String model) {
        return ofModel(waivers, Waiver::model, Waiver::at, model);
    }

    /** A model's evidence, oldest first; a stable sort keeps recording order among equal instants. */
    private static <T> List<T> ofModel(
            List<T> all, Function<T, String> modelOf, Function<T, Instant> atOf, String model) {
        return all.stream()
                .filter(e -> model.equals(modelOf.apply(e)))
                .sorted(Comparator.comparing(atOf))
                .toList();
    }
}
