package dev.airlock.audit;

import java.security.PublicKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The audit verification report: recomputes the chain, the Merkle roots, the checkpoint signatures and the seals, then
 * checks the log against the checkpoints published outside the database, and decides whether the log is intact,
 * intact but not all signed (which fails with {@code strict}), broken, or cannot be verified as asked. Every door
 * (the {@code airlock audit verify} command, monitoring) reads the same report.
 *
 * <pre>{@code
 * var outcome = VerificationReport.of(store, new Request(trusted, sealKeys, false, true, publication, false));
 * switch (outcome) {
 *     case Outcome.Intact intact -> ok(intact.chain().records());
 *     case Outcome.Unsigned unsigned -> fail(unsigned.chain().unsigned());
 *     case Outcome.Broken broken -> fail(broken.at().seq());
 *     case Outcome.Unverifiable cannot -> fail(cannot.problem());
 * }
 * }</pre>
 */
public final class VerificationReport {
    private VerificationReport() {}

    /**
     * What to verify and against what.
     *
     * @param trusted the checkpoint keys to trust, by key id; empty: the keys the store publishes (with a note)
     * @param sealKeys the seal secrets to check seals with, by key id; empty: seals are not checked
     * @param deep also check the store's search columns against the records
     * @param strict records covered by no signature make the log fail ({@link Outcome.Unsigned})
     * @param publication the checkpoints published outside the database, if any are to be checked
     * @param publicationRequired a missing publication cannot be verified (named explicitly), rather than noted
     * @param progress counts records as they are checked
     */
    public record Request(
            Map<String, PublicKey> trusted,
            Map<String, byte[]> sealKeys,
            boolean deep,
            boolean strict,
            Optional<Publication> publication,
            boolean publicationRequired,
            Progress progress) {
        public Request {
            trusted = Map.copyOf(trusted);
            sealKeys = Map.copyOf(sealKeys);
            Objects.requireNonNull(publication, "publication");
            Objects.requireNonNull(progress, "progress");
        }
    }

    /** How the log stands, with the notes gathered on the way, in the order they arose. */
    public sealed interface Outcome {
        List<Note> notes();

        /** Every record, checkpoint and seal checked out (and the publication, if any). */
        sealed interface Verified extends Outcome {
            ChainVerifier.Verification.Intact chain();

            /** How far the published checkpoints cover the log; empty when none were checked. */
            Optional<Coverage> published();

            /** Whether seals were checked (seal keys were given). */
            boolean sealsChecked();
        }

        /** Intact; records no signature covers, if any, are only noted. */
        record Intact(
                ChainVerifier.Verification.Intact chain,
                Optional<Coverage> published,
                boolean sealsChecked,
                List<Note> notes)
                implements Verified {}

        /** Intact, but records are covered by no signature and the request was strict. */
        record Unsigned(
                ChainVerifier.Verification.Intact chain,
                Optional<Coverage> published,
                boolean sealsChecked,
                List<Note> notes)
                implements Verified {}

        /** The first place where the log, a checkpoint, a seal or a published checkpoint does not check. */
        record Broken(ChainVerifier.Verification.Broken at, List<Note> notes) implements Outcome {}

        /** Not verified: the publication asked for is missing or unreadable. */
        record Unverifiable(String problem, List<Note> notes) implements Outcome {}
    }

    /**
     * How far the published checkpoints cover the log.
     *
     * @param newestTreeSize records covered by the newest published checkpoint
     * @param newestSignedTreeSize records covered by the newest checkpoint in the store
     */
    public record Coverage(String where, int checkpoints, long newestTreeSize, long newestSignedTreeSize) {}

    /** Facts worth telling the operator that do not decide the outcome. */
    public sealed interface Note {
        /** The publication does not exist yet: it appears with the first checkpoint signed. */
        record NothingPublishedYet(String where) implements Note {}

        /** No keys were given to trust: signatures were checked with the keys the store publishes. */
        record StoreKeysTrusted() implements Note {}

        /** Nothing is published although the store has signed checkpoints: records cut from the end would not show. */
        record NoCheckpointPublished(String where) implements Note {}

        /** Records {@code first..last} are covered by signed checkpoints that were not published. */
        record SignedNotPublished(long first, long last) implements Note {}
    }

    /** Verifies {@code chain} as {@code request} asks. */
    public static Outcome of(AuditChain chain, Request request) {
        List<Note> notes = new ArrayList<>();
        Optional<List<Checkpoint>> published = Optional.empty();
        if (request.publication().isPresent()) {
            Publication publication = request.publication().get();
            switch (publication.read()) {
                case Publication.Read.Found found -> published = Optional.of(found.checkpoints());
                case Publication.Read.Absent absent -> {
                    if (request.publicationRequired()) {
                        return new Outcome.Unverifiable("no published checkpoints at " + publication.where(), notes);
                    }
                    notes.add(new Note.NothingPublishedYet(publication.where()));
                    published = Optional.of(List.of());
                }
                case Publication.Read.Unreadable unreadable -> {
                    return new Outcome.Unverifiable(unreadable.problem(), notes);
                }
            }
        }
        Map<String, PublicKey> trusted = new HashMap<>(request.trusted());
        if (trusted.isEmpty()) {
            notes.add(new Note.StoreKeysTrusted());
            trusted.putAll(ChainVerifier.publishedKeys(chain));
        }
        ChainVerifier.Verification result = request.deep()
                ? ChainVerifier.verifyDeep(chain, trusted, request.sealKeys(), request.progress())
                : ChainVerifier.verify(chain, trusted, request.sealKeys(), request.progress());
        Optional<Coverage> coverage = Optional.empty();
        if (result instanceof ChainVerifier.Verification.Intact && published.isPresent()) {
            List<Checkpoint> checkpoints = published.get();
            String where = request.publication().orElseThrow().where();
            var matched = ChainVerifier.verifyPublished(chain, checkpoints, trusted);
            if (checkpoints.isEmpty() && !chain.checkpoints().isEmpty()) {
                notes.add(new Note.NoCheckpointPublished(where));
            }
            if (matched instanceof ChainVerifier.Verification.Intact signed) {
                long newestPublished = checkpoints.stream()
                        .mapToLong(Checkpoint::treeSize)
                        .max()
                        .orElse(0);
                coverage = Optional.of(new Coverage(where, checkpoints.size(), newestPublished, signed.records()));
                if (newestPublished < signed.records()) {
                    // what is signed but not published is protected by the database alone
                    notes.add(new Note.SignedNotPublished(newestPublished + 1, signed.records()));
                }
            } else {
                result = matched;
            }
        }
        return decide(result, coverage, !request.sealKeys().isEmpty(), request.strict(), notes);
    }

    private static Outcome decide(
            ChainVerifier.Verification result,
            Optional<Coverage> coverage,
            boolean sealsChecked,
            boolean strict,
            List<Note> notes) {
        return switch (result) {
            case ChainVerifier.Verification.Broken broken -> new Outcome.Broken(broken, List.copyOf(notes));
            case ChainVerifier.Verification.Intact intact
            when strict && !intact.unsigned().isEmpty() ->
                new Outcome.Unsigned(intact, coverage, sealsChecked, List.copyOf(notes));
            case ChainVerifier.Verification.Intact intact ->
                new Outcome.Intact(intact, coverage, sealsChecked, List.copyOf(notes));
        };
    }
}
