package dev.airlock.server.alert;

import dev.airlock.alert.AlertStore;
import dev.airlock.alert.Alerts;
import dev.airlock.audit.AdminEvents;
import dev.airlock.deploy.DeploymentDesk;
import dev.airlock.deploy.DeploymentStore;
import dev.airlock.incident.IncidentStore;
import dev.airlock.incident.Incidents;
import dev.airlock.server.config.AirlockConfig;
import dev.airlock.server.config.IncidentConfig;
import dev.airlock.server.config.ModelConfig;
import dev.airlock.time.Time;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.function.Function;

/**
 * A node's incidents, wired from the configuration: owners and runbooks from each model's {@code operations}, the
 * automatic rollback each model declares ({@code operations.incident}), fed by the alerts' evaluator with every firing
 * alert, counted by the {@code airlock_incidents_open} gauge.
 */
public final class IncidentWiring {
    private IncidentWiring() {}

    /** The ports incidents read and write. */
    public record Parts(IncidentStore store, AlertStore alerts, DeploymentStore deployments, AdminEvents audit) {}

    /** Incidents of a node: opened by {@code alerts}' firing alerts, rolling back through {@code desk}. */
    public static Incidents node(
            AirlockConfig config, Parts parts, Alerts alerts, DeploymentDesk desk, MeterRegistry meters, Clock clock) {
        Incidents incidents = forCommands(config, parts, clock).rollingBack(desk, rollbacks(config));
        alerts.onFiring(incidents::onFiring);
        Gauge.builder("airlock.incidents.open", incidents, i -> (double) i.countUnresolved())
                .description(
                        "Incidents open or acknowledged, not yet resolved (the same on every node sharing a store)")
                .register(meters);
        return incidents;
    }

    /** Incidents for a command: read, acknowledge, assign, note, resolve; nothing opens or rolls back. */
    public static Incidents forCommands(AirlockConfig config, Parts parts, Clock clock) {
        return new Incidents(
                parts.store(),
                parts.alerts(),
                parts.deployments(),
                config.models().keySet(),
                AlertJobs.routes(config),
                parts.audit(),
                Time.system().withClock(clock));
    }

    private static Function<String, Incidents.AutoRollback> rollbacks(AirlockConfig config) {
        return model -> {
            ModelConfig m = config.models().get(model);
            IncidentConfig c =
                    m == null || m.operations() == null || m.operations().incident() == null
                            ? IncidentConfig.DEFAULTS
                            : m.operations().incident();
            return new Incidents.AutoRollback(c.autoRollback(), c.rollbackWindow());
        };
    }
}
