package dev.airlock.audit;

import java.time.Clock;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Signs checkpoints of the audit log. Each one extends the previous checkpoint's Merkle frontier with the leaves
 * appended since, so its cost is proportional to the new records, not to the log.
 */
public final class Checkpointer {
    private static final HexFormat HEX = HexFormat.of();

    private final AuditChain chain;
    private final AuditSigner signer;
    private final Clock clock;

    public Checkpointer(AuditChain chain, AuditSigner signer, Clock clock) {
        this.chain = chain;
        this.signer = signer;
        this.clock = clock;
    }

    /** Signs a checkpoint over every record appended so far; empty when nothing was appended since the last one. */
    public Optional<Checkpoint> checkpoint() {
        MerkleTree.Frontier frontier = chain.latestCheckpoint()
                .map(AuditChain.StoredCheckpoint::frontier)
                .orElseGet(MerkleTree.Frontier::new);
        long size = chain.chainSize();
        if (size <= frontier.size()) {
            return Optional.empty();
        }
        var leaves = chain.leafHashes(frontier.size(), size);
        while (frontier.size() < size) {
            frontier.append(leaves.next());
        }
        String head = chain.linkAt(size).orElseThrow(() -> new IllegalStateException("record " + size + " vanished"));
        Checkpoint checkpoint = signer.sign(size, HEX.formatHex(frontier.root()), head, clock.instant());
        boolean added = chain.addCheckpoint(checkpoint, frontier);
        storeBlockRoots(size);
        return added ? Optional.of(checkpoint) : Optional.empty();
    }

    /** Stores the roots of the blocks of leaves completed since the last ones, for cheap proofs. */
    private void storeBlockRoots(long size) {
        long done = chain.blockCount();
        long full = size / MerkleTree.BLOCK;
        for (long block = done; block < full; block++) {
            long from = block * MerkleTree.BLOCK;
            var leaves = chain.leafHashes(from, from + MerkleTree.BLOCK);
            chain.addBlockRoots(block, java.util.List.of(MerkleTree.root(MerkleTree.BLOCK, leaves)));
        }
    }
}
