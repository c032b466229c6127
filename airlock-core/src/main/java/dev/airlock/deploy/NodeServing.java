package dev.airlock.deploy;

import dev.airlock.pipeline.Resolve;
import dev.airlock.registry.ModelCatalog;
import dev.airlock.registry.ServedModel;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one node serves of the stored deployments, given the versions its catalog has. When production names a version
 * this node cannot serve (promoted by a command that declares more versions than this node, or forced), the node
 * keeps serving the production version it could serve before — not a 404 on every call — and says so: an ERROR in
 * the log once per change, {@link #unserved()} for health, metrics and alerts. A canary or shadow it cannot serve is
 * skipped (production answers) and reported the same way.
 *
 * <pre>{@code
 * NodeServing serving = desk.nodeServing(catalog, clock);
 * Resolve resolve = serving.resolveStage();
 * serving.unserved().forEach(u -> System.out.println(u.model() + " wants " + u.wanted()));
 * }</pre>
 */
public final class NodeServing {
    private static final Logger LOG = LoggerFactory.getLogger(NodeServing.class);

    /**
     * A deployment this node cannot follow.
     *
     * @param model the model
     * @param role {@code production}, {@code canary} or {@code shadow}
     * @param wanted the version the deployment names
     * @param serving what this node answers with instead: the production version it served before (for production),
     *     or null (a canary or shadow skipped; nothing servable at all for production)
     * @param since when this node first met it
     */
    public record Unserved(
            String model,
            String role,
            String wanted,
            @Nullable String serving,
            Instant since) {}

    private final ModelCatalog catalog;
    private final Deployments deployments;
    private final Clock clock;
    private final Map<String, String> lastServed = new ConcurrentHashMap<>();
    private final Map<String, Unserved> unserved = new ConcurrentHashMap<>();

    NodeServing(ModelCatalog catalog, Deployments deployments, Clock clock) {
        this.catalog = catalog;
        this.deployments = deployments;
        this.clock = clock;
    }

    /** The resolve stage that follows the deployments as far as this node can. */
    public Resolve resolveStage() {
        return new DeploymentResolver(catalog, deployments, this);
    }

    /** Checks every model's deployment now (at start and at each heartbeat), so health shows it without traffic. */
    public void survey() {
        for (Deployment d : deployments.all()) {
            if (catalog.find(d.model()).isEmpty()) {
                continue;
            }
            production(d);
            canary(d);
            shadow(d);
        }
    }

    /** What this node cannot follow now, by model and role. */
    public List<Unserved> unserved() {
        List<Unserved> now = new ArrayList<>(unserved.values());
        now.sort(Comparator.comparing(Unserved::model).thenComparing(Unserved::role));
        return now;
    }

    /** The production version this node serves: the stored one, else the one it served before. */
    ServedModel production(Deployment d) {
        String model = d.model();
        Optional<ServedModel> wanted = catalog.find(model, d.production());
        if (wanted.isPresent()) {
            lastServed.put(model, d.production());
            clear(model, Deployment.PRODUCTION);
            return wanted.get();
        }
        String fallback = lastServed.computeIfAbsent(model, m -> servableBefore(d));
        report(model, Deployment.PRODUCTION, d.production(), fallback);
        if (fallback == null) {
            throw Resolve.notFound(model + "@" + d.production());
        }
        return catalog.find(model, fallback).orElseThrow(() -> Resolve.notFound(model + "@" + d.production()));
    }

    /** The canary's version when this node can serve it, else null (production answers). */
    @Nullable
    ServedModel canary(Deployment d) {
        return d.canary() == null
                ? clearAndNull(d.model(), "canary")
                : optional(d.model(), "canary", d.canary().version());
    }

    /** The shadow's version when this node can serve it, else null (no shadow copy). */
    @Nullable
    ServedModel shadow(Deployment d) {
        return d.shadow() == null ? clearAndNull(d.model(), "shadow") : optional(d.model(), "shadow", d.shadow());
    }

    private @Nullable ServedModel optional(String model, String role, String version) {
        Optional<ServedModel> found = catalog.find(model, version);
        if (found.isPresent()) {
            clear(model, role);
            return found.get();
        }
        report(model, role, version, null);
        return null;
    }

    private @Nullable ServedModel clearAndNull(String model, String role) {
        clear(model, role);
        return null;
    }

    /** The newest production version in the history that this node serves, else its declared default. */
    private @Nullable String servableBefore(Deployment d) {
        List<DeploymentChange> history = deployments.history(d.model());
        for (int i = history.size() - 1; i >= 0; i--) {
            DeploymentChange c = history.get(i);
            if (!c.action().equals("promoted") && !c.action().equals("rolled_back")) {
                continue;
            }
            for (String v : new String[] {c.to(), c.from()}) {
                if (v != null
                        && !v.equals(d.production())
                        && catalog.find(d.model(), v).isPresent()) {
                    return v;
                }
            }
        }
        String declared = deployments.versions(d.model()).getFirst();
        return catalog.find(d.model(), declared).isPresent() ? declared : null;
    }

    private void report(String model, String role, String wanted, @Nullable String serving) {
        String key = model + "/" + role;
        Unserved before = unserved.get(key);
        if (before != null && before.wanted().equals(wanted) && Objects.equals(before.serving(), serving)) {
            return;
        }
        unserved.put(key, new Unserved(model, role, wanted, serving, clock.instant()));
        if (role.equals(Deployment.PRODUCTION)) {
            LOG.error(
                    "{} production is version {}, which this node cannot serve (it serves {}); it keeps answering"
                            + " with {}. Declare {} in this node's configuration and restart it, or roll back.",
                    model,
                    wanted,
                    catalog.versions(model).keySet(),
                    serving == null ? "nothing (every call fails)" : serving,
                    wanted);
        } else {
            LOG.error(
                    "{} {} is version {}, which this node cannot serve (it serves {}); it sends that traffic to"
                            + " production instead",
                    model,
                    role,
                    wanted,
                    catalog.versions(model).keySet());
        }
    }

    private void clear(String model, String role) {
        Unserved was = unserved.remove(model + "/" + role);
        if (was != null) {
            LOG.info("{} {}: this node serves the deployed version again", model, role);
        }
    }
}
