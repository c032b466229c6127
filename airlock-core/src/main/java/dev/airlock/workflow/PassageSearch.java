package dev.airlock.workflow;

import java.util.List;

/**
 * The one door through which a workflow retrieves: passages of a collection nearest a query. The runtime wires it to
 * the retrieval Airlock has; rewiring it to another index is one line there.
 */
@FunctionalInterface
public interface PassageSearch {
    List<Passage> search(String tenant, String collection, String query, int k);

    /** A passage served to a run, with where it came from. */
    record Passage(String id, String source, String text, double score) {}
}
