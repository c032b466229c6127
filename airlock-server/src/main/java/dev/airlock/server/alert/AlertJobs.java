package dev.airlock.server.alert;

import dev.airlock.alert.AlertStore;
import dev.airlock.alert.Alerts;
import dev.airlock.alert.Channel;
import dev.airlock.alert.Route;
import dev.airlock.alert.Rule;
import dev.airlock.alert.SignalSource;
import dev.airlock.alert.Silence;
import dev.airlock.audit.AdminEvents;
import dev.airlock.cost.Budgets;
import dev.airlock.cost.SpendSource;
import dev.airlock.decision.DecisionLog;
import dev.airlock.monitor.DriftWatch;
import dev.airlock.monitor.outcome.Outcomes;
import dev.airlock.registry.ModelCatalog;
import dev.airlock.review.ReviewStore;
import dev.airlock.server.config.AirlockConfig;
import dev.airlock.server.config.AlertsConfig;
import dev.airlock.server.config.ModelConfig;
import dev.airlock.time.Time;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's alerts, wired from the configuration: rules from each model's {@code operations.thresholds} and the
 * installation's own, the signal sources that exist (Decisions, spend, budgets, breakers, audit, review desk, record
 * failures), the channels, routes to owners, maintenance windows; and the schedule that ticks them every {@code
 * alerts.evaluate_every}. Drift, live accuracy and fairness come from {@link ModelSignals}; a new signal is one more
 * entry in {@link #sources}.
 */
public final class AlertJobs implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AlertJobs.class);

    /**
     * The ports and parts alerts read.
     *
     * @param drift each version's recent profiles against its reference
     * @param outcomes live accuracy and fairness from labels
     * @param catalog the models and versions served
     */
    public record Parts(
            AlertStore store,
            DecisionLog decisions,
            SpendSource spend,
            ReviewStore reviews,
            Budgets budgets,
            MeterRegistry meters,
            AdminEvents audit,
            DriftWatch drift,
            Outcomes outcomes,
            ModelCatalog catalog) {}

    /** Accuracy and fairness read every kept prediction of their window: not more often than this. */
    static final Duration OUTCOMES_EVERY = Duration.ofMinutes(5);

    private final Alerts alerts;
    private final RecordFailures recordFailures;
    private final ScheduledExecutorService scheduler;

    private AlertJobs(Alerts alerts, RecordFailures recordFailures, ScheduledExecutorService scheduler) {
        this.alerts = alerts;
        this.recordFailures = recordFailures;
        this.scheduler = scheduler;
    }

    /** Builds the alerts and, unless {@code alerts.evaluate_every} is 0s, starts ticking them. */
    public static AlertJobs start(AirlockConfig config, Parts parts, Clock clock) {
        return start(config, parts, clock, List.of());
    }

    /** As {@link #start(AirlockConfig, Parts, Clock)}, with channels of the node's own beside the configured ones. */
    public static AlertJobs start(AirlockConfig config, Parts parts, Clock clock, List<Channel> own) {
        AlertsConfig c = config.alerts();
        var failures = new RecordFailures(clock, c.window());
        List<Rule> rules = new ArrayList<>();
        config.models().forEach((name, m) -> rules.addAll(Rule.fromThresholds(name, thresholds(m), c.forDuration())));
        config.models().forEach((name, m) -> rules.addAll(fairnessRules(name, m, c.forDuration())));
        rules.addAll(InstallationSignals.rules());
        Alerts alerts = new Alerts(
                new FiringAlerts(parts.store(), parts.meters()),
                rules,
                sources(config, parts, failures),
                Stream.concat(channels(c).stream(), own.stream()).toList(),
                routes(config),
                parts.audit(),
                Time.system().withClock(clock),
                new Alerts.Settings(c.escalateAfter(), c.attempts(), c.backoff(), c.maxBackoff(), c.lease()),
                parts.budgets().node(),
                maintenance(c));
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "airlock-alerts");
            t.setDaemon(true);
            return t;
        });
        if (!c.evaluateEvery().isZero()) {
            long every = c.evaluateEvery().toMillis();
            scheduler.scheduleWithFixedDelay(() -> tickSafely(alerts), every, every, TimeUnit.MILLISECONDS);
        }
        return new AlertJobs(alerts, failures, scheduler);
    }

    /** The signal sources; drift, live accuracy and fairness plug in here, one line each. */
    private static List<SignalSource> sources(AirlockConfig config, Parts p, RecordFailures failures) {
        AlertsConfig c = config.alerts();
        return List.of(
                new DecisionSignals(p.decisions(), p.spend(), config.models().keySet(), c.window(), c.minCalls()),
                InstallationSignals.budgets(p.budgets()),
                InstallationSignals.breakers(p.meters()),
                InstallationSignals.audit(p.meters()),
                InstallationSignals.reviews(p.reviews()),
                InstallationSignals.unservable(p.meters()),
                failures,
                new ModelSignals(
                        p.drift(),
                        p.outcomes(),
                        p.catalog(),
                        c.minCalls(),
                        c.evaluateEvery().compareTo(OUTCOMES_EVERY) > 0 ? c.evaluateEvery() : OUTCOMES_EVERY,
                        p.meters()));
    }

    /**
     * A declared fairness policy's limits as rules: the disparate-impact ratio below {@code min_disparate_impact},
     * the parity difference above {@code max_parity_difference}.
     */
    private static List<Rule> fairnessRules(String model, ModelConfig m, Duration forDuration) {
        var f = m.operations() == null ? null : m.operations().fairness();
        List<Rule> rules = new ArrayList<>();
        if (f != null && f.minDisparateImpact() != null) {
            rules.add(new Rule(
                    "fairness_disparate_impact",
                    "fairness_disparate_impact",
                    model,
                    Rule.Comparison.BELOW,
                    f.minDisparateImpact(),
                    forDuration));
        }
        if (f != null && f.maxParityDifference() != null) {
            rules.add(new Rule(
                    "fairness_parity_difference",
                    "fairness_parity_difference",
                    model,
                    Rule.Comparison.ABOVE,
                    f.maxParityDifference(),
                    forDuration));
        }
        return rules;
    }

    private static void tickSafely(Alerts alerts) {
        try {
            alerts.tick();
        } catch (RuntimeException e) {
            LOG.error("alert evaluation failed; will try again", e);
        }
    }

    public Alerts alerts() {
        return alerts;
    }

    /** Counts Decisions the record stage could not make durable, for the {@code store_not_writable} alert. */
    public RecordFailures recordFailures() {
        return recordFailures;
    }

    private static Map<String, Double> thresholds(ModelConfig m) {
        Map<String, Double> t = new LinkedHashMap<>();
        var ops = m.operations();
        if (ops == null || ops.thresholds() == null) {
            return t;
        }
        var th = ops.thresholds();
        if (th.latencyP99Ms() != null) {
            t.put("latency_p99_ms", th.latencyP99Ms());
        }
        if (th.errorRate() != null) {
            t.put("error_rate", th.errorRate());
        }
        if (th.costPerDayUsd() != null) {
            t.put("cost_per_day_usd", th.costPerDayUsd().doubleValue());
        }
        if (th.drift() != null) {
            t.put("drift", th.drift());
        }
        if (th.accuracy() != null) {
            t.put("accuracy", th.accuracy());
        }
        return t;
    }

    private static List<Channel> channels(AlertsConfig c) {
        List<Channel> out = new ArrayList<>();
        c.channels()
                .forEach((name, ch) -> out.add(
                        switch (ch.kind()) {
                            case WEBHOOK -> new WebhookChannel(name, ch.url(), false, ch.timeout());
                            case SLACK -> new WebhookChannel(name, ch.url(), true, ch.timeout());
                            case SMTP ->
                                new SmtpChannel(
                                        name,
                                        ch.host(),
                                        ch.port(),
                                        ch.user(),
                                        ch.password(),
                                        ch.from(),
                                        ch.starttls(),
                                        ch.timeout());
                        }));
        return out;
    }

    /** A declared model's alerts go to its owner's contact and escalation; everything else to the installation's. */
    static java.util.function.Function<String, Route> routes(AirlockConfig config) {
        Map<String, Route> byModel = new LinkedHashMap<>();
        config.models().forEach((name, m) -> {
            var ops = m.operations();
            byModel.put(
                    name,
                    new Route(
                            m.owner() == null ? "" : m.owner(),
                            ops == null || ops.contact() == null ? List.of() : List.of(ops.contact()),
                            ops == null || ops.escalation() == null ? List.of() : ops.escalation(),
                            ops == null || ops.runbook() == null ? "" : ops.runbook()));
        });
        AlertsConfig c = config.alerts();
        Route installation = new Route("installation", c.contact(), c.escalation(), "");
        return model -> byModel.getOrDefault(model, installation);
    }

    private static List<Silence> maintenance(AlertsConfig c) {
        List<Silence> out = new ArrayList<>();
        for (int i = 0; i < c.maintenance().size(); i++) {
            var m = c.maintenance().get(i);
            out.add(new Silence(
                    "maintenance-" + i, m.model(), m.rule(), m.start(), m.end(), m.reason(), "config", m.start()));
        }
        return out;
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
