package dev.airlock.workflow;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where workflow runs are checkpointed: the run's row and its append-only history. Shared by every node, so a run
 * waiting for a person can be approved on any node, and a running run whose node died is taken over.
 */
public interface RunStore {
    /** Records a new run. */
    void create(Run run);

    Optional<Run> find(String id);

    /** The tenant's runs, newest first. */
    List<Run> list(String tenant, int limit);

    /**
     * Checkpoints the run's row when its status is still {@code expected}: a run cancelled or taken over meanwhile is
     * not overwritten.
     *
     * @return whether it was saved
     */
    boolean save(Run run, Run.Status expected);

    /**
     * Appends an entry to the run's history with the next sequence number (its {@code seq} is ignored).
     *
     * @return the entry as stored
     */
    RunEvent append(RunEvent event);

    /** The run's history after {@code afterSeq}, in order, at most {@code limit}. */
    List<RunEvent> events(String runId, long afterSeq, int limit);

    /**
     * Takes a running run for {@code node} until {@code until} when no one holds it, {@code node} already does, or
     * its holder's lease ended before {@code now}.
     */
    boolean claim(String runId, String node, Instant now, Instant until);

    /** Running runs that {@code node} may take: unowned, its own, or with a lease ended before {@code now}. */
    List<String> claimable(String node, Instant now, int limit);

    /** Deletes runs that ended before {@code before}, with their history; returns how many. */
    int prune(Instant before);
}
