package dev.airlock.server.cli;

import dev.airlock.audit.ChainVerifier;
import dev.airlock.audit.ChainVerifier.Verification;
import dev.airlock.decision.DecisionQuery;
import dev.airlock.server.http.DecisionJson;
import dev.airlock.server.http.Json;
import dev.airlock.store.Store;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code airlock audit verify}: checks the audit chain of the configured store. */
@Command(
        name = "audit",
        mixinStandardHelpOptions = true,
        description = "Check the audit trail.",
        subcommands = {AuditCommand.Verify.class, AuditCommand.Export.class})
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

    @Command(
            name = "export",
            mixinStandardHelpOptions = true,
            description = "Writes recorded Decisions as JSON Lines, oldest first, streamed (constant memory).")
    static final class Export implements Callable<Integer> {
        @Mixin
        ConfigOption config;

        @Spec
        CommandSpec spec;

        @Option(names = "--tenant", description = "Only this tenant's Decisions. Default: every tenant.")
        String tenant;

        @Option(names = "--from", description = "Started at or after this instant, e.g. 2026-11-01T00:00:00Z.")
        Instant from;

        @Option(names = "--to", description = "Started before this instant.")
        Instant to;

        @Option(names = "--model", description = "Only calls that named this model.")
        String model;

        @Option(names = "--outcome", description = "answered, refused or failed.")
        String outcome;

        @Option(names = "--out", paramLabel = "FILE", description = "Write here instead of standard output.")
        Path out;

        @Override
        public Integer call() throws IOException {
            if (outcome != null && !Set.of("answered", "refused", "failed").contains(outcome)) {
                throw new IllegalArgumentException(
                        "--outcome '" + outcome + "' is not one of answered, refused, failed");
            }
            var render = new DecisionJson(Json.mapper());
            var query = new DecisionQuery(tenant, from, to, model, outcome);
            long[] count = {0};
            try (Store store = KeysCommand.open(config.load());
                    OutputStream sink =
                            out == null ? new FileOutputStream(FileDescriptor.out) : Files.newOutputStream(out)) {
                var buffered = new BufferedOutputStream(sink);
                store.searchDecisions(query, d -> {
                    try {
                        buffered.write(render.bytes(d));
                        buffered.write('\n');
                        count[0]++;
                        return true;
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
                buffered.flush();
            }
            spec.commandLine().getErr().printf("exported %d decisions%n", count[0]);
            return 0;
        }
    }
}
