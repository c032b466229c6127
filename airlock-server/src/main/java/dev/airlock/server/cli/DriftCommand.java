package dev.airlock.server.cli;

import dev.airlock.monitor.DriftWatch;
import dev.airlock.monitor.drift.DriftOptions;
import dev.airlock.server.config.AirlockConfig;
import dev.airlock.server.config.ConfigException;
import dev.airlock.server.config.Durations;
import dev.airlock.server.json.DriftJson;
import dev.airlock.server.runtime.CommandStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code airlock drift MODEL [--version V] [--since 24h] [--json | --html FILE]}. */
@Command(
        name = "drift",
        mixinStandardHelpOptions = true,
        description = "Compares a model version's recent traffic (its profile over --since, merged) with its reference"
                + " profile, column by column, and prints the drift report. Reads what nodes have flushed (every"
                + " minute by default).")
final class DriftCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL")
    String model;

    @Option(names = "--version", paramLabel = "V", description = "The version (default: the model's default one).")
    String version;

    @Option(
            names = "--since",
            paramLabel = "DURATION",
            description = "How far back, e.g. 6h: the windows that started within it and the current one (default:"
                    + " 24h).")
    String since;

    @Option(names = "--json", description = "Print the report as JSON, as the admin API returns it.")
    boolean json;

    @Option(names = "--html", paramLabel = "FILE", description = "Write the report as a self-contained HTML page.")
    Path html;

    @Override
    public Integer call() throws IOException {
        if (json && html != null) {
            throw new ConfigException("--json and --html exclude each other");
        }
        AirlockConfig loaded = config.load();
        Duration last = since == null ? DriftWatch.DEFAULT_SINCE : parse(since);
        try (CommandStore store = CommandStore.openForReading(loaded)) {
            var watch = new DriftWatch(store.profiles(loaded));
            return switch (watch.check(model, version, last, DriftOptions.defaults())) {
                case DriftWatch.Report r -> print(r);
                case DriftWatch.NoReference n ->
                    throw new ConfigException("model " + n.model() + " version " + n.version()
                            + " has no reference profile; airlock profile reference puts one, or declare"
                            + " models." + n.model() + ".monitoring.reference");
                case DriftWatch.NoTraffic n ->
                    throw new ConfigException("model " + n.model() + " version " + n.version() + " had no calls from "
                            + n.from() + " to " + n.to() + " (nodes flush every minute; widen --since)");
                case DriftWatch.UnknownModel m -> throw new ConfigException("no model '" + m.model() + "'");
                case DriftWatch.UnknownVersion v ->
                    throw new ConfigException("model " + v.model() + " has no version '" + v.version()
                            + "'; its versions are " + v.declared());
            };
        }
    }

    private int print(DriftWatch.Report r) throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(DriftJson.report(r).toPrettyString());
            return 0;
        }
        if (html != null) {
            Files.writeString(
                    html, r.report().html("Drift of " + r.model() + "@" + r.version()), StandardCharsets.UTF_8);
            out.printf("wrote %s%n", html);
        }
        out.printf(
                "%s@%s  %s .. %s  %d calls against a reference of %d rows%n",
                r.model(), r.version(), r.from(), r.to(), r.calls(), r.referenceRows());
        out.print(r.report().text());
        return 0;
    }

    private static Duration parse(String text) {
        try {
            return Durations.parseLookBack(text);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("--since: " + e.getMessage());
        }
    }
}
