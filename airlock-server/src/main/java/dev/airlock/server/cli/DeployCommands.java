package dev.airlock.server.cli;

import dev.airlock.audit.AuditTrail;
import dev.airlock.deploy.Deployment;
import dev.airlock.deploy.DeploymentChange;
import dev.airlock.deploy.DeploymentDesk;
import dev.airlock.deploy.DeploymentDesk.Changed;
import dev.airlock.deploy.DeploymentDesk.Conflict;
import dev.airlock.deploy.DeploymentDesk.NotReady;
import dev.airlock.deploy.DeploymentDesk.Promoted;
import dev.airlock.deploy.DeploymentDesk.Rejected;
import dev.airlock.deploy.DeploymentDesk.Unservable;
import dev.airlock.server.config.AirlockConfig;
import dev.airlock.server.runtime.CommandStore;
import dev.airlock.server.runtime.DeclaredModels;
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

/**
 * {@code airlock promote|rollback|canary|shadow|deployments}: deployment changes from a shell, written to the shared
 * store (every node picks them up within {@code deployments.refresh}) and to the audit log. Each command parses its
 * arguments, calls one use case of {@link DeploymentDesk} and prints its result.
 */
final class DeployCommands {
    private DeployCommands() {}

    /** What every deployment command needs: the deployment use cases over the configuration and the store. */
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
            try (CommandStore store = CommandStore.open(loaded)) {
                return run(
                        DeclaredModels.desk(
                                loaded,
                                store.deploymentStore(),
                                store.evidenceStore(),
                                store.servedVersions(),
                                store.auditChain(),
                                Clock.systemUTC()),
                        spec.commandLine().getOut());
            }
        }

        abstract int run(DeploymentDesk desk, PrintWriter out);

        /** Prints a change made; a refusal of the state is an error (exit 1), of the input a usage error (exit 2). */
        int changed(DeploymentDesk.Change result, PrintWriter out) {
            return switch (result) {
                case Changed c -> {
                    print(out, c.change(), c.deployment());
                    warn(c.warnings());
                    yield 0;
                }
                case Rejected r -> rejected(r);
            };
        }

        /** What the operator should know about a change made: on stderr, so that scripts reading stdout see none. */
        void warn(List<String> warnings) {
            warnings.forEach(w -> spec.commandLine().getErr().println("airlock: warning: " + w));
        }

        int rejected(Rejected r) {
            if (r instanceof Conflict || r instanceof Unservable) {
                spec.commandLine().getErr().println("airlock: " + r.message());
                return 1;
            }
            throw new IllegalArgumentException(r.message());
        }

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
        @Nullable
        String reason;

        @Mixin
        ForceOptions force;

        @Override
        int run(DeploymentDesk desk, PrintWriter out) {
            return switch (desk.promote(model, version, AuditTrail.commandLineActor(), reason, force.force())) {
                case Promoted p -> {
                    print(out, p.change(), p.deployment());
                    warn(p.warnings());
                    yield 0;
                }
                case NotReady refused -> refused(refused);
                case Rejected r -> rejected(r);
            };
        }

        private int refused(NotReady refused) {
            PrintWriter err = spec.commandLine().getErr();
            err.printf("airlock: the readiness gate refuses to promote %s version %s:%n", model, version);
            refused.missing().forEach(r -> err.printf("  - %s: %s%n", r.check().id(), r.detail()));
            err.println("Record the evidence (drills, load test, evaluation) or have an"
                    + " admin waive a check: airlock readiness " + model + " --waive CHECK --justification TEXT");
            return 1;
        }
    }

    @Command(
            name = "rollback",
            mixinStandardHelpOptions = true,
            description = "Returns the model's production to the version before the last promotion and ends any"
                    + " canary. Every node serves the previous version within deployments.refresh.")
    static final class RollbackCommand extends Base {
        @Option(names = "--reason", description = "Why, kept in the audit log.")
        @Nullable
        String reason;

        @Override
        int run(DeploymentDesk desk, PrintWriter out) {
            return changed(desk.rollback(model, AuditTrail.commandLineActor(), reason), out);
        }
    }

    @Command(
            name = "canary",
            mixinStandardHelpOptions = true,
            description = "Sends a share of the model's production traffic to VERSION; it is rolled back"
                    + " automatically when it breaches the model's error-rate or latency thresholds. --stop ends it.")
    static final class CanaryCommand extends Base {
        @Parameters(index = "1", arity = "0..1", paramLabel = "VERSION", description = "The canary version.")
        @Nullable
        String version;

        @Option(names = "--share", defaultValue = "0.1", description = "Share of calls, in (0, 1). Default: 0.1.")
        double share;

        @Option(names = "--stop", description = "End the running canary.")
        boolean stop;

        @Mixin
        ForceOptions force;

        @Override
        int run(DeploymentDesk desk, PrintWriter out) {
            String actor = AuditTrail.commandLineActor();
            if (stop) {
                return changed(desk.stopCanary(model, actor), out);
            }
            if (version == null) {
                throw new IllegalArgumentException("give the canary VERSION, or --stop");
            }
            return changed(desk.startCanary(model, version, share, actor, force.force()), out);
        }
    }

    @Command(
            name = "shadow",
            mixinStandardHelpOptions = true,
            description = "Sends a copy of the model's production traffic to VERSION: its answers are recorded and"
                    + " compared (airlock deployments MODEL), never returned. --stop ends it.")
    static final class ShadowCommand extends Base {
        @Parameters(index = "1", arity = "0..1", paramLabel = "VERSION", description = "The shadow version.")
        @Nullable
        String version;

        @Option(names = "--stop", description = "Stop the shadow copy.")
        boolean stop;

        @Mixin
        ForceOptions force;

        @Override
        int run(DeploymentDesk desk, PrintWriter out) {
            String actor = AuditTrail.commandLineActor();
            if (stop) {
                return changed(desk.stopShadow(model, actor), out);
            }
            if (version == null) {
                throw new IllegalArgumentException("give the shadow VERSION, or --stop");
            }
            return changed(desk.startShadow(model, version, actor, force.force()), out);
        }
    }
}
