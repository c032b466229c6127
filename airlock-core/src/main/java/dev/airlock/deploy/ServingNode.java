package dev.airlock.deploy;

import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * What one node serves, as it last published it.
 *
 * @param node the node's id among the nodes sharing the store
 * @param versions per model, the versions its configuration lets it serve
 * @param heartbeatAt when it last published
 * @param airlockVersion the node's build of Airlock, or null when unknown
 */
public record ServingNode(
        String node,
        Map<String, List<String>> versions,
        Instant heartbeatAt,
        @Nullable String airlockVersion) {
    public ServingNode {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(heartbeatAt, "heartbeatAt");
        Map<String, List<String>> sorted = new TreeMap<>();
        versions.forEach((model, list) -> sorted.put(model, List.copyOf(list)));
        versions = Collections.unmodifiableMap(sorted);
    }

    /** Whether this node can serve {@code version} of {@code model}. */
    public boolean serves(String model, String version) {
        return versions.getOrDefault(model, List.of()).contains(version);
    }

    /** The versions of {@code model} this node serves, empty when none. */
    public List<String> versionsOf(String model) {
        return versions.getOrDefault(model, List.of());
    }
}
