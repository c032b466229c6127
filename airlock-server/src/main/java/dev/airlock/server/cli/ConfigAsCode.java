package dev.airlock.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.airlock.audit.AdminAction;
import dev.airlock.audit.AuditChain;
import dev.airlock.audit.AuditTrail;
import dev.airlock.decision.DecisionIds;
import dev.airlock.deploy.Deployment;
import dev.airlock.deploy.DeploymentStore;
import dev.airlock.registry.ConfigRevision;
import dev.airlock.registry.ConfigRevisions;
import dev.airlock.server.config.AirlockConfig;
import dev.airlock.server.config.ConfigException;
import dev.airlock.server.config.ConfigLoader;
import dev.airlock.server.config.ConfigPlan;
import dev.airlock.server.json.Json;
import dev.airlock.server.runtime.CommandStore;
import dev.airlock.server.runtime.DeclaredModels;
import dev.airlock.store.PrivateFiles;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Configuration as code: {@code airlock plan|apply -f PATH} compares the files with the configuration applied last
 * (kept in the store the files name) and records them as a new revision; {@code airlock export} writes the applied
 * configuration back, with each model's aliases as deployed now.
 */
final class ConfigAsCode {
    private ConfigAsCode() {}

    /** The files to plan or apply. */
    static final class FileOption {
        @Option(
                names = {"-f", "--file", "-c", "--config"},
                paramLabel = "PATH",
                description = "A configuration file, or a directory whose .yaml files together make the configuration."
                        + " Default: $AIRLOCK_CONFIG, else ./airlock.yaml.")
        @Nullable
        Path given;

        Path path() {
            return ConfigOption.discover(given);
        }
    }

    @Command(
            name = "plan",
            mixinStandardHelpOptions = true,
            description = "Shows what applying the configuration would create (+), change (~) and remove (-), compared"
                    + " with the configuration applied last. Exit code 0; with --detailed-exitcode, 2 when there are"
                    + " changes.")
    static final class Plan implements Callable<Integer> {
        @Mixin
        FileOption files;

        @Spec
        CommandSpec spec;

        @Option(names = "--detailed-exitcode", description = "Exit 2 when there are changes.")
        boolean detailed;

        @Override
        public Integer call() throws Exception {
            var prepared = Prepared.of(files.path());
            try (CommandStore store = CommandStore.open(prepared.config)) {
                ConfigPlan plan = prepared.planAgainst(store.configRevisions());
                print(spec.commandLine().getOut(), plan, store.configRevisions().latestConfigRevision());
                return detailed && !plan.isEmpty() ? 2 : 0;
            }
        }
    }

    @Command(
            name = "apply",
            mixinStandardHelpOptions = true,
            description = "Checks the configuration (errors name file and line), shows the plan, and records it as the"
                    + " applied revision (audited). Applying the same configuration again changes nothing. Nodes read"
                    + " their files at start and warn when they differ from the applied revision.")
    static final class Apply implements Callable<Integer> {
        @Mixin
        FileOption files;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            var prepared = Prepared.of(files.path());
            PrintWriter out = spec.commandLine().getOut();
            try (CommandStore store = CommandStore.open(prepared.config)) {
                Optional<ConfigRevision> last = store.configRevisions().latestConfigRevision();
                ConfigPlan plan = prepared.planAgainst(store.configRevisions());
                print(out, plan, last);
                if (plan.isEmpty()) {
                    return 0;
                }
                checkDeployedVersions(prepared.config, store.deploymentStore(), store.auditChain());
                Instant now = Instant.now();
                var revision = new ConfigRevision(
                        DecisionIds.next(now.toEpochMilli()),
                        now,
                        AuditTrail.commandLineActor(),
                        Objects.requireNonNull(
                                prepared.config.sourceSha256(), "a configuration read from files has a digest"),
                        Json.mapper().writeValueAsString(prepared.written));
                store.configRevisions().recordConfigRevision(revision);
                Map<String, String> details = new TreeMap<>();
                details.put("revision", revision.id());
                details.put("sha256", revision.sha256());
                details.put("created", Long.toString(plan.count(ConfigPlan.Action.CREATE)));
                details.put("changed", Long.toString(plan.count(ConfigPlan.Action.UPDATE)));
                details.put("removed", Long.toString(plan.count(ConfigPlan.Action.DELETE)));
                new AuditTrail(store.auditChain(), Clock.systemUTC())
                        .record(
                                AdminAction.CONFIG_APPLIED,
                                null,
                                revision.actor(),
                                files.path().toString(),
                                details);
                out.printf("Applied as revision %s (sha256 %s).%n", revision.id(), revision.sha256());
                return 0;
            }
        }

