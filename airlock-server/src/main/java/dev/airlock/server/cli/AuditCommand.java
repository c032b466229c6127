package dev.airlock.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.airlock.audit.AdminAction;
import dev.airlock.audit.AuditEvent;
import dev.airlock.audit.AuditTrail;
import dev.airlock.audit.Checkpointer;
import dev.airlock.audit.ConsistencyProof;
import dev.airlock.audit.InclusionProof;
import dev.airlock.audit.Progress;
import dev.airlock.audit.SigningKey;
import dev.airlock.audit.VerificationReport;
import dev.airlock.audit.VerificationReport.Note;
import dev.airlock.audit.VerificationReport.Outcome;
import dev.airlock.decision.DecisionQuery;
import dev.airlock.server.audit.PublishedCheckpoints;
import dev.airlock.server.audit.SigningKeyFile;
import dev.airlock.server.config.AirlockConfig;
import dev.airlock.server.json.ConsistencyJson;
import dev.airlock.server.json.DecisionJson;
import dev.airlock.server.json.EventJson;
import dev.airlock.server.json.Json;
import dev.airlock.server.json.JsonLines;
import dev.airlock.server.json.ProofJson;
import dev.airlock.server.runtime.CommandStore;
import dev.airlock.store.PrivateFiles;
import java.io.Closeable;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code airlock audit ...}: verify, export, prove, erase, purge and sign the audit log of the configured store. */
@Command(
        name = "audit",
        mixinStandardHelpOptions = true,
        description = "Verify, export and prove the audit log; erase a data subject; purge expired content.",
        subcommands = {
            AuditCommand.Verify.class,
            AuditCommand.Export.class,
            AuditCommand.Proof.class,
            AuditCommand.CheckProof.class,
            AuditCommand.Consistency.class,
            AuditCommand.CheckConsistency.class,
            AuditCommand.Erase.class,
            AuditCommand.Purge.class,
            AuditCommand.Checkpoint.class,
            AuditCommand.RotateKey.class
        })
final class AuditCommand {

    /** Signing keys given on the command line (base64 X.509), by key id. */
    private static Map<String, PublicKey> pinned(List<String> base64Keys) {
        Map<String, PublicKey> keys = new HashMap<>();
        for (String b64 : base64Keys) {
            var key = new SigningKey("pinned", b64.strip(), Instant.EPOCH, null);
            keys.put(SigningKey.idOf(Base64.getDecoder().decode(b64.strip())), key.decode());
        }
        return keys;
    }

