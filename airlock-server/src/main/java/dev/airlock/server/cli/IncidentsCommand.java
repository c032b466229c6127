package dev.airlock.server.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.airlock.audit.AuditTrail;
import dev.airlock.incident.Incident;
import dev.airlock.incident.IncidentEntry;
import dev.airlock.incident.Incidents;
import dev.airlock.server.alert.IncidentWiring;
import dev.airlock.server.config.AirlockConfig;
import dev.airlock.server.json.IncidentJson;
import dev.airlock.server.json.Json;
import dev.airlock.server.runtime.CommandStore;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code airlock incidents [list|show|ack|assign|note|resolve]}: incidents opened by firing alerts, latest first; the
 * same use cases as {@code /v1/incidents}, audited as the shell's user ({@code cli:<user>}).
 */
@Command(
        name = "incidents",
        mixinStandardHelpOptions = true,
        description = "Lists incidents (latest first); show, ack, assign, note and resolve one.",
        subcommands = {
            IncidentsCommand.ListIncidents.class,
            IncidentsCommand.Show.class,
            IncidentsCommand.Ack.class,
            IncidentsCommand.Assign.class,
            IncidentsCommand.Note.class,
            IncidentsCommand.Resolve.class
        })
final class IncidentsCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config;

    @Spec
    CommandSpec spec;

    @Mixin
    Listing listing;

    /** What {@code incidents} and {@code incidents list} take: they are one command under two names. */
    static final class Listing {
        @Option(names = "--json", description = "One JSON object per line, as GET /v1/incidents returns them.")
        boolean json;

        @Option(names = "--state", description = "Only incidents in this state: open, acknowledged, resolved.")
        String state;

        @Option(names = "--limit", defaultValue = "50", description = "At most this many (default ${DEFAULT-VALUE}).")
        int limit;
    }

    @Override
    public Integer call() throws Exception {
        return list(config, spec.commandLine().getOut(), listing.json, listing.state, listing.limit);
    }

    static int list(ConfigOption config, PrintWriter out, boolean json, String state, int limit) throws Exception {
        Incident.State wanted = state == null ? null : Incident.State.parse(state);
        AirlockConfig c = config.load();
        try (CommandStore store = CommandStore.openForReading(c)) {
            ObjectMapper mapper = Json.mapper();
            List<Incident> found = incidents(c, store).list(wanted, limit);
            for (Incident i : found) {
                if (json) {
                    out.println(mapper.writeValueAsString(IncidentJson.incident(mapper, i)));
                } else {
                    out.printf(
                            "%s  %-12s %-20s %s%s%n",
                            i.id(),
                            i.state().id(),
                            i.subject(),
                            i.title(),
                            i.assignee() == null ? "" : "  (assigned to " + i.assignee() + ")");
                }
            }
            if (found.isEmpty() && !json) {
                out.println("no incidents");
            }
            return 0;
        }
    }

    /** Incidents over a command's store, audited as the shell's user. */
    static Incidents incidents(AirlockConfig config, CommandStore store) {
        return IncidentWiring.forCommands(
                config,
                new IncidentWiring.Parts(
                        store.incidentStore(),
                        store.alertStore(),
                        store.deploymentStore(),
                        new AuditTrail(store.auditChain(), Clock.systemUTC())),
                Clock.systemUTC());
    }

    /** Runs one change to an incident and prints what came of it; 0 done, 1 refused. */
    static int change(ConfigOption config, CommandSpec spec, Function<Incidents, Incidents.Result> use, String done)
            throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        AirlockConfig c = config.load();
        try (CommandStore store = CommandStore.open(c)) {
            return switch (use.apply(incidents(c, store))) {
                case Incidents.Result.Done d -> {
                    out.printf(
                            "%s %s: %s%n", done, d.incident().id(), d.incident().title());
                    yield 0;
                }
                case Incidents.Result.NotFound n -> {
                    err.printf("there is no incident '%s'; airlock incidents lists them%n", n.id());
                    yield 1;
                }
                case Incidents.Result.Conflict x -> {
                    err.println(x.message());
                    yield 1;
                }
                case Incidents.Result.Invalid i -> {
                    err.println(i.message()
                            .replace("'" + i.field() + "'", "--" + i.field().replace('_', '-')));
                    yield 2;
                }
            };
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists incidents, latest first.")
    static final class ListIncidents implements Callable<Integer> {
        @Mixin
        ConfigOption config;

        @Spec
        CommandSpec spec;

        @Mixin
        Listing listing;

        @Override
        public Integer call() throws Exception {
            return list(config, spec.commandLine().getOut(), listing.json, listing.state, listing.limit);
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Shows an incident and its timeline.")
    static final class Show implements Callable<Integer> {
        @Mixin
        ConfigOption config;

        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "ID", description = "The incident's id (airlock incidents).")
        String id;

        @Option(names = "--json", description = "As GET /v1/incidents/{id} returns it.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            AirlockConfig c = config.load();
            try (CommandStore store = CommandStore.openForReading(c)) {
                Incidents incidents = incidents(c, store);
                var found = incidents.find(id);
                var timeline = incidents.timeline(id);
                if (found.isEmpty() || timeline.isEmpty()) {
                    spec.commandLine().getErr().printf("there is no incident '%s'; airlock incidents lists them%n", id);
                    return 1;
                }
                Incident i = found.get();
                if (json) {
                    ObjectMapper mapper = Json.mapper();
                    out.println(mapper.writeValueAsString(
                            IncidentJson.detailed(mapper, i, incidents.alertsOf(id), timeline.get())));
                    return 0;
                }
                out.printf("incident %s  %s  %s%n", i.id(), i.state().id(), i.title());
                out.printf("  subject: %s %s%n", i.subject(), i.version());
                out.printf("  owner:   %s%n", i.owner());
                out.printf("  runbook: %s%n", i.runbook().isEmpty() ? "(none declared)" : i.runbook());
                out.printf("  assignee: %s%n", i.assignee() == null ? "(nobody)" : i.assignee());
                if (i.record() != null) {
                    out.printf("  cause:   %s%n", i.record().cause());
                    out.printf("  action:  %s%n", i.record().action());
                    i.record().followUps().forEach(f -> out.printf("  follow-up: %s%n", f));
                }
                out.println("timeline:");
                for (IncidentEntry e : timeline.get()) {
                    out.printf("  %s  %-24s %-16s %s%n", e.at(), e.kind(), e.actor(), e.text());
                }
                return 0;
            }
        }
    }

    @Command(name = "ack", mixinStandardHelpOptions = true, description = "Acknowledges an open incident.")
    static final class Ack implements Callable<Integer> {
        @Mixin
        ConfigOption config;

        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "ID")
        String id;

        @Override
        public Integer call() throws Exception {
            return change(config, spec, i -> i.acknowledge(id, AuditTrail.commandLineActor()), "acknowledged");
        }
    }

    @Command(name = "assign", mixinStandardHelpOptions = true, description = "Assigns an incident to somebody.")
    static final class Assign implements Callable<Integer> {
        @Mixin
        ConfigOption config;

        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "ID")
        String id;

        @Parameters(index = "1", paramLabel = "ASSIGNEE", description = "Who works on it, e.g. jane@example.com.")
        String assignee;

        @Override
        public Integer call() throws Exception {
            return change(
                    config, spec, i -> i.assign(id, assignee, AuditTrail.commandLineActor()), "assigned " + assignee);
        }
    }

    @Command(name = "note", mixinStandardHelpOptions = true, description = "Adds a note to an incident's timeline.")
    static final class Note implements Callable<Integer> {
        @Mixin
        ConfigOption config;

        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "ID")
        String id;

        @Parameters(index = "1", paramLabel = "TEXT")
        String text;

        @Override
        public Integer call() throws Exception {
            return change(config, spec, i -> i.note(id, text, AuditTrail.commandLineActor()), "noted on");
        }
    }

    @Command(
            name = "resolve",
            mixinStandardHelpOptions = true,
            description = "Resolves an incident with its post-incident record: --cause and --action are required.")
    static final class Resolve implements Callable<Integer> {
        @Mixin
        ConfigOption config;

        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "ID")
        String id;

        @Option(names = "--cause", description = "What made it happen.")
        String cause;

        @Option(names = "--action", description = "What was done to end it.")
        String action;

        @Option(names = "--follow-up", description = "What is still to do; repeat for several.")
        List<String> followUps;

        @Override
        public Integer call() throws Exception {
            List<String> todo = followUps == null ? List.of() : followUps;
            return change(
                    config, spec, i -> i.resolve(id, cause, action, todo, AuditTrail.commandLineActor()), "resolved");
        }
    }
}
