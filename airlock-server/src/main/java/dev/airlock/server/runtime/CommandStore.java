package dev.airlock.server.runtime;

import dev.airlock.alert.AlertStore;
import dev.airlock.audit.AuditChain;
import dev.airlock.audit.AuditTrail;
import dev.airlock.audit.Erasure;
import dev.airlock.auth.KeyStore;
import dev.airlock.decision.DecisionLog;
import dev.airlock.deploy.DeploymentStore;
import dev.airlock.deploy.Deployments;
import dev.airlock.deploy.ServedVersions;
import dev.airlock.incident.IncidentStore;
import dev.airlock.monitor.Profiler;
import dev.airlock.monitor.Profiles;
import dev.airlock.monitor.outcome.Outcomes;
import dev.airlock.monitor.retrain.Retraining;
import dev.airlock.pipeline.ShadowComparison;
import dev.airlock.readiness.EvidenceStore;
import dev.airlock.registry.ConfigRevisions;
import dev.airlock.server.audit.SigningKeyFile;
import dev.airlock.server.config.AirlockConfig;
import dev.airlock.server.retrain.RetrainJobs;
import dev.airlock.store.Store;
import dev.airlock.time.Time;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The configured store, opened by a command that runs without a node (keys, audit, deployments, drills, evidence).
 * Why not the {@link Store} itself: a command, like a route, sees storage only through the ports it uses, and the
 * opening (with the signing key when it writes to the audit log) is decided once, here.
 *
 * <pre>{@code
 * try (CommandStore store = CommandStore.open(config)) {
 *     store.keyStore().insertKey(issued.record());
 * }
 * }</pre>
 */
public final class CommandStore implements AutoCloseable {
    private final Store store;
    private @Nullable Providers providers;

    private CommandStore(Store store) {
        this.store = store;
    }

    /**
     * Opens the store for a command that may append to the audit log: what it writes is sealed with the signing key
     * file (made here on a fresh installation). Without the file, where the store already has a key, it warns: the
     * records it writes stay unsigned until an operator accepts them.
     */
    public static CommandStore open(AirlockConfig config) {
        Store store = Store.open(
                config.store().url(), config.store().user(), config.store().password());
        try {
            var signer = SigningKeyFile.of(config).loadForWriting(store.auditChain(), Instant.now());
            if (signer.isPresent()) {
                store.auditChain().sealWith(signer.get());
            } else {
                System.err.println("warning: the audit signing key "
                        + SigningKeyFile.of(config).path() + " is not"
                        + " on this machine: what this command records is not sealed, and nodes sign no checkpoint"
                        + " over it until an operator accepts it (airlock audit checkpoint --accept-unsealed)");
            }
            return new CommandStore(store);
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
    }

    /** Opens the store for a command that only reads it, or writes nothing to the audit log (a rehearsal's keys). */
    public static CommandStore openForReading(AirlockConfig config) {
        return new CommandStore(Store.open(
                config.store().url(), config.store().user(), config.store().password()));
    }

    public AlertStore alertStore() {
        return store.alertStore();
    }

    public IncidentStore incidentStore() {
        return store.incidentStore();
    }

    public KeyStore keyStore() {
        return store.keyStore();
    }

    public DecisionLog decisionLog() {
        return store.decisionLog();
    }

    public AuditChain auditChain() {
        return store.auditChain();
    }

    public Erasure erasure() {
        return store.erasure();
    }

    /** What each serving node can serve; promotion from the command line checks it like the node does. */
    public ServedVersions servedVersions() {
        return store.servedVersions();
    }

    public DeploymentStore deploymentStore() {
        return store.deploymentStore();
    }

    public ShadowComparison.Log shadowLog() {
        return store.shadowLog();
    }

    public ConfigRevisions configRevisions() {
        return store.configRevisions();
    }

    public EvidenceStore evidenceStore() {
        return store.evidenceStore();
    }

    /**
     * The profile use cases over this store, for {@code airlock profile}: the configuration's models (their providers
     * loaded, for their declared feature schemas), audited as this command's user.
     */
    public Profiles profiles(AirlockConfig config) {
        if (providers == null) {
            providers = Providers.build(config);
        }
        var catalog = providers.catalog(config);
        var profiler = new Profiler(store.profileStore(), NodeName.of(), new ProfileSpecs(config, catalog));
        return new Profiles(
                store.profileStore(),
                profiler,
                catalog,
                new AuditTrail(store.auditChain(), Clock.systemUTC()),
                Clock.systemUTC());
    }

    /** Labels, feedback and reports over this store, held against {@code config}'s models, audited as {@code clock}. */
    public Outcomes outcomes(AirlockConfig config, Clock clock) {
        return OutcomePolicies.outcomes(config, store, new AuditTrail(store.auditChain(), clock), clock);
    }

    /**
     * Retraining over this store, for {@code airlock retrain}: the configuration's triggers, the production version
     * as deployed, audited as {@code clock}.
     */
    public Retraining retraining(AirlockConfig config, Clock clock) {
        Deployments deployments =
                DeclaredModels.deployments(config, store.deploymentStore(), store.auditChain(), clock);
        return RetrainJobs.desk(
                config,
                store.retrainStore(),
                store.decisionLog(),
                store.outcomeStore(),
                model -> config.models().containsKey(model)
                        ? Optional.of(deployments.current(model).production())
                        : Optional.empty(),
                new AuditTrail(store.auditChain(), clock),
                Time.system().withClock(clock));
    }

    @Override
    public void close() {
        if (providers != null) {
            providers.close();
        }
        store.close();
    }
}