    /**
     * Prints how far a verification has got to standard error every {@code PROGRESS_EVERY}, once it has run that long:
     * a log of millions of records takes seconds.
     */
    private static Closeable showProgress(Progress progress) {
        var printer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "airlock-progress");
            t.setDaemon(true);
            return t;
        });
        long every = PROGRESS_EVERY.toMillis();
        printer.scheduleAtFixedRate(
                () -> {
                    long total = progress.total();
                    System.err.printf(
                            "verifying: %,d of %,d %s (%d%%)%n",
                            progress.done(), total, progress.phase(), total == 0 ? 100 : progress.done() * 100 / total);
                },
                every,
                every,
                TimeUnit.MILLISECONDS);
        return printer::shutdownNow;
    }

    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(2);

    /**
     * The checkpoint keys of the signing key file on this machine, which proofs are given against; null (the keys the
     * store publishes) where there is no key file.
     */
    private static @Nullable Map<String, PublicKey> trustedHere(AirlockConfig config) {
        var keys = SigningKeyFile.of(config).trustedKeys();
        return keys.isEmpty() ? null : keys;
    }

    /** A JSON document from a file, or standard input for {@code -}. */
    private static JsonNode readDocument(String file) throws IOException {
        return Json.mapper().readTree(file.equals("-") ? System.in.readAllBytes() : Files.readAllBytes(Path.of(file)));
    }

    @Command(
            name = "verify",
            mixinStandardHelpOptions = true,
            description = "Recomputes the hash chain, the Merkle roots and the checkpoint signatures over the whole log"
                    + " and reports the first position where a record was altered, removed, reordered or inserted,"
                    + " or a checkpoint does not match. Exit code 1 when it is broken.")
    static final class Verify implements Callable<Integer> {
        @Mixin
        ConfigOption config;

        @Spec
        CommandSpec spec;

        @Option(
                names = "--public-key",
                paramLabel = "BASE64",
                description = "A checkpoint signing key to trust (base64 X.509); repeatable. Default: the keys in the"
                        + " signing key file and its retired siblings, else (with a warning) the keys in the store.")
        @Nullable
        List<String> publicKeys;

        @Option(
                names = "--deep",
                description = "Also check the store's search columns against the records (slower): an altered column"
                        + " does not change a record, but searches, exports and spend reports read the columns.")
        boolean deep;

        @Option(
                names = "--published",
                paramLabel = "FILE",
                description = "Also check the log against checkpoints published outside the database (audit.publish):"
                        + " each must be signed by a trusted key and extended by the log. Default: audit.publish, if"
                        + " set.")
        @Nullable
        Path published;

        @Option(
                names = "--json",
                description = "Print the result as one JSON object on standard output (for monitoring): status intact,"
                        + " unsigned (with --strict) or broken, with the same facts as the text. The exit code does not"
                        + " change.")
        boolean json;

        @Option(
                names = "--strict",
                description = "Fail (exit code 1) when records are covered by no signature: neither a checkpoint nor"
                        + " a seal made with the signing key (records written without the key, or after the latest"
                        + " checkpoint when the seals cannot be checked here).")
        boolean strict;

        @Override
        public Integer call() throws IOException {
            AirlockConfig loaded = config.load();
            Path publishedFile = published != null
                    ? published
                    : PublishedCheckpoints.fileOf(loaded).orElse(null);
            Map<String, PublicKey> trusted;
            try {
                trusted = publicKeys == null ? SigningKeyFile.of(loaded).trustedKeys() : pinned(publicKeys);
            } catch (IllegalArgumentException | IllegalStateException e) {
                spec.commandLine().getErr().println("airlock: --public-key: " + e.getMessage());
                return 2;
            }
            // Seals are checked with the key file's secrets; pinned keys mean the file is not trusted.
            Map<String, byte[]> sealKeys =
                    publicKeys == null ? SigningKeyFile.of(loaded).sealKeys() : Map.of();
            var progress = new Progress();
            var request = new VerificationReport.Request(
                    trusted,
                    sealKeys,
                    deep,
                    strict,
                    Optional.ofNullable(publishedFile).map(PublishedCheckpoints::new),
                    published != null,
                    progress);
            Outcome outcome;
            try (CommandStore store = CommandStore.openForReading(loaded);
                    var shown = showProgress(progress)) {
                outcome = VerificationReport.of(store.auditChain(), request);
            }
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            outcome.notes().forEach(note -> err.println(text(note)));
            if (outcome instanceof Outcome.Unverifiable cannot) {
                err.println("airlock: " + cannot.problem());
                return 1;
            }
            if (json) {
                out.println(json(outcome));
                return outcome instanceof Outcome.Intact ? 0 : 1;
            }
            return switch (outcome) {
                case Outcome.Verified verified -> {
                    verified.published()
                            .ifPresent(c -> out.printf(
                                    "published: the log extends all %d checkpoints in %s (the newest covers %d of"
                                            + " the %d records signed)%n",
                                    c.checkpoints(), c.where(), c.newestTreeSize(), c.newestSignedTreeSize()));
                    var intact = verified.chain();
                    out.printf(
                            "intact: %d records, %d signed checkpoints, head %s%n",
                            intact.records(), intact.checkpoints(), intact.head());
                    for (var span : intact.unsigned()) {
                        err.printf(
                                "%s: records %s are covered by no signature: no checkpoint covers them, and %s%n",
                                strict ? "UNSIGNED" : "note",
                                span,
                                verified.sealsChecked()
                                        ? "no seal made with the signing key does (written without the key)"
                                        : "their seals cannot be checked here (no signing key file, or keys"
                                                + " pinned with --public-key)");
                    }
                    yield verified instanceof Outcome.Unsigned ? 1 : 0;
                }
                case Outcome.Broken broken -> {
                    err.printf(
                            "BROKEN at position %d (%s): %s%n",
                            broken.at().seq(),
                            broken.at().recordId(),
                            broken.at().reason());
                    yield 1;
                }
                case Outcome.Unverifiable cannot -> 1; // told above
            };
        }

        /** The outcome as one JSON object, for monitoring: status intact, unsigned or broken, with the same facts. */
        private ObjectNode json(Outcome outcome) {
            var out = Json.mapper().createObjectNode();
            switch (outcome) {
                case Outcome.Verified verified -> {
                    var intact = verified.chain();
                    out.put("status", verified instanceof Outcome.Unsigned ? "unsigned" : "intact")
                            .put("records", intact.records())
                            .put("checkpoints", intact.checkpoints())
                            .put("head", intact.head())
                            .put("unsigned_records", intact.unsignedRecords());
                    var spans = out.putArray("unsigned");
                    intact.unsigned()
                            .forEach(span ->
                                    spans.addObject().put("from", span.first()).put("to", span.last()));
                }
                case Outcome.Broken broken ->
                    out.put("status", "broken")
                            .put("seq", broken.at().seq())
                            .put("record_id", broken.at().recordId())
                            .put("reason", broken.at().reason());
                case Outcome.Unverifiable cannot -> out.put("status", "unverifiable");
            }
            out.put("deep", deep).put("strict", strict);
            if (outcome instanceof Outcome.Verified verified
                    && verified.published().isPresent()) {
                var c = verified.published().get();
                out.putObject("published")
                        .put("file", c.where())
                        .put("checkpoints", c.checkpoints())
                        .put("newest_tree_size", c.newestTreeSize())
                        .put("newest_signed_tree_size", c.newestSignedTreeSize());
            }
            return out;
        }

        private static String text(Note note) {
            return switch (note) {
                case Note.NothingPublishedYet n ->
                    "note: nothing published at " + n.where() + " yet (audit.publish): it appears with the first"
                            + " checkpoint signed";
                case Note.StoreKeysTrusted n ->
                    "note: no signing key file here and no --public-key: checkpoint signatures are checked against the"
                            + " keys the store publishes, which someone able to write the database could replace";
                case Note.NoCheckpointPublished n ->
                    "warning: no checkpoint is published at " + n.where() + ", but the store has signed checkpoints:"
                            + " records cut from the end of the log would not show (the file was removed, publishing"
                            + " failed, or the nodes publish elsewhere)";
                case Note.SignedNotPublished n ->
                    "note: records " + n.first() + ".." + n.last() + " are covered by signed checkpoints that were not"
                            + " published (a failed publication, or audit.publish set later)";
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
        @Nullable
        String tenant;

        @Option(names = "--from", description = "Started at or after this instant, e.g. 2026-11-01T00:00:00Z.")
        @Nullable
        Instant from;

        @Option(names = "--to", description = "Started before this instant.")
        @Nullable
        Instant to;

        @Option(names = "--model", description = "Only calls that named this model.")
        @Nullable
        String model;

        @Option(names = "--outcome", description = "answered, refused or failed.")
        @Nullable
        String outcome;

        @Option(names = "--subject", description = "Only requests that named this data subject (needs --tenant).")
        @Nullable
        String subject;

        @Option(names = "--out", paramLabel = "FILE", description = "Write here instead of standard output.")
        @Nullable
        Path out;

        @Option(
                names = "--events",
                description = "Export administrative events (keys, configuration, erasures, purges) instead of"
                        + " Decisions; --tenant and the time range apply.")
        boolean events;

        @Override
        public Integer call() throws IOException {
            if (events) {
                return exportEvents();
            }
            if (outcome != null && !Set.of("answered", "refused", "failed").contains(outcome)) {
                throw new IllegalArgumentException(
                        "--outcome '" + outcome + "' is not one of answered, refused, failed");
            }
            if (subject != null && tenant == null) {
                throw new IllegalArgumentException("--subject needs --tenant: subject ids are per tenant");
            }
            var render = new DecisionJson(Json.mapper());
            var query = new DecisionQuery(tenant, from, to, model, outcome, subject);
            long count;
            try (CommandStore store = CommandStore.openForReading(config.load());
                    OutputStream sink = sink()) {
                count = JsonLines.write(sink, v -> store.decisionLog().searchDecisions(query, v), render::bytes);
            }
            spec.commandLine().getErr().printf("exported %d decisions%n", count);
            return 0;
        }

        private int exportEvents() throws IOException {
            var mapper = Json.mapper();
            long count;
            try (CommandStore store = CommandStore.openForReading(config.load());
                    OutputStream sink = sink()) {
                count = JsonLines.<AuditEvent>write(
                        sink,
                        v -> store.auditChain().searchEvents(tenant, from, to, v),
                        e -> Json.bytes(EventJson.render(mapper, e)));
            }
            spec.commandLine().getErr().printf("exported %d events%n", count);
            return 0;
        }

        private OutputStream sink() throws IOException {
            return out == null ? new FileOutputStream(FileDescriptor.out) : PrivateFiles.newOutputStream(out);
        }
    }

    @Command(
            name = "proof",
            mixinStandardHelpOptions = true,
            description = "Prints the inclusion proof of one record (a Decision or an event) against the latest signed"
                    + " checkpoint, as JSON for 'airlock audit check-proof' or any RFC 9162 verifier.")
    static final class Proof implements Callable<Integer> {
        @Mixin
        ConfigOption config;

        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "ID", description = "The Decision id (x-airlock-decision-id) or event id.")
        String id;

        @Override
        public Integer call() throws IOException {
            AirlockConfig loaded = config.load();
            try (CommandStore store = CommandStore.openForReading(loaded)) {
                var link = store.auditChain().findLink(id);
                if (link.isEmpty()) {
                    spec.commandLine().getErr().println("airlock: no record '" + id + "' in the audit log");
                    return 1;
                }
                Optional<InclusionProof> proof;
                try {
                    proof = InclusionProof.of(
                            store.auditChain(), link.get().record(), link.get().seq(), trustedHere(loaded));
                } catch (IllegalStateException e) {
                    spec.commandLine().getErr().println("airlock: " + e.getMessage());
                    return 1;
                }
                if (proof.isEmpty()) {
                    spec.commandLine()
                            .getErr()
                            .println("airlock: no signed checkpoint covers record "
                                    + link.get().seq()
                                    + " yet; run 'airlock audit checkpoint' or wait for the server to sign one");
                    return 1;
                }
                spec.commandLine()
                        .getOut()
                        .println(Json.mapper()
                                .writerWithDefaultPrettyPrinter()
                                .writeValueAsString(ProofJson.render(Json.mapper(), proof.get())));
            }
            return 0;
        }
    }

    @Command(
            name = "check-proof",
            mixinStandardHelpOptions = true,
            description = "Checks an inclusion proof offline, without a store: the record hashes to its leaf, the path"
                    + " leads to the checkpoint's root, and the checkpoint's signature holds. Exit code 1 if not.")
    static final class CheckProof implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "FILE", description = "The proof, or a Decision document carrying one (- for stdin).")
        String file;

        @Option(
                names = "--public-key",
                paramLabel = "BASE64",
                description = "The signing key you trust (base64 X.509, from 'airlock audit rotate-key' or the"
                        + " store). Default: the key inside the proof, which only shows the proof is consistent.")
        @Nullable
        String publicKey;

        @Override
        public Integer call() throws IOException {
            JsonNode document = readDocument(file);
            InclusionProof proof;
            PublicKey trusted;
            try {
                proof = ProofJson.read(document);
                trusted = publicKey == null
                        ? null
                        : new SigningKey("trusted", publicKey.strip(), Instant.EPOCH, null).decode();
            } catch (IllegalArgumentException | IllegalStateException e) {
                spec.commandLine().getErr().println("INVALID: " + e.getMessage());
                return 1;
            }
            var problem = proof.check(trusted);
            if (problem.isPresent()) {
                spec.commandLine().getErr().println("INVALID: " + problem.get());
                return 1;
            }
            spec.commandLine()
                    .getOut()
                    .printf(
                            "valid: record %s is entry %d of the %d-record log signed by key %s at %s%s%n",
                            proof.recordId(),
                            proof.seq(),
                            proof.checkpoint().treeSize(),
                            proof.checkpoint().keyId(),
                            proof.checkpoint().signedAt(),
                            trusted == null ? " (key taken from the proof; pass --public-key to pin it)" : "");
            return 0;
        }
    }

    @Command(
            name = "consistency",
            mixinStandardHelpOptions = true,
            description = "Prints the proof that the log only grew between two signed checkpoints (RFC 9162"
                    + " consistency proof), to check offline with 'airlock audit check-consistency'.")
    static final class Consistency implements Callable<Integer> {
        @Mixin
        ConfigOption config;

        @Spec
        CommandSpec spec;

        @Option(
                names = "--from",
                required = true,
                paramLabel = "SIZE",
                description = "The tree size of the older checkpoint (the one you kept).")
        long from;

        @Option(
                names = "--to",
                paramLabel = "SIZE",
                description = "The tree size of the newer checkpoint. Default: the latest.")
        @Nullable
        Long to;

        @Override
        public Integer call() throws IOException {
            AirlockConfig loaded = config.load();
            try (CommandStore store = CommandStore.openForReading(loaded)) {
                ConsistencyProof proof;
                try {
                    proof = ConsistencyProof.of(store.auditChain(), from, to, trustedHere(loaded));
                } catch (IllegalArgumentException | IllegalStateException e) {
                    spec.commandLine().getErr().println("airlock: " + e.getMessage());
                    return 1;
                }
                spec.commandLine()
                        .getOut()
                        .println(Json.mapper()
                                .writerWithDefaultPrettyPrinter()
                                .writeValueAsString(ConsistencyJson.render(Json.mapper(), proof)));
            }
            return 0;
        }
    }

    @Command(
            name = "check-consistency",
            mixinStandardHelpOptions = true,
            description = "Checks a consistency proof offline, without a store: both checkpoints' signatures hold and"
                    + " the path leads from the older root to the newer one. Exit code 1 if not.")
    static final class CheckConsistency implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "FILE", description = "The proof (- for stdin).")
        String file;

        @Option(
                names = "--public-key",
                paramLabel = "BASE64",
                description = "A signing key you trust (base64 X.509); repeatable. Default: the keys inside the proof,"
                        + " which only shows the proof is consistent.")
        @Nullable
        List<String> publicKeys;

        @Option(
                names = "--root",
                paramLabel = "HEX",
                description = "The Merkle root you kept for the older checkpoint; the proof must start from it."
                        + " Needs --size.")
        @Nullable
        String keptRoot;

        @Option(
                names = "--size",
                paramLabel = "N",
                description = "The tree size you kept with that root: a root alone can be passed off as a smaller"
                        + " tree's.")
        @Nullable
        Long keptSize;

        @Override
        public Integer call() throws IOException {
            if ((keptRoot == null) != (keptSize == null)) {
                spec.commandLine().getErr().println("airlock: --root and --size go together");
                return 2;
            }
            JsonNode document = readDocument(file);
            ConsistencyProof proof;
            Map<String, PublicKey> trusted;
            try {
                proof = ConsistencyJson.read(document);
                trusted = publicKeys == null ? null : pinned(publicKeys);
            } catch (IllegalArgumentException | IllegalStateException e) {
                spec.commandLine().getErr().println("INVALID: " + e.getMessage());
                return 1;
            }
            var problem = proof.check(trusted);
            if (problem.isEmpty()
                    && keptRoot != null
                    && (!keptRoot.strip().equalsIgnoreCase(proof.older().root())
                            || keptSize != proof.older().treeSize())) {
                problem = Optional.of("the older checkpoint is not the one you kept (tree size "
                        + proof.older().treeSize() + ", root " + proof.older().root() + ")");
            }
            if (problem.isPresent()) {
                spec.commandLine().getErr().println("INVALID: " + problem.get());
                return 1;
            }
            spec.commandLine()
                    .getOut()
                    .printf(
                            "valid: the %d-record log signed at %s is the start of the %d-record log signed at %s%s%n",
                            proof.older().treeSize(),
                            proof.older().signedAt(),
                            proof.newer().treeSize(),
                            proof.newer().signedAt(),
                            trusted == null ? " (keys taken from the proof; pass --public-key to pin them)" : "");
            return 0;
        }
    }

    @Command(
            name = "erase",
            mixinStandardHelpOptions = true,
            description = "Erases a data subject (GDPR Art. 17) by destroying their encryption key: content kept for"
                    + " them reads as erased from now on, the chain still verifies, and the erasure is audited.")
    static final class Erase implements Callable<Integer> {
        @Mixin
        ConfigOption config;

        @Spec
        CommandSpec spec;

        @Option(names = "--tenant", required = true, description = "The tenant the subject belongs to.")
        String tenant;

        @Option(names = "--subject", required = true, description = "The subject id as sent in Airlock-Subject.")
        String subject;

        @Override
        public Integer call() {
            try (CommandStore store = CommandStore.open(config.load())) {
                int records =
                        store.erasure().eraseSubject(tenant, subject, AuditTrail.commandLineActor(), Instant.now());
                spec.commandLine()
                        .getOut()
                        .printf(
                                "erased subject of tenant %s: %d decisions' content is now unreadable%n",
                                tenant, records);
            }
            return 0;
        }
    }

    @Command(
            name = "purge",
            mixinStandardHelpOptions = true,
            description = "Removes content whose retention ran out now (the server also does this on a schedule).")
    static final class Purge implements Callable<Integer> {
        @Mixin
        ConfigOption config;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            try (CommandStore store = CommandStore.open(config.load())) {
                int purged = store.erasure().purgeExpiredContent(Instant.now(), AuditTrail.commandLineActor());
                spec.commandLine().getOut().printf("purged the content of %d decisions%n", purged);
            }
            return 0;
        }
    }

    @Command(
            name = "checkpoint",
            mixinStandardHelpOptions = true,
            description = "Signs a checkpoint over every record now (the server also does this on a schedule).")
    static final class Checkpoint implements Callable<Integer> {
        @Mixin
        ConfigOption config;

        @Spec
        CommandSpec spec;

        @Option(
                names = "--accept-unsealed",
                description = "Also sign over records no seal covers (written without the signing key: by an earlier"
                        + " version, a command without the key file, or someone with write access to the database),"
                        + " once you have looked at them ('airlock audit verify' names them). Recorded as an"
                        + " audit.unsealed_accepted event.")
        boolean acceptUnsealed;

        @Override
        public Integer call() {
            AirlockConfig loaded = config.load();
            try (CommandStore store = CommandStore.openForReading(loaded)) {
                var file = SigningKeyFile.of(loaded);
                var signer = file.loadOrCreate(store.auditChain(), Instant.now());
                store.auditChain().sealWith(signer);
                var checkpointer = new Checkpointer(
                        store.auditChain(), signer, Clock.systemUTC(), file.trustedKeys(), file.sealKeys());
                var signed = checkpointer.checkpoint();
                if (!publish(loaded, signed)) {
                    return 1;
                }
                var unsealed = checkpointer.unsealed();
                if (unsealed.isPresent() && acceptUnsealed) {
                    new AuditTrail(store.auditChain(), Clock.systemUTC())
                            .record(
                                    AdminAction.UNSEALED_ACCEPTED,
                                    null,
                                    AuditTrail.commandLineActor(),
                                    unsealed.get().toString(),
                                    Map.of(
                                            "first",
                                                    Long.toString(unsealed.get().first()),
                                            "last", Long.toString(unsealed.get().last())));
                    signed = checkpointer.checkpointAcceptingUnsealed();
                    if (!publish(loaded, signed)) {
                        return 1;
                    }
                } else if (unsealed.isPresent()) {
                    signed.ifPresent(c -> spec.commandLine()
                            .getOut()
                            .println("signed checkpoint at " + c.treeSize() + " records, root " + c.root()));
                    spec.commandLine()
                            .getErr()
                            .printf(
                                    "airlock: record %d carries no seal by the signing key, so no checkpoint is signed"
                                            + " over records %s; look at them ('airlock audit verify' names the"
                                            + " unsealed ones, 'airlock audit export'), then sign them with"
                                            + " --accept-unsealed%n",
                                    unsealed.get().first(), unsealed.get());
                    return 1;
                }
                spec.commandLine()
                        .getOut()
                        .println(signed.map(c -> "signed checkpoint at " + c.treeSize() + " records, root " + c.root())
                                .orElse("nothing new since the last checkpoint"));
            }
            return 0;
        }

        private boolean publish(AirlockConfig loaded, Optional<dev.airlock.audit.Checkpoint> signed) {
            if (signed.isPresent()
                    && !PublishedCheckpoints.publishIfConfigured(PublishedCheckpoints.of(loaded), signed.get())) {
                spec.commandLine()
                        .getErr()
                        .println("airlock: the checkpoint is signed and stored, but could not be published to "
                                + PublishedCheckpoints.fileOf(loaded).orElseThrow());
                return false;
            }
            return true;
        }
    }

    @Command(
            name = "rotate-key",
            mixinStandardHelpOptions = true,
            description = "Replaces the checkpoint signing key; the old public key stays published so that old"
                    + " checkpoints still verify. Restart running nodes to sign with the new key.")
    static final class RotateKey implements Callable<Integer> {
        @Mixin
        ConfigOption config;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            AirlockConfig loaded = config.load();
            try (CommandStore store = CommandStore.open(loaded)) {
                var file = SigningKeyFile.of(loaded);
                SigningKey key = file.rotate(store.auditChain(), Instant.now());
                new AuditTrail(store.auditChain(), Clock.systemUTC())
                        .record(
                                AdminAction.SIGNING_KEY_ROTATED,
                                null,
                                AuditTrail.commandLineActor(),
                                key.keyId(),
                                Map.of("file", file.path().toString()));
                spec.commandLine()
                        .getOut()
                        .printf(
                                "new signing key %s in %s%npublic key: %s%n",
                                key.keyId(), file.path(), key.publicKey());
            }
            return 0;
        }
    }
}
