package dev.airlock.monitor.retrain;

import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** Retraining runs in memory, for core's tests; passes {@link RetrainStoreContract}. */
public final class InMemoryRetrainStore implements RetrainStore {
    private final Map<String, RetrainRun> runs = new LinkedHashMap<>();

    @Override
    public synchronized boolean begin(RetrainRun run, @Nullable Instant notBefore) {
        boolean cooling = notBefore != null
                && runs.values().stream()
                        .anyMatch(r ->
                                r.model().equals(run.model()) && !r.startedAt().isBefore(notBefore));
        boolean running = runs.values().stream()
                .anyMatch(r -> r.model().equals(run.model()) && r.status() == RetrainRun.Status.RUNNING);
        if (cooling || running) {
            return false;
        }
        if (runs.putIfAbsent(run.id(), run) != null) {
            throw new IllegalStateException("a retraining run " + run.id() + " is already recorded");
        }
        return true;
    }

    @Override
    public synchronized void finish(RetrainRun run) {
        if (!runs.containsKey(run.id())) {
            throw new NoSuchElementException("no retraining run " + run.id());
        }
        runs.put(run.id(), run);
    }

    @Override
    public synchronized Optional<RetrainRun> findRun(String id) {
        return Optional.ofNullable(runs.get(id));
    }

    @Override
    public synchronized List<RetrainRun> runs(String model, int limit) {
        return runs.values().stream()
                .filter(r -> r.model().equals(model))
                .sorted(Comparator.comparing(RetrainRun::startedAt)
                        .thenComparing(RetrainRun::id)
                        .reversed())
                .limit(limit)
                .toList();
    }
}
