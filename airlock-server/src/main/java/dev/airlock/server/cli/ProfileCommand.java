package dev.airlock.server.cli;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.airlock.audit.AuditTrail;
import dev.airlock.monitor.CategoricalColumn;
import dev.airlock.monitor.Column;
import dev.airlock.monitor.NumericColumn;
import dev.airlock.monitor.Profile;
import dev.airlock.monitor.Profiles;
import dev.airlock.server.config.AirlockConfig;
import dev.airlock.server.config.ConfigException;
import dev.airlock.server.config.Durations;
import dev.airlock.server.json.Json;
import dev.airlock.server.json.ProfileJson;
import dev.airlock.server.runtime.CommandStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code airlock profile show|reference}: profiles of model versions and their reference profiles. */
@Command(
        name = "profile",
        mixinStandardHelpOptions = true,
        description = "Profiles of what model versions are given and answer, per window, and their references.",
        subcommands = {ProfileCommand.Show.class, ProfileCommand.Reference.class})
final class ProfileCommand {

    /** {@code airlock profile show MODEL [--version V] [--window D] [--json]}. */
    @Command(
            name = "show",
            mixinStandardHelpOptions = true,
            description = "Prints a model's profile (each version, or --version): per column count, nulls, type"
                    + " errors and quantiles or top categories, and the schema drift counts. Shows what nodes have"
                    + " flushed (every minute by default).")
    static final class Show implements Callable<Integer> {
        @Mixin
        ConfigOption config;

        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "MODEL")
        String model;

        @Option(names = "--version", paramLabel = "V", description = "One version (default: every declared one).")
        String version;

        @Option(
                names = "--window",
                paramLabel = "DURATION",
                description = "How far back, e.g. 6h: the windows that started within it and the current one"
                        + " (default: the current window).")
        String window;

        @Option(names = "--json", description = "Print the profiles as JSON, as the admin API returns them.")
        boolean json;

        @Option(names = "--reference", description = "Print the version's reference profile instead (needs --version).")
        boolean reference;

        @Override
        public Integer call() {
            AirlockConfig loaded = config.load();
            Duration last = window == null ? Duration.ZERO : parse(window);
            try (CommandStore store = CommandStore.openForReading(loaded)) {
                if (reference) {
                    if (version == null) {
                        throw new ConfigException("--reference needs --version");
                    }
                    Profile ref = store.profiles(loaded)
                            .reference(model, version)
                            .orElseThrow(() -> new ConfigException("model " + model + " version " + version
                                    + " has no reference profile; airlock profile reference puts one"));
                    return print(new Profiles.Found(List.of(ref)));
                }
                return switch (store.profiles(loaded).read(model, version, last)) {
                    case Profiles.Found found -> print(found);
                    case Profiles.UnknownModel m -> throw new ConfigException("no model '" + m.model() + "'");
                    case Profiles.UnknownVersion v ->
                        throw new ConfigException("model " + v.model() + " has no version '" + v.version()
                                + "'; its versions are " + v.declared());
                };
            }
        }

        private int print(Profiles.Found found) {
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                var array = JsonNodeFactory.instance.arrayNode();
                found.profiles().forEach(p -> array.add(ProfileJson.profile(p)));
                out.println(Json.mapper().valueToTree(array).toPrettyString());
                return 0;
            }
            found.profiles().forEach(p -> ProfileText.print(out, p));
            return 0;
        }

        private static Duration parse(String text) {
            try {
                return Durations.parseLookBack(text);
            } catch (IllegalArgumentException e) {
                throw new ConfigException("--window: " + e.getMessage());
            }
        }
    }

    /** {@code airlock profile reference MODEL VERSION FILE}. */
    @Command(
            name = "reference",
            mixinStandardHelpOptions = true,
            description = "Builds a model version's reference profile from FILE (CSV with a header row: training or"
                    + " validation data) and stores it, replacing the one it had. Audited.")
    static final class Reference implements Callable<Integer> {
        @Mixin
        ConfigOption config;

        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "MODEL")
        String model;

        @Parameters(index = "1", paramLabel = "VERSION")
        String version;

        @Parameters(index = "2", paramLabel = "FILE")
        Path file;

        @Override
        public Integer call() throws IOException {
            AirlockConfig loaded = config.load();
            if (!Files.isRegularFile(file)) {
                throw new ConfigException("no file at " + file);
            }
            try (CommandStore store = CommandStore.open(loaded);
                    Reader csv = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                var put = store.profiles(loaded).putReference(model, version, csv, AuditTrail.commandLineActor());
                PrintWriter out = spec.commandLine().getOut();
                switch (put) {
                    case Profiles.Stored s -> {
                        out.printf(
                                "reference profile of %s@%s: %d rows of %s%s%s%n",
                                model,
                                version,
                                s.rows(),
                                file,
                                s.label() == null ? "" : "; label column " + s.label(),
                                s.ignored().isEmpty() ? "" : "; ignored columns " + s.ignored());
                        ProfileText.print(out, s.reference());
                        return 0;
                    }
                    case Profiles.Invalid i -> throw new ConfigException(file + ": " + i.message());
                    case Profiles.UnknownModel m -> throw new ConfigException("no model '" + m.model() + "'");
                    case Profiles.UnknownVersion v ->
                        throw new ConfigException("model " + v.model() + " has no version '" + v.version()
                                + "'; its versions are " + v.declared());
                }
            }
        }
    }

    /** A profile as text: one line per column. */
    static final class ProfileText {
        private ProfileText() {}

        static void print(PrintWriter out, Profile p) {
            out.printf("%s@%s  %s .. %s  %d calls%n", p.model(), p.version(), p.from(), p.to(), p.count());
            if (p.unknownFields() > 0 || p.missingFields() > 0) {
                out.printf(
                        "  schema drift: unknown fields %s, missing fields %s%n",
                        p.unknownFieldNames(), p.missingFieldNames());
            }
            p.inputs().forEach((name, c) -> out.println("  in   " + line(name, c)));
            p.outputs().forEach((name, c) -> out.println("  out  " + line(name, c)));
        }

        private static String line(String name, Column c) {
            String head = String.format(
                    Locale.ROOT, "%-22s n=%d nulls=%d type_errors=%d", name, c.count(), c.nulls(), c.typeErrors());
            return switch (c) {
                case NumericColumn n ->
                    head + "  "
                            + Arrays.stream(ProfileJson.RANKS)
                                    .mapToObj(r -> ProfileJson.rankName(r) + "=" + number(n.quantile(r)))
                                    .collect(Collectors.joining(" "));
                case CategoricalColumn k -> head + "  " + top(k.counts()) + (k.exact() ? "" : " (estimates)");
            };
        }

        private static String top(Map<String, Long> counts) {
            return counts.entrySet().stream()
                    .limit(8)
                    .map(e -> e.getKey() + "=" + e.getValue())
                    .collect(Collectors.joining(" "));
        }

        private static String number(double v) {
            if (Double.isNaN(v)) {
                return "-";
            }
            return Math.abs(v) >= 1000 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.4g", v);
        }
    }
}
