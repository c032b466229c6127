package dev.airlock.monitor.outcome;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/** Kept predictions and feedback in memory, for core's tests; passes {@link OutcomeStoreContract}. */
public final class InMemoryOutcomeStore implements OutcomeStore {
    private final Map<String, KeptPrediction> predictions = new LinkedHashMap<>();
    private final List<Feedback> feedback = new ArrayList<>();

    @Override
    public synchronized void keep(KeptPrediction prediction) {
        if (predictions.putIfAbsent(prediction.decisionId(), prediction) != null) {
            throw new IllegalStateException("a prediction is already kept for decision " + prediction.decisionId());
        }
    }

    @Override
    public synchronized Optional<KeptPrediction> findPrediction(String decisionId) {
        return Optional.ofNullable(predictions.get(decisionId));
    }

    @Override
    public synchronized @Nullable String setLabel(String decisionId, String label, Instant at) {
        KeptPrediction kept = predictions.get(decisionId);
        if (kept == null) {
            throw new NoSuchElementException("no prediction is kept for decision " + decisionId);
        }
        predictions.put(decisionId, kept.labelled(label, at));
        return kept.label();
    }

    @Override
    public void forEachPrediction(
            String model, @Nullable String version, Instant from, Instant to, Consumer<KeptPrediction> visitor) {
        List<KeptPrediction> found;
        synchronized (this) {
            found = predictions.values().stream()
                    .filter(p -> p.model().equals(model))
                    .filter(p -> version == null || version.equals(p.modelVersion()))
                    .filter(p -> !p.at().isBefore(from) && p.at().isBefore(to))
                    .sorted(Comparator.comparing(KeptPrediction::at).thenComparing(KeptPrediction::decisionId))
                    .toList();
        }
        found.forEach(visitor);
    }

    @Override
    public synchronized void recordFeedback(Feedback given) {
        feedback.add(given);
    }

    @Override
    public synchronized List<Feedback> feedback(String decisionId) {
        return feedback.stream().filter(f -> f.decisionId().equals(decisionId)).toList();
    }
}
