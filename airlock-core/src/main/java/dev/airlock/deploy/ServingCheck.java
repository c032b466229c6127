package dev.airlock.deploy;

import dev.airlock.audit.AdminAction;
import dev.airlock.audit.AdminEvents;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Whether the live nodes can serve a version before traffic is pointed at it. Every live node must serve it: behind a
 * load balancer any node may get the call. With no live node there is nothing to check against (a store only the
 * command line uses, every node down); the change goes through with a warning, and a node that starts without the
 * version keeps serving the version before and reports it.
 */
final class ServingCheck {
    private final ServedVersions served;
    private final AdminEvents events;
    private final Clock clock;

    ServingCheck(ServedVersions served, AdminEvents events, Clock clock) {
        this.served = served;
        this.events = events;
        this.clock = clock;
    }

    sealed interface Verdict permits Servable, Refused {}

    /** Go on; {@code afterChange} (actor, use) audits a forced change once it is made. */
    record Servable(List<String> warnings, BiConsumer<String, String> afterChange) implements Verdict {}

    record Refused(DeploymentDesk.Rejected rejected) implements Verdict {}

    Verdict check(String model, String version, DeploymentDesk.@Nullable Force force) {
        List<ServingNode> live = served.nodesSeenSince(clock.instant().minus(ServedVersions.LIVE_FOR));
        if (live.isEmpty()) {
            return new Servable(
                    List.of("no serving node has published what it serves in the last "
                            + ServedVersions.LIVE_FOR.toSeconds() + " s, so nothing checked that " + model + " "
                            + version + " can be served; a node that cannot serve it keeps serving the version"
                            + " before and reports it on /healthz"),
                    (actor, use) -> {});
        }
        List<ServingNode> lacking =
                live.stream().filter(n -> !n.serves(model, version)).toList();
        if (lacking.isEmpty()) {
            return new Servable(List.of(), (actor, use) -> {});
        }
        if (force == null) {
            return new Refused(new DeploymentDesk.Unservable(model, version, lacking, live));
        }
        String justification =
                force.justification() == null ? "" : force.justification().strip();
        if (justification.length() < DeploymentDesk.MIN_JUSTIFICATION) {
            return new Refused(new DeploymentDesk.Invalid("forcing " + model + " " + version + " onto nodes that"
                    + " cannot serve it needs a justification of at least " + DeploymentDesk.MIN_JUSTIFICATION
                    + " characters (it is kept in the audit log); got '" + justification + "'"));
        }
        String names = names(lacking);
        return new Servable(
                List.of("forced: " + names + " cannot serve " + model + " " + version
                        + " and keep serving the version before until their configuration declares it"),
                (actor, use) -> {
                    Map<String, String> details = new TreeMap<>();
                    details.put("version", version);
                    details.put("use", use);
                    details.put("justification", justification);
                    details.put("unserved_by", names);
                    events.record(AdminAction.DEPLOYMENT_FORCED, null, actor, model, details);
                });
    }

    /** The refusal's text: which nodes cannot serve the version, and what every live node serves. */
    static String refusal(String model, String version, List<ServingNode> lacking, List<ServingNode> live) {
        String serving = live.stream()
                .map(n -> n.node() + " serves " + model + " " + n.versionsOf(model))
                .collect(Collectors.joining("; "));
        return model + " " + version + " cannot be served by " + lacking.size() + " of " + live.size()
                + " live node(s): " + names(lacking) + ". Live nodes: " + serving + ". Declare " + version
                + " in their configuration and restart them (or wait until they are replaced), or force it with a"
                + " justification; those nodes then keep serving the version before.";
    }

    private static String names(List<ServingNode> nodes) {
        return nodes.stream().map(ServingNode::node).collect(Collectors.joining(", "));
    }
}
