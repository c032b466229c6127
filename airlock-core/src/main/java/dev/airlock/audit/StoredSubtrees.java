package dev.airlock.audit;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Subtree hashes of the stored audit log for one proof: aligned ranges of whole blocks come from the stored block
 * roots, anything smaller from the leaves of its block (read once per block). A proof in a tree of n leaves reads at
 * most two blocks of leaves and n / {@link MerkleTree#BLOCK} block roots.
 */
final class StoredSubtrees implements MerkleTree.Subtrees {
    private static final int B = MerkleTree.BLOCK;

    private final AuditChain chain;
    private final long size;
    private final Map<Long, List<byte[]>> blocks = new HashMap<>();
    private @Nullable List<byte[]> blockRoots;

    StoredSubtrees(AuditChain chain, long size) {
        this.chain = chain;
        this.size = size;
    }

    @Override
    public byte[] hash(long start, long n) {
        if (n == 1) {
            return leaf(start);
        }
        if (start % B == 0 && n % B == 0 && Long.bitCount(n) == 1 && start + n <= storedBlocks() * B) {
            List<byte[]> roots = blockRoots().subList((int) (start / B), (int) ((start + n) / B));
            return MerkleTree.root(roots);
        }
        long k = Long.highestOneBit(n - 1);
        return MerkleTree.node(hash(start, k), hash(start + k, n - k));
    }

    private long storedBlocks() {
        return blockRoots().size();
    }

    private List<byte[]> blockRoots() {
        if (blockRoots == null) {
            long full = Math.min(chain.blockCount(), size / B);
            blockRoots = full == 0 ? List.of() : chain.blockRoots(0, full);
            if (blockRoots.size() != full) {
                blockRoots = List.of(); // gaps: fall back to leaves
            }
        }
        return blockRoots;
    }

    private byte[] leaf(long index) {
        long block = index / B;
        List<byte[]> leaves = blocks.computeIfAbsent(block, b -> {
            long from = b * B;
            long to = Math.min(size, from + B);
            List<byte[]> read = new ArrayList<>((int) (to - from));
            chain.leafHashes(from, to).forEachRemaining(read::add);
            return read;
        });
        return leaves.get((int) (index - block * B));
    }
}
