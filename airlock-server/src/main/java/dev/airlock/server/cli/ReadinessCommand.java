package dev.airlock.server.cli;

import dev.airlock.audit.AdminAction;
import dev.airlock.audit.AuditTrail;
import dev.airlock.readiness.Readiness;
import dev.airlock.readiness.Waiver;
import dev.airlock.server.ReadinessGate;
import dev.airlock.server.config.AirlockConfig;
import dev.airlock.server.config.ConfigException;
import dev.airlock.server.http.Json;
import dev.airlock.store.Store;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code airlock readiness MODEL}: the readiness scorecard, from configuration and recorded evidence. */
@Command(
        name = "readiness",
        mixinStandardHelpOptions = true,
        description = "Prints a model's readiness scorecard: each check with what it found. Exit code 1 when a check"
                + " fails and is not waived. --waive CHECK --justification TEXT accepts a failed check (audited).")
final class ReadinessCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "MODEL", description = "The model.")
    String model;

    @Option(
            names = "--model-version",
            paramLabel = "VERSION",
            description =
                    "Judge one version: its own load test, evaluation and fallback drill. Default: any version's.")
    String version;

    @Option(names = "--json", description = "Print the scorecard as JSON.")
    boolean json;

    @Option(names = "--waive", paramLabel = "CHECK", description = "Accept this failed check (admin action).")
    String waive;

    @Option(names = "--justification", paramLabel = "TEXT", description = "Why the check may be waived (required).")
    String justification;

    @Override
    public Integer call() throws Exception {
        AirlockConfig loaded = config.load();
        AirlockConfig.ModelConfig m = loaded.models().get(model);
        if (m == null) {
            throw new ConfigException(
                    "no model '" + model + "'; declared: " + loaded.models().keySet());
        }
        try (Store store = KeysCommand.open(loaded)) {
            if (waive != null) {
                Readiness.Check check = Readiness.Check.parse(waive);
                if (justification == null || justification.strip().length() < 10) {
                    throw new IllegalArgumentException(
                            "--waive needs --justification: at least 10 characters saying why, kept in the audit log");
                }
                var waiver = new Waiver(
                        model, check.id(), justification.strip(), AuditTrail.commandLineActor(), Instant.now());
                store.recordWaiver(waiver);
                new AuditTrail(store, Clock.systemUTC())
                        .record(
                                AdminAction.READINESS_WAIVED,
                                null,
                                waiver.actor(),
                                model,
                                Map.of("check", check.id(), "justification", waiver.justification()));
            }
            Readiness.Scorecard card = ReadinessGate.scorecard(loaded, store, model, version);
            print(card);
            return card.ready() ? 0 : 1;
        }
    }

    private void print(Readiness.Scorecard card) throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(ReadinessGate.json(card)));
            return;
        }
        out.printf(
                "Readiness of %s%s: %s%n",
                card.model(),
                card.version() == null ? "" : " version " + card.version(),
                card.ready() ? "READY" : "NOT READY");
        for (var r : card.results()) {
            String mark = r.passed() ? "PASS  " : r.waiver() != null ? "WAIVED" : "MISS  ";
            out.printf("  %s %-15s %s%n", mark, r.check().id(), r.detail());
            if (r.waiver() != null) {
                out.printf(
                        "         waived by %s at %s: %s%n",
                        r.waiver().actor(), r.waiver().at(), r.waiver().justification());
            }
        }
        if (!card.ready()) {
            out.println("Missing:");
            for (var r : card.missing()) {
                out.printf("  - %s%n", r.check().requirement());
            }
        }
    }
}
