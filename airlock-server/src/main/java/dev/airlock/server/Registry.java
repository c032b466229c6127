package dev.airlock.server;

import dev.airlock.audit.AdminAction;
import dev.airlock.audit.AuditTrail;
import dev.airlock.deploy.Deployment;
import dev.airlock.deploy.Deployments;
import dev.airlock.models.OnnxTabularModel;
import dev.airlock.server.config.AirlockConfig;
import dev.airlock.server.config.Durations;
import dev.airlock.store.Store;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The model versions a configuration declares, and the deployments over them, for the node and the CLI alike. */
public final class Registry {
    private Registry() {}

    /**
     * A model's declared version: {@code version}, else what its in-process provider reports (the ONNX schema's version,
     * the embedding model's name), else "1" — the same as the node's catalog, without loading any model.
     */
    public static String declaredVersion(AirlockConfig config, AirlockConfig.ModelConfig m) {
        if (m.version() != null) {
            return m.version();
        }
        var provider = config.providers().get(m.targets().getFirst().provider());
        if (provider != null && "minilm-embeddings".equals(provider.kind())) {
            return dev.airlock.models.MiniLmEmbeddings.MODEL;
        }
        if (provider != null && "onnx-tabular".equals(provider.kind())) {
            String v = OnnxTabularModel.declaredVersion(config.resolve(provider.path()));
            return v == null || v.isBlank() ? "1" : v;
        }
        return "1";
    }

    /** Per model, its versions: the declared one first. */
    public static Map<String, List<String>> versions(AirlockConfig config) {
        Map<String, List<String>> versions = new LinkedHashMap<>();
        config.models().forEach((name, m) -> {
            List<String> list = new ArrayList<>();
            list.add(declaredVersion(config, m));
            m.versions().keySet().stream().filter(v -> !list.contains(v)).forEach(list::add);
            versions.put(name, List.copyOf(list));
        });
        return versions;
    }

    /**
     * Per model, the deployment the configuration declares: production (its {@code aliases.production}, else its
     * first version) and aliases, before any change.
     */
    static Map<String, Deployment> declared(AirlockConfig config, Map<String, List<String>> versions) {
        Map<String, Deployment> declared = new LinkedHashMap<>();
        config.models().forEach((name, m) -> {
            Map<String, String> aliases = new TreeMap<>(m.aliases());
            String production = aliases.remove(Deployment.PRODUCTION);
            declared.put(
                    name,
                    new Deployment(
                            name,
                            production != null ? production : versions.get(name).getFirst(),
                            null,
                            null,
                            aliases,
                            null));
        });
        return declared;
    }

    /** The deployments of a configuration's models over a store; every change is appended to the audit log. */
    public static Deployments deployments(AirlockConfig config, Store store, Clock clock) {
        return deployments(config, store, clock, versions(config));
    }

    /** The same, over versions already known (a node's catalog), without reading any model file again. */
    static Deployments deployments(AirlockConfig config, Store store, Clock clock, Map<String, List<String>> versions) {
        AuditTrail trail = new AuditTrail(store, clock);
        return new Deployments(
                declared(config, versions),
                versions,
                store,
                clock,
                Durations.parse(config.deployments().refresh()),
                change -> {
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
                    trail.record(
                            AdminAction.ofDeploymentChange(change.action()),
                            null,
                            change.actor(),
                            change.model(),
                            details);
                });
    }
}
