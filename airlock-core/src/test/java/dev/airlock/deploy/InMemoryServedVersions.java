package dev.airlock.deploy;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** What nodes serve, in a map, for core tests; passes {@link ServedVersionsContract}. */
public final class InMemoryServedVersions implements ServedVersions {
    private final Map<String, ServingNode> nodes = new TreeMap<>();

    @Override
    public synchronized void publishServed(ServingNode node) {
        nodes.put(node.node(), node);
    }

    @Override
    public synchronized void withdrawNode(String node) {
        nodes.remove(node);
    }

    @Override
    public synchronized List<ServingNode> nodesSeenSince(Instant since) {
        return nodes.values().stream()
                .filter(n -> !n.heartbeatAt().isBefore(since))
                .toList();
    }
}
