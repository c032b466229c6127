package dev.airlock.server.runtime;

import dev.airlock.deploy.NodeServing;
import java.util.List;

/**
 * What {@code /healthz} says about a node besides being alive.
 *
 * @param node the node's id among the nodes sharing the store (as published with what it serves)
 * @param build the build of Airlock it runs
 * @param unserved the deployed versions it cannot serve, and what it answers with instead
 */
public record NodeHealth(String node, BuildInfo build, List<NodeServing.Unserved> unserved) {
    public NodeHealth {
        unserved = List.copyOf(unserved);
    }
}
