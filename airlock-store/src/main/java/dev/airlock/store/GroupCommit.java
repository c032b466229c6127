package dev.airlock.store;

import dev.airlock.decision.Decision;
import dev.airlock.decision.DecisionLog;
import dev.airlock.decision.DecisionQuery;
import dev.airlock.decision.UnstorableText;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Appends Decisions by group commit: callers hand a Decision to one writer thread and wait until the transaction
 * holding it has committed. Under load many Decisions share one commit, so durability does not cost a round trip
 * (and, on SQLite, a lock hand-over) per request; with no load a batch is one Decision and nothing waits.
 */
final class GroupCommit implements AutoCloseable, DecisionLog {
    private static final int MAX_BATCH = 256;
    private static final int MAX_WAITING = 16_384;

    private final DecisionTable table;
    private final BlockingQueue<Pending> waiting = new LinkedBlockingQueue<>(MAX_WAITING);
    private final Thread writer;
    private volatile boolean closed;

    record Pending(Decision decision, CompletableFuture<Void> committed) {}

    GroupCommit(DecisionTable table) {
        this.table = table;
        this.writer =
                Thread.ofPlatform().name("airlock-decision-writer").daemon().start(this::writeUntilClosed);
    }

    /**
     * Returns once the Decision is committed; throws what the database said if it could not be, and
     * {@link UnstorableText} at once, before it joins a batch, when it holds text no store can keep.
     */
    @Override
    public void append(Decision decision) {
        UnstorableText.requireStorable(decision);
        if (closed) {
            throw new IllegalStateException("the store is closed; Decision '" + decision.id() + "' was not recorded");
        }
        var pending = new Pending(decision, new CompletableFuture<>());
        try {
            if (!waiting.offer(pending, 10, TimeUnit.SECONDS)) {
                throw new IllegalStateException(
                        "the store is not keeping up; Decision '" + decision.id() + "' was not recorded");
            }
            pending.committed().join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted before Decision '" + decision.id() + "' was recorded", e);
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    private void writeUntilClosed() {
        List<Pending> batch = new ArrayList<>(MAX_BATCH);
        while (!closed || !waiting.isEmpty()) {
            try {
                Pending first = waiting.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                waiting.drainTo(batch, MAX_BATCH - 1);
                write(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                batch.clear();
            }
        }
    }

    private void write(List<Pending> batch) {
        writeIsolating(table, batch);
    }

    /**
     * Writes a batch in one transaction. When that fails, the batch is halved and each half written on its own, down
     * to single records, so that a record the database refuses fails alone and every other record of the batch
     * commits. Each transaction is sealed on its own, so the halves need nothing more.
     */
    static void writeIsolating(DecisionTable table, List<Pending> batch) {
        boolean[] inserted;
        try {
            inserted = table.insertAll(batch.stream().map(Pending::decision).toList());
        } catch (RuntimeException e) {
            if (batch.size() == 1) {
                batch.get(0).committed().completeExceptionally(e);
                return;
            }
            int half = batch.size() / 2;
            writeIsolating(table, batch.subList(0, half));
            writeIsolating(table, batch.subList(half, batch.size()));
            return;
        }
        for (int i = 0; i < batch.size(); i++) {
            Pending p = batch.get(i);
            if (inserted[i]) {
                p.committed().complete(null);
            } else {
                p.committed()
                        .completeExceptionally(new IllegalStateException("Decision '"
                                + p.decision().id() + "' is already recorded; a Decision is appended once"));
            }
        }
    }

    /** Commits what is waiting, then stops the writer. */
    @Override
    public void close() {
        closed = true;
        try {
            writer.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public Optional<Decision> findDecision(String id) {
        return table.find(id);
    }

    @Override
    public List<Decision> recentDecisions(String tenant, int limit) {
        return table.recent(tenant, limit);
    }

    @Override
    public void searchDecisions(DecisionQuery query, Predicate<Decision> visitor) {
        table.search(query, visitor);
    }
}
