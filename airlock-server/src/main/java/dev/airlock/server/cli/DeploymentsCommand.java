package dev.airlock.server.cli;

import dev.airlock.deploy.Deployment;
import dev.airlock.deploy.Deployments;
import dev.airlock.pipeline.ShadowComparison;
import dev.airlock.server.config.AirlockConfig;
import dev.airlock.server.runtime.CommandStore;
import dev.airlock.server.runtime.DeclaredModels;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code airlock deployments [MODEL]}: which versions serve, and for one model its history and shadow comparison. */
@Command(
        name = "deployments",
        mixinStandardHelpOptions = true,
        description = "Shows each model's production, canary, shadow and aliases; with MODEL, also its versions, its"
                + " deployment history and how its shadow compares over the last day.")
final class DeploymentsCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config;

    @Spec
    CommandSpec spec;

    @Parameters(arity = "0..1", paramLabel = "MODEL", description = "One model.")
    @Nullable
    String model;

    @Override
    public Integer call() throws Exception {
        AirlockConfig loaded = config.load();
        PrintWriter out = spec.commandLine().getOut();
        try (CommandStore store = CommandStore.open(loaded)) {
            Deployments deployments =
                    DeclaredModels.deployments(loaded, store.deploymentStore(), store.auditChain(), Clock.systemUTC());
            if (model == null) {
                deployments.all().forEach(d -> show(out, d));
                return 0;
            }
            Deployment d = deployments.current(model);
            show(out, d);
            out.printf("  versions: %s%n", String.join(", ", deployments.versions(model)));
            out.println("  history:");
            for (var c : deployments.history(model)) {
                out.printf(
                        "    %s  %-18s %-8s -> %-8s by %s%s%n",
                        c.at(),
                        c.action(),
                        c.from() == null ? "-" : c.from(),
                        c.to() == null ? "-" : c.to(),
                        c.actor(),
                        c.reason().isEmpty() ? "" : ": " + c.reason());
            }
            if (d.shadow() != null) {
                shadow(out, store.shadowLog(), d);
            }
            return 0;
        }
    }

    static void show(PrintWriter out, Deployment d) {
        out.printf(
                "%s: production %s%s%s%s%n",
                d.model(),
                d.production(),
                d.canary() == null
                        ? ""
                        : ", canary " + d.canary().version() + " at "
                                + Math.round(d.canary().share() * 100) + "%",
                d.shadow() == null ? "" : ", shadow " + d.shadow(),
                d.aliases().isEmpty() ? "" : ", aliases " + d.aliases());
    }

    private static void shadow(PrintWriter out, ShadowComparison.Log store, Deployment d) {
        var tally = new ShadowComparison.Tally(
                Objects.requireNonNull(d.shadow(), "only a deployment with a shadow is compared"));
        store.shadowComparisons(d.model(), Instant.now().minus(Duration.ofDays(1)), tally);
        if (tally.compared() == 0) {
            out.printf("  shadow %s: no calls compared in the last day%n", d.shadow());
            return;
        }
        out.printf(
                "  shadow %s: %d calls compared in the last day, %.1f%% agreed; mean latency %.1f ms (production"
                        + " %.1f ms)%n",
                d.shadow(),
                tally.compared(),
                100.0 * tally.agreementRate(),
                tally.shadowMeanMillis(),
                tally.productionMeanMillis());
    }
}
