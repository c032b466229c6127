package dev.airlock.server.cli;

import dev.airlock.audit.AuditTrail;
import dev.airlock.deploy.Deployment;
import dev.airlock.deploy.DeploymentChange;
import dev.airlock.deploy.Deployments;
import dev.airlock.readiness.Readiness;
import dev.airlock.server.ReadinessGate;
import dev.airlock.server.Registry;
import dev.airlock.server.config.AirlockConfig;
import dev.airlock.store.Store;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code airlock promote|rollback|canary|shadow|deployments}: deployment changes from a shell, written to the shared
 * store (every node picks them up within {@code deployments.refresh}) and to the audit log.
 */
final class DeployCommands {
    private DeployCommands() {}

    /** What every deployment command needs: the configuration, the store and the deployments over them. */
    abstract static class Base implements Callable<Integer> {
        @Mixin
        ConfigOption config;

        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "MODEL", description = "The model.")
        String model;

        @Override
        public final Integer call() throws Exception {
            AirlockConfig loaded = config.load();
            try (Store store = KeysCommand.open(loaded)) {
                Deployments deployments = Registry.deployments(loaded, store, Clock.systemUTC());
                return run(loaded, store, deployments, spec.commandLine().getOut());
            }
        }

        abstract int run(AirlockConfig config, Store store, Deployments deployments, PrintWriter out);

        static void print(PrintWriter out, DeploymentChange change, Deployment now) {
            out.printf(
                    "%s %s: %s%s%s (change %s, audited)%n",
                    change.model(),
                    change.action().replace('_', ' '),
                    change.from() == null ? "" : change.from(),
                    change.to() == null ? "" : " -> " + change.to(),
                    change.reason().isEmpty() ? "" : " — " + change.reason(),
                    change.id());
            DeploymentsCommand.show(out, now);
        }
    }

    @Command(
            name = "promote",
            mixinStandardHelpOptions = true,
            description = "Makes VERSION the model's production version, if the readiness gate passes; otherwise"
                    + " prints what is missing and exits 1.")
    static final class PromoteCommand extends Base {
        @Parameters(index = "1", paramLabel = "VERSION", description = "The version to promote.")
        String version;

        @Option(names = "--reason", description = "Why, kept in the audit log.")
        String reason;

        @Override
        int run(AirlockConfig config, Store store, Deployments deployments, PrintWriter out) {
            if (!deployments.versions(model).contains(version)) {
                throw new IllegalArgumentException("model " + model + " has no version '" + version + "'; declared: "
                        + deployments.versions(model));
            }
            Readiness.Scorecard card = ReadinessGate.scorecard(config, store, model, version);
            if (!card.ready()) {
                spec.commandLine()
                        .getErr()
                        .printf("airlock: the readiness gate refuses to promote %s version %s:%n", model, version);
                card.missing()
                        .forEach(r -> spec.commandLine()
                                .getErr()
                                .printf("  - %s: %s%n", r.check().id(), r.detail()));
                spec.commandLine()
                        .getErr()
                        .println("Record the evidence (drills, load test, evaluation) or have an"
                                + " admin waive a check: airlock readiness " + model
                                + " --waive CHECK --justification TEXT");
                return 1;
            }
            var change = deployments.promote(model, version, AuditTrail.commandLineActor(), reason);
            print(out, change, deployments.current(model));
            return 0;
        }
    }

    @Command(
            name = "rollback",
            mixinStandardHelpOptions = true,
            description = "Returns the model's production to the version before the last promotion and ends any"
                    + " canary. Every node serves the previous version within deployments.refresh.")
    static final class RollbackCommand extends Base {
        @Option(names = "--reason", description = "Why, kept in the audit log.")
        String reason;

        @Override
        int run(AirlockConfig config, Store store, Deployments deployments, PrintWriter out) {
            try {
                var change = deployments.rollback(model, AuditTrail.commandLineActor(), reason);
                print(out, change, deployments.current(model));
                return 0;
            } catch (IllegalStateException e) {
                spec.commandLine().getErr().println("airlock: " + e.getMessage());
                return 1;
            }
        }
    }

    @Command(
            name = "canary",
            mixinStandardHelpOptions = true,
            description = "Sends a share of the model's production traffic to VERSION; it is rolled back"
                    + " automatically when it breaches the model's error-rate or latency thresholds. --stop ends it.")
    static final class CanaryCommand extends Base {
        @Parameters(index = "1", arity = "0..1", paramLabel = "VERSION", description = "The canary version.")
        String version;

        @Option(names = "--share", defaultValue = "0.1", description = "Share of calls, in (0, 1). Default: 0.1.")
        double share;

        @Option(names = "--stop", description = "End the running canary.")
        boolean stop;

        @Override
        int run(AirlockConfig config, Store store, Deployments deployments, PrintWriter out) {
            String actor = AuditTrail.commandLineActor();
            if (stop) {
                var change = deployments.endCanary(model, actor, "stopped by hand", false);
                if (change == null) {
                    spec.commandLine().getErr().println("airlock: " + model + " has no canary running");
                    return 1;
                }
                print(out, change, deployments.current(model));
                return 0;
            }
            if (version == null) {
                throw new IllegalArgumentException("give the canary VERSION, or --stop");
            }
            print(out, deployments.startCanary(model, version, share, actor), deployments.current(model));
            return 0;
        }
    }

    @Command(
            name = "shadow",
            mixinStandardHelpOptions = true,
            description = "Sends a copy of the model's production traffic to VERSION: its answers are recorded and"
                    + " compared (airlock deployments MODEL), never returned. --stop ends it.")
    static final class ShadowCommand extends Base {
        @Parameters(index = "1", arity = "0..1", paramLabel = "VERSION", description = "The shadow version.")
        String version;

        @Option(names = "--stop", description = "Stop the shadow copy.")
        boolean stop;

        @Override
        int run(AirlockConfig config, Store store, Deployments deployments, PrintWriter out) {
            if (!stop && version == null) {
                throw new IllegalArgumentException("give the shadow VERSION, or --stop");
            }
            try {
                var change = deployments.shadow(model, stop ? null : version, AuditTrail.commandLineActor());
                print(out, change, deployments.current(model));
                return 0;
            } catch (IllegalStateException e) {
                spec.commandLine().getErr().println("airlock: " + e.getMessage());
                return 1;
            }
        }
    }
}
