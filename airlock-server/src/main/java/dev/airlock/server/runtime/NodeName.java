package dev.airlock.server.runtime;

import java.util.Locale;
import java.util.UUID;

/**
 * This process's name among the nodes sharing a store: the host name (as the environment gives it) and a random
 * suffix, so that a restarted node or two nodes on one host keep their partial profiles apart.
 */
final class NodeName {
    private NodeName() {}

    static String of() {
        String host = System.getenv("HOSTNAME");
        String base = host == null || host.isBlank() ? "node" : host.toLowerCase(Locale.ROOT);
        return base + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
