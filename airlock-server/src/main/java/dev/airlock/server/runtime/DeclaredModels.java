package dev.airlock.server.runtime;

import dev.airlock.audit.AuditChain;
import dev.airlock.audit.AuditTrail;
import dev.airlock.deploy.DeploymentDesk;
import dev.airlock.deploy.DeploymentStore;
import dev.airlock.deploy.Deployments;
import dev.airlock.deploy.Registry;
import dev.airlock.deploy.ServedVersions;
import dev.airlock.models.MiniLmEmbeddings;
import dev.airlock.models.OnnxTabularModel;
import dev.airlock.monitor.DriftWatch;
import dev.airlock.monitor.Profiles;
import dev.airlock.readiness.EvidenceStore;
import dev.airlock.readiness.LiveDrift;
import dev.airlock.readiness.Operations;
import dev.airlock.readiness.ReadinessGate;
import dev.airlock.server.config.AirlockConfig;
import dev.airlock.server.config.ModelConfig;
import dev.airlock.server.config.ProviderConfig;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * A configuration's models as the core {@link Registry} sees them: their versions, aliases and what the readiness
 * gate reads. The node and every command get their {@link DeploymentDesk} here, so they all promote behind the same
 * gate and audit the same way.
 */
public final class DeclaredModels {
    private DeclaredModels() {}

    /**
     * A model's declared version: {@code version}, else what its in-process provider reports (the ONNX schema's version,
     * the embedding model's name), else "1" — the same as the node's catalog, without loading any model.
     */
    public static String declaredVersion(AirlockConfig config, ModelConfig m) {
        if (m.version() != null) {
            return m.version();
        }
        var provider = config.providers().get(m.targets().getFirst().provider());
        if (provider instanceof ProviderConfig.MiniLmProvider) {
            return MiniLmEmbeddings.MODEL;
        }
        if (provider instanceof ProviderConfig.OnnxTabularProvider onnx) {
            String v = OnnxTabularModel.declaredVersion(config.resolve(onnx.path()));
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

    /** The registry of a configuration's models, over versions already known (a node's catalog). */
    static Registry registry(AirlockConfig config, Map<String, List<String>> versions) {
        List<Registry.Model> models = new ArrayList<>();
        config.models()
                .forEach((name, m) -> models.add(new Registry.Model(
                        name,
                        Objects.requireNonNull(versions.get(name), "the catalog serves every configured model"),
                        m.aliases(),
                        new ReadinessGate.Declared(operations(m), m.retention() != null, m.expectedLoadRps()))));
        return new Registry(models);
    }

    /**
     * The deployment use cases of a configuration's models over a store's deployments and evidence; every change is
     * appended to its audit log.
     */
    public static DeploymentDesk desk(
            AirlockConfig config,
            DeploymentStore deployments,
            EvidenceStore evidence,
            ServedVersions served,
            AuditChain audit,
            Clock clock) {
        return desk(config, deployments, evidence, served, audit, clock, versions(config), LiveDrift.NOT_WATCHED);
    }

    /**
     * The same, with a gate reading each version's live drift from {@code profiles} (what nodes flushed), opened only
     * when a scorecard asks for a model with a drift threshold.
     */
    public static DeploymentDesk desk(
            AirlockConfig config,
            DeploymentStore deployments,
            EvidenceStore evidence,
            ServedVersions served,
            AuditChain audit,
            Clock clock,
            Supplier<Profiles> profiles) {
        AtomicReference<DeploymentDesk> desk = new AtomicReference<>();
        LiveDrift drift = (model, version) -> new LiveDrifts(new DriftWatch(profiles.get()), clock)
                .gate(m -> Objects.requireNonNull(desk.get(), "set before any scorecard")
                        .deployments()
                        .current(m)
                        .production())
                .read(model, version);
        DeploymentDesk built = desk(config, deployments, evidence, served, audit, clock, versions(config), drift);
        desk.set(built);
        return built;
    }

    /**
     * The same, over versions already known (a node's catalog), without reading any model file again, with a gate
     * that reads each version's live drift through {@code drift}.
     */
    static DeploymentDesk desk(
            AirlockConfig config,
            DeploymentStore deployments,
            EvidenceStore evidence,
            ServedVersions served,
            AuditChain audit,
            Clock clock,
            Map<String, List<String>> versions,
            LiveDrift drift) {
        return registry(config, versions)
                .desk(
                        deployments,
                        evidence,
                        served,
                        new AuditTrail(audit, clock),
                        clock,
                        config.deployments().refresh(),
                        drift);
    }

    /** The deployments of a configuration's models over a store's deployments, to read. */
    public static Deployments deployments(
            AirlockConfig config, DeploymentStore deployments, AuditChain audit, Clock clock) {
        return registry(config, versions(config))
                .deployments(deployments, clock, config.deployments().refresh(), new AuditTrail(audit, clock));
    }

    /** The operations metadata a model declares, or null when it declares neither owner nor operations. */
    public static @Nullable Operations operations(ModelConfig m) {
        var o = m.operations();
        if (o == null) {
            return m.owner() == null
                    ? null
                    : new Operations(m.owner(), null, List.of(), null, null, null, List.of(), null);
        }
        var t = o.thresholds();
        return new Operations(
                m.owner(),
                o.contact(),
                o.escalation(),
                o.runbook(),
                t == null
                        ? null
                        : new Operations.Thresholds(
                                t.latencyP99Ms(), t.errorRate(), t.drift(), t.accuracy(), t.costPerDayUsd()),
                o.fallback(),
                o.dataClasses(),
                o.reviewRule());
    }
}
