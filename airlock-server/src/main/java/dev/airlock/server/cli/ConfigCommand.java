package dev.airlock.server.cli;

import dev.airlock.server.config.ConfigSchema;
import dev.airlock.server.config.ModelConfig;
import dev.airlock.server.json.Json;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code airlock config check}. */
@Command(
        name = "config",
        mixinStandardHelpOptions = true,
        description = "Work with the configuration file.",
        subcommands = {ConfigCommand.Check.class, ConfigCommand.Schema.class})
final class ConfigCommand {

    @Command(
            name = "schema",
            mixinStandardHelpOptions = true,
            description = "Prints the JSON Schema of configuration files (also in docs/airlock.schema.json), for editor"
                    + " completion and checks.")
    static final class Schema implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            spec.commandLine().getOut().println(schemaText());
            return 0;
        }

        /** The schema as committed in docs: pretty-printed JSON. */
        static String schemaText() throws Exception {
            return Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(ConfigSchema.generate());
        }
    }

    @Command(
            name = "check",
            mixinStandardHelpOptions = true,
            description =
                    "Reads and checks the configuration; prints what it declares, or the first error with file and line.")
    static final class Check implements Callable<Integer> {
        @Mixin
        ConfigOption config;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            var loaded = config.load();
            var out = spec.commandLine().getOut();
            out.printf(
                    "%s is valid: %d provider(s), %d model(s), %d bootstrap key(s)%n",
                    config.path(),
                    loaded.providers().size(),
                    loaded.models().size(),
                    loaded.keys().size());
            loaded.models()
                    .forEach((name, m) -> out.printf(
                            "  model %-20s %-10s via %s%n", name, m.kind().id(), route(m.targets())));
            loaded.workflows()
                    .flows()
                    .forEach((name, f) -> out.printf(
                            "  workflow %-17s %d agent(s), %d tool(s), %d top-level step(s)%n",
                            name, f.agents().size(), f.tools().size(), f.steps().size()));
            return 0;
        }

        /** The targets in fallback order, e.g. {@code a, then b}; weighted targets with their weights. */
        static String route(List<ModelConfig.RouteConfig> targets) {
            return targets.stream()
                    .map(t -> t.weight() > 0 ? t.provider() + " (weight " + t.weight() + ")" : t.provider())
                    .collect(Collectors.joining(", then "));
        }
    }
}
