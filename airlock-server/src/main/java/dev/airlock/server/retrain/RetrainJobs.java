package dev.airlock.server.retrain;

import dev.airlock.alert.Channel;
import dev.airlock.audit.AdminEvents;
import dev.airlock.decision.DecisionLog;
import dev.airlock.decision.RequestKind;
import dev.airlock.monitor.outcome.OutcomeStore;
import dev.airlock.monitor.retrain.RetrainStore;
import dev.airlock.monitor.retrain.Retraining;
import dev.airlock.monitor.retrain.Trigger;
import dev.airlock.server.config.AirlockConfig;
import dev.airlock.server.config.ModelConfig;
import dev.airlock.server.config.RetrainingConfig;
import dev.airlock.time.Time;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's retraining, wired from each model's {@code monitoring.retraining}: the use case, and the alert channel
 * that starts runs on virtual threads of its own (stopped with the node).
 */
public final class RetrainJobs implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RetrainJobs.class);

    private final Retraining retraining;
    private final ExecutorService runs;
    private final RetrainChannel channel;

    private RetrainJobs(Retraining retraining) {
        this.retraining = retraining;
        this.runs = Executors.newVirtualThreadPerTaskExecutor();
        this.channel = new RetrainChannel(
                retraining,
                task -> runs.execute(() -> {
                    try {
                        task.run();
                    } catch (RuntimeException e) {
                        LOG.error("a retraining run started by an alert failed", e);
                    }
                }));
    }

    /**
     * @param currentVersion each model's production version
     */
    public static RetrainJobs of(
            AirlockConfig config,
            RetrainStore store,
            DecisionLog decisions,
            OutcomeStore outcomes,
            Function<String, Optional<String>> currentVersion,
            AdminEvents audit,
            Time time) {
        return new RetrainJobs(desk(config, store, decisions, outcomes, currentVersion, audit, time));
    }

    /** The use case alone, for a command that runs one retraining and exits. */
    public static Retraining desk(
            AirlockConfig config,
            RetrainStore store,
            DecisionLog decisions,
            OutcomeStore outcomes,
            Function<String, Optional<String>> currentVersion,
            AdminEvents audit,
            Time time) {
        Map<String, Retraining.Plan> plans = plans(config, time);
        return new Retraining(
                store,
                decisions,
                outcomes,
                model -> Optional.ofNullable(plans.get(model)),
                currentVersion,
                audit,
                time);
    }

    private static Map<String, Retraining.Plan> plans(AirlockConfig config, Time time) {
        Map<String, Retraining.Plan> plans = new LinkedHashMap<>();
        Path here = config.resolve(".");
        config.models().forEach((name, m) -> {
            RetrainingConfig r = m.monitoring().retraining();
            if (r == null) {
                return;
            }
            Trigger trigger = r.webhook() != null
                    ? new WebhookTrigger(r.webhook(), r.timeout(), r.attempts(), r.backoff(), time.sleeper())
                    : new CommandTrigger(r.command(), here, r.env(), r.timeout());
            Path directory = config.resolve(r.workDir()).resolve(name);
            plans.put(
                    name,
                    new Retraining.Plan(
                            trigger,
                            Set.copyOf(r.on()),
                            r.cooldown(),
                            r.window(),
                            r.maxRows(),
                            directory.resolve("runs"),
                            new CandidateFiles(
                                    directory.resolve("candidates"), m.kind() == RequestKind.PREDICT, declared(m))));
        });
        return plans;
    }

    private static Set<String> declared(ModelConfig m) {
        Set<String> versions = new HashSet<>(m.versions().keySet());
        if (m.version() != null) {
            versions.add(m.version());
        }
        return versions;
    }

    public Retraining retraining() {
        return retraining;
    }

    /** Where runs started over HTTP go on (stopped with the node). */
    public Executor background() {
        return runs;
    }

    /** The alert channel that starts runs; given to the alerts with the configured channels. */
    public Channel channel() {
        return channel;
    }

    @Override
    public void close() {
        runs.shutdownNow();
    }
}
