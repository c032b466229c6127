package dev.airlock.server.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.airlock.alert.Alert;
import dev.airlock.alert.Alerts;
import dev.airlock.alert.Route;
import dev.airlock.audit.AuditTrail;
import dev.airlock.server.config.Durations;
import dev.airlock.server.json.AlertJson;
import dev.airlock.server.json.Json;
import dev.airlock.server.runtime.CommandStore;
import dev.airlock.time.Time;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code airlock alerts [--json] [--state firing]} lists alerts, latest first; {@code airlock alerts ack ID}
 * acknowledges a firing one so that it does not escalate (audited as the shell's user).
 */
@Command(
        name = "alerts",
        mixinStandardHelpOptions = true,
        description = "Lists alerts (latest first); 'alerts ack ID' acknowledges a firing alert.",
        subcommands = {AlertsCommand.Ack.class})
final class AlertsCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config;

    @Spec
    CommandSpec spec;

    @Option(names = "--json", description = "One JSON object per line, as GET /v1/alerts returns them.")
    boolean json;

    @Option(names = "--state", description = "Only alerts in this state: pending, firing, resolved, inactive.")
    String state;

    @Option(names = "--limit", defaultValue = "50", description = "At most this many (default ${DEFAULT-VALUE}).")
    int limit;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Alert.State wanted = state == null ? null : Alert.State.parse(state);
        try (CommandStore store = CommandStore.openForReading(config.load())) {
            ObjectMapper mapper = Json.mapper();
            List<Alert> alerts = store.alertStore().alerts(wanted, limit);
            for (Alert a : alerts) {
                if (json) {
                    out.println(mapper.writeValueAsString(AlertJson.alert(mapper, a)));
                } else {
                    out.printf(
                            "%s  %-8s %-20s %s%s%n",
                            a.id(),
                            a.state().id(),
                            a.rule(),
                            a.summary(),
                            a.acknowledgedBy() == null ? "" : "  (acknowledged by " + a.acknowledgedBy() + ")");
                }
            }
            if (alerts.isEmpty() && !json) {
                out.println("no alerts");
            }
            return 0;
        }
    }

    /** Alerts with nothing to evaluate: what a command needs to acknowledge and silence, audited as the shell user. */
    static Alerts desk(CommandStore store) {
        return new Alerts(
                store.alertStore(),
                List.of(),
                List.of(),
                List.of(),
                model -> Route.NOBODY,
                new AuditTrail(store.auditChain(), Clock.systemUTC()),
                Time.system(),
                Alerts.Settings.DEFAULTS,
                "cli",
                List.of());
    }

    @Command(name = "ack", mixinStandardHelpOptions = true, description = "Acknowledges a firing alert.")
    static final class Ack implements Callable<Integer> {
        @Mixin
        ConfigOption config;

        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "ID", description = "The alert's id (airlock alerts).")
        String id;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            try (CommandStore store = CommandStore.open(config.load())) {
                return switch (desk(store).acknowledge(id, AuditTrail.commandLineActor())) {
                    case Alerts.Acknowledgement.Acknowledged a -> {
                        out.printf(
                                "acknowledged %s: %s%n",
                                a.alert().id(), a.alert().summary());
                        yield 0;
                    }
                    case Alerts.Acknowledgement.NotFound n -> {
                        err.printf("there is no alert '%s'; airlock alerts lists them%n", n.id());
                        yield 1;
                    }
                    case Alerts.Acknowledgement.NotAcknowledgeable n -> {
                        err.printf(
                                "alert %s is %s%s; only a firing alert not yet acknowledged can be%n",
                                id,
                                n.alert().state().id(),
                                n.alert().acknowledgedBy() == null
                                        ? ""
                                        : ", acknowledged by " + n.alert().acknowledgedBy());
                        yield 1;
                    }
                };
            }
        }
    }

    /**
     * {@code airlock silence --model M --rule R --for 2h --reason "..."} keeps matching alerts from notifying anyone
     * until it ends; {@code airlock silence --list} shows the silences in force.
     */
    @Command(
            name = "silence",
            mixinStandardHelpOptions = true,
            description =
                    "Silences alerts of a model and/or rule for a while, with a reason (audited); --list shows them.")
    static final class SilenceCommand implements Callable<Integer> {
        @Mixin
        ConfigOption config;

        @Spec
        CommandSpec spec;

        @Option(names = "--model", description = "Only this model (or installation subject, e.g. budget:team-daily).")
        String model;

        @Option(names = "--rule", description = "Only this rule, e.g. latency_p99_ms.")
        String rule;

        @Option(names = "--for", description = "How long, e.g. 2h.")
        String duration;

        @Option(names = "--reason", description = "Why; kept with the silence and in the audit log.")
        String reason;

        @Option(names = "--list", description = "Show the silences in force instead.")
        boolean list;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            try (CommandStore store = CommandStore.open(config.load())) {
                Alerts alerts = desk(store);
                if (list) {
                    alerts.silences()
                            .forEach(s -> out.printf(
                                    "%s  %s %s until %s by %s: %s%n",
                                    s.id(),
                                    s.model() == null ? "*" : s.model(),
                                    s.rule() == null ? "*" : s.rule(),
                                    s.endsAt(),
                                    s.createdBy(),
                                    s.reason()));
                    return 0;
                }
                if (duration == null || reason == null || reason.isBlank()) {
                    err.println("a silence needs --for (e.g. 2h) and --reason");
                    return 2;
                }
                Duration d;
                try {
                    d = Durations.parse(duration);
                } catch (IllegalArgumentException e) {
                    err.println("--for: " + e.getMessage());
                    return 2;
                }
                var s = alerts.silence(model, rule, Instant.now().plus(d), reason, AuditTrail.commandLineActor());
                out.printf(
                        "silenced %s %s until %s (%s)%n",
                        model == null ? "*" : model, rule == null ? "*" : rule, s.endsAt(), s.id());
                return 0;
            }
        }
    }
}
