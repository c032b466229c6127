package dev.airlock.audit;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * The Merkle tree over the audit log, hashed as in RFC 9162 (Certificate Transparency v2), section 2.1: leaves are
 * the records' leaf hashes ({@code SHA-256(0x00 || canonical record)}, see {@link AuditHash}), interior nodes are
 * {@code SHA-256(0x01 || left || right)}, and a tree of n leaves splits at the largest power of two below n.
 *
 * <p>Everything here streams: roots and proofs read the leaves once, in order, and hold O(log n) hashes.
 */
public final class MerkleTree {
    /** The leaves of one stored block: complete subtrees of this size are kept so proofs need not read every leaf. */
    public static final int BLOCK = 1024;

    private MerkleTree() {}

    /** Hashes of subtrees by their leaf range, for proofs over a stored tree. */
    @FunctionalInterface
    public interface Subtrees {
        /** The Merkle tree hash of leaves {@code [start, start + size)}. */
        byte[] hash(long start, long size);
    }

    /**
     * The inclusion proof of leaf {@code index} in a tree of {@code size}, from subtree hashes: the same path as
     * {@link #inclusionPath(long, long, Iterator)}, asking {@code subtrees} only for the siblings on it.
     */
    public static List<byte[]> inclusionPath(long index, long size, Subtrees subtrees) {
        if (index < 0 || index >= size) {
            throw new IllegalArgumentException("leaf " + index + " is not in a tree of " + size);
        }
        List<byte[]> path = new ArrayList<>();
        path(index, 0, size, subtrees, path);
        return path;
    }

    private static void path(long m, long start, long n, Subtrees subtrees, List<byte[]> out) {
        if (n == 1) {
            return;
        }
        long k = Long.highestOneBit(n - 1);
        if (m - start < k) {
            path(m, start, k, subtrees, out);
            out.add(subtrees.hash(start + k, n - k));
        } else {
            path(m, start + k, n - k, subtrees, out);
            out.add(subtrees.hash(start, k));
        }
    }

    /** The Merkle tree hash of a list of leaf hashes (RFC 9162 MTH). */
    public static byte[] root(List<byte[]> leaves) {
        return root(leaves.size(), leaves.iterator());
    }

    /** {@code SHA-256(0x01 || left || right)}. */
    public static byte[] node(byte[] left, byte[] right) {
        MessageDigest md = Sha256.digest();
        md.update((byte) 0x01);
        md.update(left);
        md.update(right);
        return md.digest();
    }

    /** The root of the tree over exactly {@code size} leaves taken from {@code leaves}. */
    public static byte[] root(long size, Iterator<byte[]> leaves) {
        if (size == 0) {
            return Sha256.digest().digest();
        }
        return subtree(size, leaves);
    }

    /**
     * The inclusion proof (audit path, RFC 9162 section 2.1.3.1) of leaf {@code index} in the tree of the first
     * {@code size} leaves; reads exactly {@code size} leaves from {@code leaves}. The path runs from the leaf's sibling
     * up to the child of the root.
     */
    public static List<byte[]> inclusionPath(long index, long size, Iterator<byte[]> leaves) {
        if (index < 0 || index >= size) {
            throw new IllegalArgumentException("leaf " + index + " is not in a tree of " + size);
        }
        List<byte[]> path = new ArrayList<>();
        path(index, size, leaves, path);
        return path;
    }

    /**
     * Checks an inclusion proof (RFC 9162 section 2.1.3.2): true iff {@code path} proves that {@code leafHash} is leaf
     * {@code index} of a tree of {@code size} leaves whose root is {@code root}.
     */
    public static boolean verifyInclusion(byte[] leafHash, long index, long size, List<byte[]> path, byte[] root) {
        if (index < 0 || index >= size || leafHash == null || root == null) {
            return false;
        }
        long fn = index;
        long sn = size - 1;
        byte[] r = leafHash;
        for (byte[] p : path) {
            if (sn == 0 || p == null || p.length != 32) {
                return false;
            }
            if ((fn & 1) == 1 || fn == sn) {
                r = node(p, r);
                while ((fn & 1) == 0 && fn != 0) {
                    fn >>= 1;
                    sn >>= 1;
                }
            } else {
                r = node(r, p);
            }
            fn >>= 1;
            sn >>= 1;
        }
        return sn == 0 && Arrays.equals(r, root);
    }

    /**
     * The consistency proof (RFC 9162 section 2.1.4.1) between the tree of the first {@code m} leaves and the tree of
     * the first {@code n}: the subtree hashes that let a holder of both roots check that the larger tree extends the
     * smaller one, leaves unchanged. Empty when {@code m == n}.
     */
    public static List<byte[]> consistencyPath(long m, long n, Subtrees subtrees) {
        if (m < 1 || m > n) {
            throw new IllegalArgumentException("no consistency proof from a tree of " + m + " to one of " + n);
        }
        List<byte[]> path = new ArrayList<>();
        subproof(m, 0, n, true, subtrees, path);
        return path;
    }

