package dev.airlock.deploy;

import dev.airlock.audit.AdminAction;
import dev.airlock.audit.AdminEvents;
import dev.airlock.readiness.EvidenceStore;
import dev.airlock.readiness.LiveDrift;
import dev.airlock.readiness.ReadinessGate;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The model versions a configuration declares, and the deployments over them, for the node, the CLI and an embedding
 * application alike: every door gets its {@link DeploymentDesk} from here, so all of them promote behind the same
 * gate and audit the same way.
 *
 * <pre>{@code
 * var registry = new Registry(List.of(new Registry.Model("support", List.of("1", "2"), Map.of(), declared)));
 * DeploymentDesk desk = registry.desk(store, store, store.servedVersions(), events, clock, Duration.ofSeconds(2));
 * }</pre>
 */
public final class Registry {
    private final Map<String, Model> models;

    /**
     * One declared model.
     *
     * @param name the model's name
     * @param versions its versions, the default one first
     * @param aliases its declared aliases; {@code production} among them names its production version
     * @param readiness what the readiness gate reads from its declaration
     */
    public record Model(
            String name, List<String> versions, Map<String, String> aliases, ReadinessGate.Declared readiness) {
        public Model {
            if (versions.isEmpty()) {
                throw new IllegalArgumentException("model '" + name + "' must declare at least one version");
            }
            versions = List.copyOf(versions);
            aliases = Map.copyOf(aliases);
        }
    }

    public Registry(List<Model> models) {
        Map<String, Model> byName = new LinkedHashMap<>();
        models.forEach(m -> byName.put(m.name(), m));
        this.models = byName;
    }

    /** Per model, its versions: the declared one first. */
    public Map<String, List<String>> versions() {
        Map<String, List<String>> versions = new LinkedHashMap<>();
        models.forEach((name, m) -> versions.put(name, m.versions()));
        return versions;
    }

    /**
     * Per model, the deployment the configuration declares: production (its {@code aliases.production}, else its
     * first version) and aliases, before any change.
     */
    Map<String, Deployment> declared() {
        Map<String, Deployment> declared = new LinkedHashMap<>();
        models.forEach((name, m) -> {
            Map<String, String> aliases = new TreeMap<>(m.aliases());
            String production = aliases.remove(Deployment.PRODUCTION);
            declared.put(
                    name,
                    new Deployment(
                            name,
                            production != null ? production : m.versions().getFirst(),
                            null,
                            null,
                            aliases,
                            null));
        });
        return declared;
    }

    /** The deployments of the models over a store; every change is recorded as an admin event. */
    public Deployments deployments(DeploymentStore store, Clock clock, Duration refresh, AdminEvents events) {
        return new Deployments(declared(), versions(), store, clock, refresh, change -> {
            Map<String, String> details = new TreeMap<>();
            details.put("id", change.id());
            if (change.from() != null) {
                details.put("from", change.from());
            }
            if (change.to() != null) {
                details.put("to", change.to());
            }
            if (!change.reason().isEmpty()) {
                details.put("reason", change.reason());
            }
            events.record(
                    AdminAction.ofDeploymentChange(change.action()), null, change.actor(), change.model(), details);
        });
    }

    /** The readiness gate over the models' declarations and the evidence recorded for them. */
    public ReadinessGate gate(EvidenceStore evidence) {
        return gate(evidence, Clock.systemUTC());
    }

    /** The same, with the clock that decides which waivers have expired. */
    public ReadinessGate gate(EvidenceStore evidence, Clock clock) {
        return gate(evidence, clock, LiveDrift.NOT_WATCHED);
    }

    /** The same, reading each version's live drift through {@code drift}. */
    public ReadinessGate gate(EvidenceStore evidence, Clock clock, LiveDrift drift) {
        Map<String, ReadinessGate.Declared> declared = new LinkedHashMap<>();
        models.forEach((name, m) -> declared.put(name, m.readiness()));
        return new ReadinessGate(declared, evidence, clock, drift);
    }

    /**
     * The deployment use cases over a store: promote behind the gate, rollback, canary, shadow, aliases, waivers;
     * traffic goes only to versions the live nodes in {@code served} can serve.
     */
    public DeploymentDesk desk(
            DeploymentStore deployments,
            EvidenceStore evidence,
            ServedVersions served,
            AdminEvents events,
            Clock clock,
            Duration refresh) {
        return desk(deployments, evidence, served, events, clock, refresh, LiveDrift.NOT_WATCHED);
    }

    /** The same, with a gate that reads each version's live drift through {@code drift}. */
    public DeploymentDesk desk(
            DeploymentStore deployments,
            EvidenceStore evidence,
            ServedVersions served,
            AdminEvents events,
            Clock clock,
            Duration refresh,
            LiveDrift drift) {
        return new DeploymentDesk(
                deployments(deployments, clock, refresh, events),
                gate(evidence, clock, drift),
                evidence,
                served,
                events,
                clock);
    }
}
