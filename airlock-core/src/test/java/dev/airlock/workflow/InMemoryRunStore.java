package dev.airlock.workflow;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Runs in memory, for core tests; passes {@link RunStoreContract}. */
public final class InMemoryRunStore implements RunStore {
    private final Map<String, Run> runs = new LinkedHashMap<>();
    private final Map<String, List<RunEvent>> events = new LinkedHashMap<>();

    @Override
    public synchronized void create(Run run) {
        if (runs.putIfAbsent(run.id(), run) != null) {
            throw new IllegalStateException("run " + run.id() + " exists");
        }
    }

    @Override
    public synchronized Optional<Run> find(String id) {
        return Optional.ofNullable(runs.get(id));
    }

    @Override
    public synchronized List<Run> list(String tenant, int limit) {
        return runs.values().stream()
                .filter(r -> r.tenant().equals(tenant))
                .sorted(Comparator.comparing(Run::createdAt)
                        .thenComparing(Run::id)
                        .reversed())
                .limit(limit)
                .toList();
    }

    @Override
    public synchronized boolean save(Run run, Run.Status expected) {
        Run now = runs.get(run.id());
        if (now == null || now.status() != expected) {
            return false;
        }
        runs.put(run.id(), run);
        return true;
    }

    @Override
    public synchronized RunEvent append(RunEvent event) {
        List<RunEvent> list = events.computeIfAbsent(event.runId(), k -> new ArrayList<>());
        RunEvent stored = event.numbered(list.size() + 1);
        list.add(stored);
        return stored;
    }

    @Override
    public synchronized List<RunEvent> events(String runId, long afterSeq, int limit) {
        return events.getOrDefault(runId, List.of()).stream()
                .filter(e -> e.seq() > afterSeq)
                .limit(limit)
                .toList();
    }

    @Override
    public synchronized boolean claim(String runId, String node, Instant now, Instant until) {
        Run run = runs.get(runId);
        if (run == null || run.status() != Run.Status.RUNNING || !claimable(run, node, now)) {
            return false;
        }
        runs.put(runId, run.owned(node, until));
        return true;
    }

    @Override
    public synchronized List<String> claimable(String node, Instant now, int limit) {
        return runs.values().stream()
                .filter(r -> r.status() == Run.Status.RUNNING && claimable(r, node, now))
                .map(Run::id)
                .limit(limit)
                .toList();
    }

    private static boolean claimable(Run run, String node, Instant now) {
        return run.owner() == null
                || run.owner().equals(node)
                || run.leaseUntil() == null
                || run.leaseUntil().isBefore(now);
    }

    @Override
    public synchronized int prune(Instant before) {
        List<String> old = runs.values().stream()
                .filter(r -> r.endedAt() != null && r.endedAt().isBefore(before))
                .map(Run::id)
                .toList();
        old.forEach(id -> {
            runs.remove(id);
            events.remove(id);
        });
        return old.size();
    }
}
