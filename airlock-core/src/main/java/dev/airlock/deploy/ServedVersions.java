package dev.airlock.deploy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What each serving node says it can serve, shared by every node and command: a node publishes its model versions
 * when it starts and again every {@link #HEARTBEAT}; a node whose last heartbeat is older than {@link #LIVE_FOR} (a
 * few missed heartbeats) no longer counts. Promotion reads it so that production never points at a version a live
 * node cannot serve.
 */
public interface ServedVersions {
    /** How often a serving node publishes what it serves. */
    Duration HEARTBEAT = Duration.ofSeconds(10);

    /** How long a node counts as live after its last heartbeat: three missed heartbeats and a little. */
    Duration LIVE_FOR = Duration.ofSeconds(35);

    /** Saves what a node serves, replacing what it published before. */
    void publishServed(ServingNode node);

    /** Removes a node that stops serving. Nothing happens when it never published. */
    void withdrawNode(String node);

    /** The nodes whose last heartbeat is at or after {@code since}, by node id. */
    List<ServingNode> nodesSeenSince(Instant since);
}