    private static void subproof(long m, long start, long n, boolean whole, Subtrees subtrees, List<byte[]> out) {
        if (m == n) {
            if (!whole) {
                out.add(subtrees.hash(start, n));
            }
            return;
        }
        long k = Long.highestOneBit(n - 1);
        if (m <= k) {
            subproof(m, start, k, whole, subtrees, out);
            out.add(subtrees.hash(start + k, n - k));
        } else {
            subproof(m - k, start + k, n - k, false, subtrees, out);
            out.add(subtrees.hash(start, k));
        }
    }

    /**
     * Checks a consistency proof (RFC 9162 section 2.1.4.2): true iff {@code path} proves that the tree of {@code m}
     * leaves with root {@code first} is the start of the tree of {@code n} leaves with root {@code second}.
     */
    public static boolean verifyConsistency(long m, long n, byte[] first, byte[] second, List<byte[]> path) {
        if (m < 1 || m > n || first == null || second == null || path == null) {
            return false;
        }
        if (m == n) {
            return path.isEmpty() && Arrays.equals(first, second);
        }
        if (path.isEmpty() || path.stream().anyMatch(p -> p == null || p.length != 32)) {
            return false;
        }
        List<byte[]> nodes = new ArrayList<>(path);
        if (Long.bitCount(m) == 1) {
            nodes.addFirst(first);
        }
        long fn = m - 1;
        long sn = n - 1;
        while ((fn & 1) == 1) {
            fn >>= 1;
            sn >>= 1;
        }
        byte[] fr = nodes.getFirst();
        byte[] sr = nodes.getFirst();
        for (byte[] c : nodes.subList(1, nodes.size())) {
            if (sn == 0) {
                return false;
            }
            if ((fn & 1) == 1 || fn == sn) {
                fr = node(c, fr);
                sr = node(c, sr);
                while ((fn & 1) == 0 && fn != 0) {
                    fn >>= 1;
                    sn >>= 1;
                }
            } else {
                sr = node(sr, c);
            }
            fn >>= 1;
            sn >>= 1;
        }
        return Arrays.equals(fr, first) && Arrays.equals(sr, second) && sn == 0;
    }

    private static void path(long m, long n, Iterator<byte[]> leaves, List<byte[]> out) {
        if (n == 1) {
            next(leaves);
            return;
        }
        long k = Long.highestOneBit(n - 1);
        if (m < k) {
            path(m, k, leaves, out);
            out.add(subtree(n - k, leaves));
        } else {
            byte[] left = subtree(k, leaves);
            path(m - k, n - k, leaves, out);
            out.add(left);
        }
    }

    private static byte[] subtree(long n, Iterator<byte[]> leaves) {
        if (n == 1) {
            return next(leaves);
        }
        long k = Long.highestOneBit(n - 1);
        byte[] left = subtree(k, leaves);
        return node(left, subtree(n - k, leaves));
    }

    private static byte[] next(Iterator<byte[]> leaves) {
        if (!leaves.hasNext()) {
            throw new NoSuchElementException("the log has fewer leaves than the tree size asked for");
        }
        return leaves.next();
    }

    /**
     * A tree grown one leaf at a time: keeps the roots of its complete subtrees (one per set bit of the size), so
     * appending is O(log n) amortised and the root of the current tree is O(log n). A checkpoint stores this frontier
     * so the next checkpoint only reads the leaves added since.
     */
    public static final class Frontier {
        private final List<byte[]> roots;
        private long size;

        public Frontier() {
            this(0, List.of());
        }

        /** Resumes from a stored frontier: {@code roots} are the complete subtrees, largest first. */
        public Frontier(long size, List<byte[]> roots) {
            if (Long.bitCount(size) != roots.size()) {
                throw new IllegalArgumentException("a tree of " + size + " leaves has " + Long.bitCount(size)
                        + " complete subtrees, not " + roots.size());
            }
            this.size = size;
            this.roots = new ArrayList<>(roots);
        }

        public void append(byte[] leafHash) {
            roots.add(leafHash);
            // merging follows the carries of size + 1 in binary
            for (long s = size; (s & 1) == 1; s >>= 1) {
                byte[] right = roots.removeLast();
                byte[] left = roots.removeLast();
                roots.add(node(left, right));
            }
            size++;
        }

        public long size() {
            return size;
        }

        public byte[] root() {
            if (roots.isEmpty()) {
                return Sha256.digest().digest();
            }
            byte[] r = roots.getLast();
            for (int i = roots.size() - 2; i >= 0; i--) {
                r = node(roots.get(i), r);
            }
            return r;
        }

        /** The complete subtree roots, largest first; with {@link #size()} enough to resume. */
        public List<byte[]> roots() {
            return List.copyOf(roots);
        }
    }
}