        /** A version some deployment uses must stay declared: removing it would leave nodes unable to start. */
        private static void checkDeployedVersions(AirlockConfig config, DeploymentStore stored, AuditChain audit) {
            var deployments = DeclaredModels.deployments(config, stored, audit, Clock.systemUTC());
            for (Deployment d : stored.deployments()) {
                if (!config.models().containsKey(d.model())) {
                    continue;
                }
                var declared = deployments.versions(d.model());
                var used = new ArrayList<String>();
                used.add(d.production());
                if (d.canary() != null) {
                    used.add(d.canary().version());
                }
                if (d.shadow() != null) {
                    used.add(d.shadow());
                }
                used.addAll(d.aliases().values());
                for (String v : used) {
                    if (!declared.contains(v)) {
                        throw new ConfigException("models." + d.model() + ": version '" + v + "' is deployed (airlock"
                                + " deployments " + d.model() + ") and may not be removed; roll back or stop what"
                                + " uses it first");
                    }
                }
            }
        }
    }

    @Command(
            name = "export",
            mixinStandardHelpOptions = true,
            description = "Writes the applied configuration (or, when none was applied, the one given with --config)"
                    + " as YAML, with each model's aliases as deployed now. Canaries and shadows are not exported:"
                    + " they are experiments, not state.")
    static final class Export implements Callable<Integer> {
        @Mixin
        ConfigOption config;

        @Spec
        CommandSpec spec;

        @Option(
                names = {"-o", "--out"},
                paramLabel = "FILE",
                description = "Where to write. Default: standard output.")
        @Nullable
        Path out;

        @Override
        public Integer call() throws Exception {
            AirlockConfig loaded = config.load();
            try (CommandStore store = CommandStore.open(loaded)) {
                Optional<ConfigRevision> last = store.configRevisions().latestConfigRevision();
                ObjectNode body = last.isPresent()
                        ? (ObjectNode) Json.mapper().readTree(last.get().body())
                        : ConfigLoader.written(config.path());
                var deployments = DeclaredModels.deployments(
                        loaded, store.deploymentStore(), store.auditChain(), Clock.systemUTC());
                JsonNode models = body.path("models");
                if (models.isObject()) {
                    models.fieldNames().forEachRemaining(name -> {
                        if (loaded.models().containsKey(name)) {
                            Deployment d = deployments.current(name);
                            ObjectNode aliases = ((ObjectNode) models.get(name)).putObject("aliases");
                            aliases.put(Deployment.PRODUCTION, d.production());
                            d.aliases().forEach(aliases::put);
                        }
                    });
                }
                String header = last.map(r -> "# airlock export: revision " + r.id() + ", applied by " + r.actor()
                                + " at " + r.at() + "; aliases as deployed at " + Instant.now() + "\n")
                        .orElse("# airlock export: " + config.path() + " (never applied); aliases as deployed at "
                                + Instant.now() + "\n");
                String yaml = header + yaml().writeValueAsString(body);
                if (out == null) {
                    spec.commandLine().getOut().print(yaml);
                } else {
                    PrivateFiles.writeString(out, yaml);
                    spec.commandLine().getOut().printf("wrote %s%n", out);
                }
                return 0;
            }
        }

        private static ObjectMapper yaml() {
            return new ObjectMapper(new YAMLFactory()
                    .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                    .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));
        }
    }

    /** The configuration read (and checked) and as written. */
    private record Prepared(AirlockConfig config, ObjectNode written) {
        static Prepared of(Path path) {
            AirlockConfig config = ConfigLoader.fromSystemEnvironment().load(path);
            return new Prepared(config, ConfigLoader.written(path));
        }

        ConfigPlan planAgainst(ConfigRevisions store) throws Exception {
            Optional<ConfigRevision> last = store.latestConfigRevision();
            JsonNode current =
                    last.isPresent() ? Json.mapper().readTree(last.get().body()) : null;
            return ConfigPlan.between(current, written);
        }
    }

    static void print(PrintWriter out, ConfigPlan plan, Optional<ConfigRevision> last) {
        String against = last.map(r -> "revision " + r.id() + " (applied by " + r.actor() + " at " + r.at() + ")")
                .orElse("nothing applied yet");
        if (plan.isEmpty()) {
            out.printf("No changes: the configuration is the same as %s.%n", against);
            return;
        }
        out.printf("Compared with %s:%n", against);
        plan.changes().forEach(c -> out.println("  " + c));
        out.printf(
                "Plan: %d to create, %d to change, %d to remove.%n",
                plan.count(ConfigPlan.Action.CREATE),
                plan.count(ConfigPlan.Action.UPDATE),
                plan.count(ConfigPlan.Action.DELETE));
    }
}
