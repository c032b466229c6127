package dev.airlock.server.cli;

import dev.airlock.audit.AuditTrail;
import dev.airlock.auth.ApiKeyRecord;
import dev.airlock.auth.KeyDesk;
import dev.airlock.decision.Role;
import dev.airlock.server.config.Durations;
import dev.airlock.server.runtime.CommandStore;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code airlock keys create|list|revoke}: API keys, stored hashed in the configured store. */
@Command(
        name = "keys",
        mixinStandardHelpOptions = true,
        description = "Create, list and revoke API keys.",
        subcommands = {KeysCommand.Create.class, KeysCommand.ListKeys.class, KeysCommand.Revoke.class})
final class KeysCommand {

    @Command(
            name = "create",
            mixinStandardHelpOptions = true,
            description = "Creates a key and prints it once. Only its SHA-256 is stored.")
    static final class Create implements Callable<Integer> {
        @Mixin
        ConfigOption config;

        @Spec
        CommandSpec spec;

        @Option(names = "--tenant", required = true, description = "The tenant the key acts for.")
        String tenant;

        @Option(names = "--role", required = true, description = "app, operator, reviewer, auditor or admin.")
        String role;

        @Option(names = "--name", defaultValue = "", description = "A label, e.g. 'loan-service prod'.")
        String name;

        @Option(
                names = "--expires-in",
                paramLabel = "DURATION",
                description = "Lifetime, e.g. 90d, 12h or 30m. Default: no expiry.")
        @Nullable
        String expiresIn;

        @Override
        public Integer call() {
            Role parsed = Role.parse(role);
            Duration lifetime = expiresIn == null ? null : Durations.parse(expiresIn);
            try (CommandStore store = CommandStore.open(config.load())) {
                var issued = desk(store).issue(tenant, parsed, name, lifetime, AuditTrail.commandLineActor());
                spec.commandLine().getOut().println(issued.key());
                Instant expires = issued.record().expiresAt();
                spec.commandLine()
                        .getErr()
                        .printf(
                                "Created key %s (tenant %s, role %s%s). It is shown once; store it now.%n",
                                issued.record().id(),
                                tenant,
                                parsed.id(),
                                expires == null ? "" : ", expires " + expires);
            }
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists keys (never their secrets).")
    static final class ListKeys implements Callable<Integer> {
        @Mixin
        ConfigOption config;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            try (CommandStore store = CommandStore.open(config.load())) {
                PrintWriter out = spec.commandLine().getOut();
                out.printf("%-14s %-16s %-9s %-8s %-24s %s%n", "ID", "TENANT", "ROLE", "STATE", "CREATED", "NAME");
                Instant now = Instant.now();
                for (ApiKeyRecord k : store.keyStore().listKeys()) {
                    String state = k.revokedAt() != null ? "revoked" : k.activeAt(now) ? "active" : "expired";
                    out.printf(
                            "%-14s %-16s %-9s %-8s %-24s %s%n",
                            k.id(), k.tenant(), k.role().id(), state, k.createdAt(), k.name());
                }
            }
            return 0;
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revokes a key; it fails at once.")
    static final class Revoke implements Callable<Integer> {
        @Mixin
        ConfigOption config;

        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "ID", description = "The key id (the part after 'ak_').")
        String id;

        @Override
        public Integer call() {
            try (CommandStore store = CommandStore.open(config.load())) {
                switch (desk(store).revoke(id, AuditTrail.commandLineActor())) {
                    case KeyDesk.Revocation.NotActive missing -> {
                        spec.commandLine().getErr().println("airlock: no active key '" + missing.id() + "'");
                        return 1;
                    }
                    case KeyDesk.Revocation.Revoked revoked ->
                        spec.commandLine().getOut().println("Revoked key " + revoked.id());
                }
            }
            return 0;
        }
    }

    /** The key desk on the configured store, recording as the command line's user. */
    private static KeyDesk desk(CommandStore store) {
        Clock clock = Clock.systemUTC();
        return new KeyDesk(store.keyStore(), new AuditTrail(store.auditChain(), clock), clock);
    }
}
