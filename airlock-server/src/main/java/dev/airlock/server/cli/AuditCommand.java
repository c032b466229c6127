package dev.airlock.server.cli;

import dev.airlock.audit.ChainVerifier;
import dev.airlock.audit.ChainVerifier.Verification;
import dev.airlock.store.Store;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code airlock audit verify}: checks the audit chain of the configured store. */
@Command(
        name = "audit",
        mixinStandardHelpOptions = true,
        description = "Check the audit trail.",
        subcommands = AuditCommand.Verify.class)
final class AuditCommand {

    @Command(
            name = "verify",
            mixinStandardHelpOptions = true,
            description = "Recomputes the hash chain over every recorded Decision and reports the first position "
                    + "where a record was altered, removed, reordered or inserted. Exit code 1 when it is broken.")
    static final class Verify implements Callable<Integer> {
        @Mixin
        ConfigOption config;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            Verification result;
            try (Store store = KeysCommand.open(config.load())) {
                result = ChainVerifier.verify(store);
            }
            return switch (result) {
                case Verification.Intact intact -> {
                    spec.commandLine()
                            .getOut()
                            .printf("intact: %d records, head %s%n", intact.records(), intact.head());
                    yield 0;
                }
                case Verification.Broken broken -> {
                    spec.commandLine()
                            .getErr()
                            .printf(
                                    "BROKEN at position %d (decision %s): %s%n",
                                    broken.seq(), broken.decisionId(), broken.reason());
                    yield 1;
                }
            };
        }
    }
}
