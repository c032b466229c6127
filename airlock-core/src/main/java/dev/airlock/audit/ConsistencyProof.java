package dev.airlock.audit;

import java.security.PublicKey;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Evidence that the audit log only grew between two signed checkpoints, checkable without the database: the path
 * (RFC 9162 section 2.1.4) leads from the older checkpoint's Merkle root to the newer one's, so every record the older
 * checkpoint covered is still there, unchanged and in place. An auditor who kept an older checkpoint asks for a proof
 * to the latest and checks it; a log rewritten in between cannot produce one.
 *
 * @param older the earlier checkpoint
 * @param olderKey the public key that signed it
 * @param newer the later checkpoint (may be the same as the older)
 * @param newerKey the public key that signed it
 * @param path the subtree hashes (hex), empty when both checkpoints cover the same records
 */
public record ConsistencyProof(
        Checkpoint older, SigningKey olderKey, Checkpoint newer, SigningKey newerKey, List<String> path) {
    private static final HexFormat HEX = HexFormat.of();

    public ConsistencyProof {
        path = List.copyOf(path);
    }

    /**
     * The proof between the checkpoints of tree sizes {@code from} and {@code to} (the latest when {@code to} is
     * null).
     *
     * @throws IllegalArgumentException when there is no checkpoint of such a size, or {@code from} is after {@code to}
     */
    public static ConsistencyProof of(AuditChain chain, long from, @Nullable Long to) {
        return of(chain, from, to, null);
    }

    /**
     * The proof as {@link #of(AuditChain, long, Long)} gives it, between checkpoints {@code trusted} signed (key id to
     * public key, from outside the database; null trusts the keys the store publishes).
     *
     * @throws IllegalStateException when either checkpoint is not signed by a trusted key
     */
    public static ConsistencyProof of(
            AuditChain chain, long from, @Nullable Long to, @Nullable Map<String, PublicKey> trusted) {
        List<Checkpoint> checkpoints = chain.checkpoints();
        if (checkpoints.isEmpty()) {
            throw new IllegalArgumentException("no checkpoint has been signed yet");
        }
        Checkpoint newer = to == null ? checkpoints.getLast() : find(checkpoints, to);
        Checkpoint older = find(checkpoints, from);
        if (older.treeSize() > newer.treeSize()) {
            throw new IllegalArgumentException(
                    "the checkpoint of " + from + " records is not before the one of " + newer.treeSize() + " records");
        }
        List<String> path = MerkleTree.consistencyPath(
                        older.treeSize(), newer.treeSize(), new StoredSubtrees(chain, newer.treeSize()))
                .stream()
                .map(HEX::formatHex)
                .toList();
        return new ConsistencyProof(
                older,
                InclusionProof.signingKeyOf(chain, older, trusted),
                newer,
                InclusionProof.signingKeyOf(chain, newer, trusted),
                path);
    }

    private static Checkpoint find(List<Checkpoint> checkpoints, long size) {
        return checkpoints.stream()
                .filter(c -> c.treeSize() == size)
                .findFirst()
                .orElseThrow(() -> new NoCheckpoint(
                        size,
                        "no signed checkpoint has tree size " + size
                                + "; signed tree sizes run from "
                                + checkpoints.getFirst().treeSize() + " to "
                                + checkpoints.getLast().treeSize()));
    }

    /** Asked for a tree size no checkpoint was signed at. */
    public static final class NoCheckpoint extends IllegalArgumentException {
        private final long size;

        NoCheckpoint(long size, String message) {
            super(message);
            this.size = size;
        }

        public long size() {
            return size;
        }
    }

    /**
     * Checks the proof on its own; returns empty when it holds, or what is wrong. {@code trusted} maps key ids to the
     * keys the checker trusts (from the operator, not from the proof); null trusts the keys in the proof.
     */
    public Optional<String> check(@Nullable Map<String, PublicKey> trusted) {
        try {
            return problem(trusted);
        } catch (IllegalArgumentException | IllegalStateException malformed) {
            return Optional.of("the proof is malformed: " + malformed.getMessage());
        }
    }

    private Optional<String> problem(@Nullable Map<String, PublicKey> trusted) {
        for (var signed : List.of(Map.entry(older, olderKey), Map.entry(newer, newerKey))) {
            Checkpoint c = signed.getKey();
            SigningKey carried = signed.getValue();
            if (!c.keyId().equals(carried.keyId())) {
                return Optional.of("checkpoint " + c.treeSize() + " names key " + c.keyId() + ", the proof carries "
                        + carried.keyId());
            }
            PublicKey key = trusted == null ? carried.decode() : trusted.get(c.keyId());
            if (key == null) {
                return Optional.of("checkpoint " + c.treeSize() + " is signed by key " + c.keyId()
                        + ", which is not among the trusted keys");
            }
            if (!c.signedBy(key)) {
                return Optional.of("the signature of checkpoint " + c.treeSize() + " does not verify");
            }
        }
        List<byte[]> nodes;
        try {
            nodes = path.stream().map(HEX::parseHex).toList();
        } catch (IllegalArgumentException e) {
            return Optional.of("the path is not hex");
        }
        if (!MerkleTree.verifyConsistency(
                older.treeSize(), newer.treeSize(), HEX.parseHex(older.root()), HEX.parseHex(newer.root()), nodes)) {
            return Optional.of("the path does not lead from the root of checkpoint " + older.treeSize()
                    + " to the root of checkpoint " + newer.treeSize() + ": the log did not only grow between them");
        }
        return Optional.empty();
    }
}
