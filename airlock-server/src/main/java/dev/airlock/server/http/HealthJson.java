package dev.airlock.server.http;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.airlock.server.runtime.NodeHealth;

/**
 * {@code /healthz}: alive ({@code status} stays {@code ok}: a node serving an older version must not be restarted by
 * its liveness probe), with its build and, under {@code deployments}, what deployed versions it cannot serve.
 */
final class HealthJson {
    private HealthJson() {}

    static ObjectNode of(NodeHealth health) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.put("status", "ok");
        root.put("node", health.node());
        root.put("airlock_version", health.build().version());
        root.put("commit", health.build().commit());
        ObjectNode deployments = root.putObject("deployments");
        deployments.put("status", health.unserved().isEmpty() ? "serving" : "unservable");
        var unserved = deployments.putArray("unservable");
        health.unserved()
                .forEach(u -> unserved.addObject()
                        .put("model", u.model())
                        .put("role", u.role())
                        .put("wanted", u.wanted())
                        .put("serving", u.serving())
                        .put("since", u.since().toString()));
        return root;
    }
}
