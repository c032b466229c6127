package dev.airlock.server.cli;

import dev.airlock.decision.Role;
import dev.airlock.deploy.DeploymentDesk;
import dev.airlock.deploy.DeploymentDesk.BadExpiry;
import dev.airlock.deploy.DeploymentDesk.NoJustification;
import dev.airlock.deploy.DeploymentDesk.Scored;
import dev.airlock.deploy.DeploymentDesk.UnknownCheck;
import dev.airlock.deploy.DeploymentDesk.UnknownModel;
import dev.airlock.deploy.DeploymentDesk.UnknownVersion;
import dev.airlock.deploy.DeploymentDesk.Waived;
import dev.airlock.readiness.Readiness;
import dev.airlock.server.config.AirlockConfig;
import dev.airlock.server.config.ConfigException;
import dev.airlock.server.json.DeploymentJson;
import dev.airlock.server.json.Json;
import dev.airlock.server.runtime.CommandStore;
import dev.airlock.server.runtime.DeclaredModels;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
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
    @Nullable
    String version;

    @Option(names = "--json", description = "Print the scorecard as JSON.")
    boolean json;

    @Option(
            names = "--waive",
            paramLabel = "CHECK",
            description = "Accept this failed check of --model-version (default: the production version) until --until;"
                    + " an admin action: needs --admin-key or $AIRLOCK_ADMIN_KEY.")
    String waive;

    @Option(names = "--justification", paramLabel = "TEXT", description = "Why the check may be waived (required).")
    @Nullable
    String justification;

    @Option(
            names = "--until",
            paramLabel = "DATE",
            description = "When the waiver stops counting: a date (2027-01-31, UTC midnight) or an instant."
                    + " Default: 30 days from now; at most 365.")
    @Nullable
    String until;

    @Mixin
    AdminCredential admin;

    @Override
    public Integer call() throws Exception {
        AirlockConfig loaded = config.load();
        try (CommandStore store = CommandStore.open(loaded)) {
            DeploymentDesk desk = DeclaredModels.desk(
                    loaded,
                    store.deploymentStore(),
                    store.evidenceStore(),
                    store.servedVersions(),
                    store.auditChain(),
                    Clock.systemUTC(),
                    () -> store.profiles(loaded));
            if (waive != null) {
                String actor = admin.requireAdmin(
                        store.keyStore(), loaded.bootstrap().adminTenant(), Role.Permission.WAIVE_CHECKS, "--waive");
                switch (desk.waive(model, version, waive, justification, expiry(), actor)) {
                    case Waived w ->
                        spec.commandLine()
                                .getErr()
                                .printf(
                                        "waived %s for %s version %s until %s%n",
                                        w.waiver().check(),
                                        model,
                                        w.waiver().version(),
                                        w.waiver().expiresAt());
                    case UnknownModel m -> throw new ConfigException(m.message());
                    case UnknownVersion v -> throw new IllegalArgumentException(v.message());
                    case BadExpiry b -> throw new IllegalArgumentException("--until: " + b.message());
                    case UnknownCheck c -> throw new IllegalArgumentException(c.message());
                    case NoJustification n ->
                        throw new IllegalArgumentException("--waive needs --justification: at least "
                                + DeploymentDesk.MIN_JUSTIFICATION + " characters saying why, kept in the audit log");
                }
            }
            Readiness.Scorecard card = switch (desk.scorecard(model, version)) {
                case Scored s -> s.scorecard();
                case UnknownModel m -> throw new ConfigException(m.message());
                case UnknownVersion v -> throw new IllegalArgumentException(v.message());
            };
            print(card);
            return card.ready() ? 0 : 1;
        }
    }

    private @Nullable Instant expiry() {
        if (until == null) {
            return null;
        }
        try {
            return until.contains("T")
                    ? Instant.parse(until)
                    : LocalDate.parse(until).atStartOfDay(ZoneOffset.UTC).toInstant();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("--until " + until + ": expected a date such as 2027-01-31 or an"
                    + " instant such as 2027-01-31T12:00:00Z");
        }
    }

    private void print(Readiness.Scorecard card) throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(
                    Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(DeploymentJson.scorecard(card)));
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
                        "         waived for version %s by %s at %s, until %s: %s%n",
                        r.waiver().version(),
                        r.waiver().actor(),
                        r.waiver().at(),
                        r.waiver().expiresAt(),
                        r.waiver().justification());
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
