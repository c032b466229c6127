package dev.airlock.server.cli;

import dev.airlock.audit.AuditTrail;
import dev.airlock.monitor.retrain.Candidate;
import dev.airlock.monitor.retrain.RetrainRun;
import dev.airlock.monitor.retrain.Retraining;
import dev.airlock.server.config.AirlockConfig;
import dev.airlock.server.config.ConfigException;
import dev.airlock.server.json.Json;
import dev.airlock.server.json.RetrainJson;
import dev.airlock.server.runtime.CommandStore;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code airlock retrain MODEL [--version V] [--json]}, and {@code --list} for the model's runs. */
@Command(
        name = "retrain",
        mixinStandardHelpOptions = true,
        description = "Runs a model's retraining now (its monitoring.retraining command or webhook) with a data extract"
                + " of its labelled predictions and kept features, registers the candidate version it reports (not"
                + " promoted) and records the run in the audit log. Exit code 0 when the run succeeded, 1 when it"
                + " failed. With --list, shows the model's runs instead.")
final class RetrainCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL")
    String model;

    @Option(names = "--version", paramLabel = "V", description = "The version concerned (default: production).")
    @Nullable
    String version;

    @Option(names = "--list", description = "List the model's runs, newest first, and start none.")
    boolean list;

    @Option(names = "--json", description = "Print as JSON, as the admin API answers.")
    boolean json;

    @Override
    public Integer call() {
        AirlockConfig loaded = config.load();
        if (!loaded.models().containsKey(model)) {
            throw new ConfigException(
                    "no model '" + model + "'; declared: " + loaded.models().keySet());
        }
        PrintWriter out = spec.commandLine().getOut();
        try (CommandStore store = CommandStore.open(loaded)) {
            Retraining retraining = store.retraining(loaded, Clock.systemUTC());
            if (list) {
                List<RetrainRun> runs = retraining.runs(model, 50);
                runs.forEach(r -> print(out, r));
                return 0;
            }
            String actor = AuditTrail.commandLineActor();
            return switch (retraining.retrain(Retraining.Request.manual(model, version, actor))) {
                case Retraining.Result.Ran ran -> {
                    print(out, ran.run());
                    yield ran.run().status() == RetrainRun.Status.SUCCEEDED ? 0 : 1;
                }
                case Retraining.Result.NotConfigured n ->
                    throw new ConfigException("model " + n.model() + " declares no retraining; add models." + n.model()
                            + ".monitoring.retraining (a command or a webhook)");
                case Retraining.Result.NoVersion n ->
                    throw new ConfigException("model " + n.model() + " has no production version; give --version");
                case Retraining.Result.CoolingDown c ->
                    throw new ConfigException("model " + c.model() + " is cooling down until " + c.until());
                case Retraining.Result.AlreadyRunning a ->
                    throw new ConfigException("model " + a.model() + " is being retrained: run "
                            + a.running().id() + " started at " + a.running().startedAt()
                            + " is still running; see --list");
                case Retraining.Result.Started s -> {
                    print(out, s.run()); // not answered by a run in this thread; shown as recorded
                    yield 1;
                }
            };
        }
    }

    private void print(PrintWriter out, RetrainRun r) {
        if (json) {
            out.println(RetrainJson.run(Json.mapper(), r).toPrettyString());
            return;
        }
        out.printf(
                "%s  %s@%s  %s  %s by %s  %d rows  %s%n",
                r.id(),
                r.model(),
                r.version(),
                r.status().id(),
                r.reason(),
                r.actor(),
                r.extractRows(),
                r.exitStatus() == null ? "" : r.trigger() + " status " + r.exitStatus());
        Candidate c = r.candidate();
        if (c != null) {
            out.printf("  candidate %s: %s (sha256 %s)%n", c.version(), c.artifact(), c.sha256());
            out.printf(
                    "  declared in %s: add it to the model's configuration, then evaluate, shadow, canary%n",
                    c.registration());
        }
        if (r.error() != null) {
            out.printf("  error: %s%n", r.error());
        }
        if (!r.outputTail().isEmpty() && r.status() == RetrainRun.Status.FAILED) {
            out.println("  output (tail):");
            r.outputTail().lines().forEach(l -> out.println("    " + l));
        }
    }
}
