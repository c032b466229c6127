package dev.airlock.server.cli;

import dev.airlock.audit.AdminAction;
import dev.airlock.audit.AuditTrail;
import dev.airlock.auth.ApiKeyRecord;
import dev.airlock.auth.ApiKeys;
import dev.airlock.decision.Role;
import dev.airlock.server.config.Durations;
import dev.airlock.server.runtime.CommandStore;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.Callable;
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
        String expiresIn;

        @Override
        public Integer call() {
            Role parsed = Role.parse(role);
            Instant now = Instant.now();
            Instant expires = expiresIn == null ? null : now.plus(lifetime(expiresIn));
            try (CommandStore store = CommandStore.open(config.load())) {
                var issued = ApiKeys.issue(tenant, parsed, name, now, expires);
                store.keyStore().insertKey(issued.record());
                new AuditTrail(store.auditChain(), Clock.systemUTC())
                        .record(
                                AdminAction.KEY_CREATED,
                                tenant,
                                AuditTrail.commandLineActor(),
                                issued.record().id(),
                                expires == null
                                        ? Map.of("role", parsed.id(), "name", name)
                                        : Map.of("role", parsed.id(), "name", name, "expires_at", expires.toString()));
                PrintWriter out = spec.commandLine().getOut();
                out.println(issued.key());
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

        private static Duration lifetime(String text) {
            return Durations.parse(text);
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
                if (!store.keyStore().revokeKey(id, Instant.now())) {
                    spec.commandLine().getErr().println("airlock: no active key '" + id + "'");
                    return 1;
                }
                String tenant =
                        store.keyStore().findKey(id).map(ApiKeyRecord::tenant).orElse(null);
                new AuditTrail(store.auditChain(), Clock.systemUTC())
                        .record(AdminAction.KEY_REVOKED, tenant, AuditTrail.commandLineActor(), id, Map.of());
                spec.commandLine().getOut().println("Revoked key " + id);
            }
            return 0;
        }
    }
}
