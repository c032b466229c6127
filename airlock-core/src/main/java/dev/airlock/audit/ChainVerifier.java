package dev.airlock.audit;

import java.security.PublicKey;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;

/**
 * Checks an audit log from its first record in one pass: every record's content must hash to its leaf and its link,
 * every link must follow from the one before, positions must run 1, 2, 3, … without gaps, kept content must match
 * the digest the record committed to, and every checkpoint's Merkle root and chain head must match the records
 * before it and carry a valid signature by a known key. Reports the first position that fails.
 */
public final class ChainVerifier {
    private static final HexFormat HEX = HexFormat.of();

    /** The result of a verification. */
    public sealed interface Verification {
        /** Every record and checkpoint checked out. */
        record Intact(long records, String head, long checkpoints) implements Verification {}

        /**
         * The first thing that does not; {@code seq} is where the chain breaks (for a checkpoint, its tree size) and
         * {@code recordId} the record there (for a checkpoint, {@code checkpoint@<tree size>}).
         */
        record Broken(long seq, String recordId, String reason) implements Verification {}
    }

    private ChainVerifier() {}

    /** Verifies with the signing keys the store publishes. */
    public static Verification verify(AuditChain chain) {
        Map<String, PublicKey> keys = new HashMap<>();
        for (SigningKey key : chain.signingKeys()) {
            keys.put(key.keyId(), key.decode());
        }
        return verify(chain, keys);
    }

    /** Verifies, accepting checkpoint signatures only by {@code keys} (key id to public key). */
    public static Verification verify(AuditChain chain, Map<String, PublicKey> keys) {
        var state = new State(new ArrayDeque<>(chain.checkpoints()), keys);
        try {
            chain.forEachLink(state::check);
            state.checkpointsDue();
            if (!state.pending.isEmpty()) {
                Checkpoint beyond = state.pending.peek();
                state.fail(
                        beyond.treeSize(),
                        "checkpoint@" + beyond.treeSize(),
                        "the checkpoint covers " + beyond.treeSize() + " records but the log has "
                                + state.frontier.size() + " (records at the end were removed)");
            }
        } catch (BrokenAt broken) {
            return broken.verification;
        }
        return new Verification.Intact(state.frontier.size(), state.previous, state.checkpointsChecked);
    }

    private static final class State {
        final Deque<Checkpoint> pending;
        final Map<String, PublicKey> keys;
        final MerkleTree.Frontier frontier = new MerkleTree.Frontier();
        String previous = AuditHash.GENESIS;
        long checkpointsChecked;

        State(Deque<Checkpoint> pending, Map<String, PublicKey> keys) {
            this.pending = pending;
            this.keys = keys;
        }

        void check(ChainLink link) {
            long expectedSeq = frontier.size() + 1;
            String id = link.record().id();
            if (link.seq() != expectedSeq) {
                String why = link.seq() > expectedSeq
                        ? "records " + expectedSeq + ".." + (link.seq() - 1) + " are missing"
                        : "position " + link.seq() + " appears again or out of order";
                fail(expectedSeq, id, why);
            }
            if (!Objects.equals(link.previousHash(), previous)) {
                fail(link.seq(), id, "its link to the previous record does not match that record");
            }
            String leaf = AuditHash.leaf(link.record());
            if (!AuditHash.link(previous, leaf).equals(link.hash())) {
                fail(link.seq(), id, "its content does not match its hash (the record was altered)");
            }
            if (!leaf.equals(link.leafHash())) {
                fail(link.seq(), id, "its stored leaf hash does not match its content (proofs would not hold)");
            }
            if (link.record() instanceof AuditRecord.OfDecision d && d.storedContent() != null) {
                if (d.contentSha256() == null || !Sha256.hex(d.storedContent()).equals(d.contentSha256())) {
                    fail(link.seq(), id, "its stored content was altered (it does not match the digest recorded)");
                }
            }
            previous = link.hash();
            frontier.append(HEX.parseHex(leaf));
            checkpointsDue();
        }

        /** Checks every checkpoint whose tree size the scan has reached. */
        void checkpointsDue() {
            while (!pending.isEmpty() && pending.peek().treeSize() <= frontier.size()) {
                Checkpoint c = pending.poll();
                String where = "checkpoint@" + c.treeSize();
                if (c.treeSize() < frontier.size() || c.treeSize() == 0) {
                    fail(c.treeSize(), where, "the checkpoint is out of order or covers no records");
                }
                if (!HEX.formatHex(frontier.root()).equals(c.root())) {
                    fail(c.treeSize(), where, "its Merkle root does not match the records it covers");
                }
                if (!previous.equals(c.head())) {
                    fail(c.treeSize(), where, "its chain head does not match record " + c.treeSize());
                }
                PublicKey key = keys.get(c.keyId());
                if (key == null) {
                    fail(c.treeSize(), where, "it is signed by unknown key " + c.keyId());
                }
                if (!c.signedBy(key)) {
                    fail(c.treeSize(), where, "its signature does not verify with key " + c.keyId());
                }
                checkpointsChecked++;
            }
        }

        void fail(long seq, String id, String reason) {
            throw new BrokenAt(new Verification.Broken(seq, id, reason));
        }
    }

    /** Ends the scan at the first break. */
    private static final class BrokenAt extends RuntimeException {
        private final transient Verification.Broken verification;

        BrokenAt(Verification.Broken verification) {
            super(null, null, false, false);
            this.verification = verification;
        }
    }
}
