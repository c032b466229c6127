package dev.airlock.audit;

import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.LongStream;
import org.jspecify.annotations.Nullable;

/**
 * Checks an audit log from its first record: every record's stored canonical bytes must hash to its stored leaf hash
 * and, with the link before it, to its stored link; positions must run 1, 2, 3, … without gaps; kept content must
 * match the digest its record committed to; every checkpoint's Merkle root and chain head must match the records
 * before it, carry a valid signature by a known key, and name a stored checkpoint as the one it extends; and every seal
 * of the records after the latest checkpoint must carry a valid MAC and match their links. Reports the first position
 * that fails, and the records no checkpoint or checkable seal covers.
 *
 * <p>The log is read in block-aligned ranges on several threads at once ({@link RangeCheck}); the Merkle roots of
 * whole blocks are then combined in order, so the result is the same as one pass from the start.
 *
 * <p>A record is its canonical bytes: Airlock serves Decisions and events decoded from them. The store's other columns
 * are a search index; {@link #verifyDeep} also checks that they agree with the records.
 */
public final class ChainVerifier {
    private static final HexFormat HEX = HexFormat.of();
    /** Below this many records per thread, one thread reads the whole log. */
    private static final long RECORDS_PER_THREAD = 64L * MerkleTree.BLOCK;

    /** The result of a verification. */
    public sealed interface Verification {
        /**
         * Every record, checkpoint and seal checked out.
         *
         * @param unsigned records no checkpoint and no seal this verification could check covers, in order: written
         *     after the latest checkpoint by something that does not hold the signing key (a forged record, a node
         *     or tool without the key, a store written before records were sealed), or sealed with a secret this
         *     verification was not given
         */
        record Intact(long records, String head, long checkpoints, List<Span> unsigned) implements Verification {
            public Intact {
                unsigned = List.copyOf(unsigned);
            }

            /** Every record covered by a checkpoint. */
            public Intact(long records, String head, long checkpoints) {
                this(records, head, checkpoints, List.of());
            }

            /** How many records no signature covers. */
            public long unsignedRecords() {
                return unsigned.stream().mapToLong(Span::size).sum();
            }
        }

        /**
         * The first thing that does not; {@code seq} is where the chain breaks (for a checkpoint, its tree size) and
         * {@code recordId} the record there (for a checkpoint, {@code checkpoint@<tree size>}).
         */
        record Broken(long seq, String recordId, String reason) implements Verification {}
    }

    private ChainVerifier() {}

    /** Verifies with the signing keys the store publishes. */
    public static Verification verify(AuditChain chain) {
        return verify(chain, publishedKeys(chain));
    }

    /** Verifies, accepting checkpoint signatures only by {@code keys} (key id to public key). */
    public static Verification verify(AuditChain chain, Map<String, PublicKey> keys) {
        return verify(chain, keys, new Progress());
    }

    /** Verifies, counting the records checked in {@code progress} as it goes. */
    public static Verification verify(AuditChain chain, Map<String, PublicKey> keys, Progress progress) {
        return verify(chain, keys, Map.of(), progress);
    }

    /**
     * Verifies, checking the seals of records no checkpoint covers yet with {@code sealKeys} (key id to {@link
     * AuditSigner#sealSecret()}); without them such records are reported as {@link Verification.Intact#unsigned}.
     */
    public static Verification verify(
            AuditChain chain, Map<String, PublicKey> keys, Map<String, byte[]> sealKeys, Progress progress) {
        long size = chain.chainSize();
        long useful = Math.min(Runtime.getRuntime().availableProcessors(), chain.parallelScans());
        int threads = (int) Math.max(1, Math.min(useful, size / RECORDS_PER_THREAD));
        return verify(chain, keys, sealKeys, threads, progress);
    }

    /** Verifies on {@code threads} threads, each reading its own block-aligned range of the log. */
    public static Verification verify(AuditChain chain, Map<String, PublicKey> keys, int threads) {
        return verify(chain, keys, Map.of(), threads, new Progress());
    }

    private static Verification verify(
            AuditChain chain,
            Map<String, PublicKey> keys,
            Map<String, byte[]> sealKeys,
            int threads,
            Progress progress) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, not " + threads);
        }
        // Checkpoints first: the log only grows, so each of them covers at most the records counted next.
        List<Checkpoint> checkpoints = chain.checkpoints();
        long size = chain.chainSize();
        long[] sizes = checkpoints.stream().mapToLong(Checkpoint::treeSize).toArray();
        // Records after the latest checkpoint are vouched for by seals, which name the links before and after them.
        long signedUpTo = checkpoints.isEmpty() ? 0 : checkpoints.getLast().treeSize();
        List<Seal> seals = chain.seals(signedUpTo);
        long[] sealEdges = seals.stream()
                .flatMapToLong(seal -> LongStream.of(seal.first() - 1, seal.last()))
                .filter(seq -> seq >= 1 && seq <= size)
                .sorted()
                .distinct()
                .toArray();
        progress.start("records", size);
        List<RangeCheck> ranges = ranges(chain, size, sizes, sealEdges, threads, progress);
        run(ranges);

        Failure first = null;
        for (RangeCheck range : ranges) {
            if (range.failure() != null) {
                first = range.failure();
                break;
            }
        }
        long brokenAt = first == null ? Long.MAX_VALUE : first.seq();
        List<byte[]> blockRoots = new ArrayList<>();
        Map<Long, RangeCheck.AtCheckpoint> atCheckpoint = new HashMap<>();
        Map<Long, String> links = new HashMap<>();
        links.put(0L, AuditHash.GENESIS);
        for (RangeCheck range : ranges) {
            blockRoots.addAll(range.blockRoots());
            atCheckpoint.putAll(range.checkpointStates());
            links.putAll(range.links());
        }
        Set<Long> stored = new HashSet<>();
        for (Checkpoint c : checkpoints) {
            stored.add(c.treeSize());
        }

        // Checkpoints and stored block roots before the first broken record come before it in chain order.
        Verification.Broken checkpointBreak = null;
        MerkleTree.Frontier blocks = new MerkleTree.Frontier();
        long checked = 0;
        for (Checkpoint c : checkpoints) {
            if (c.treeSize() >= brokenAt) {
                break;
            }
            checkpointBreak = checkCheckpoint(c, size, stored, blocks, blockRoots, atCheckpoint, keys);
            if (checkpointBreak != null) {
                break;
            }
            checked++;
        }
        Verification.Broken blockBreak = checkStoredBlocks(chain, blockRoots, Math.min(brokenAt, size + 1));
        Verification.Broken recordBreak = first == null
                ? null
                : new Verification.Broken(
                        first.seq(), chain.recordIdAt(first.foundAt()).orElse("(none)"), first.reason());
        Verification.Broken earliest = earliest(earliest(checkpointBreak, recordBreak), blockBreak);
        if (earliest != null) {
            return earliest;
        }
        Verification.Broken frontierBreak = checkLatestFrontier(chain);
        if (frontierBreak != null) {
            return frontierBreak;
        }
        String head = ranges.isEmpty() ? AuditHash.GENESIS : ranges.getLast().head();
        return checkSeals(seals, signedUpTo, size, links, sealKeys, head, checked);
    }

    /**
     * The latest checkpoint's stored Merkle frontier, from which nodes compute the next checkpoint, must be the one it
     * signed: an altered one stops every later checkpoint.
     */
    private static Verification.@Nullable Broken checkLatestFrontier(AuditChain chain) {
        return chain.latestCheckpoint()
                .filter(stored -> !stored.frontierMatches())
                .map(stored -> new Verification.Broken(
                        stored.checkpoint().treeSize(),
                        "checkpoint@" + stored.checkpoint().treeSize(),
                        "its stored Merkle frontier does not match its signed root (it was altered), so no node signs"
                                + " a checkpoint after it"))
                .orElse(null);
    }

    /**
     * Records after the latest checkpoint must be covered by seals made with a known secret whose links are the
     * records'; what no such seal covers is reported as unsigned. A seal that does not check is a forgery or marks
     * records altered after they were written.
     */
    private static Verification checkSeals(
            List<Seal> seals,
            long signedUpTo,
            long size,
            Map<Long, String> links,
            Map<String, byte[]> sealKeys,
            String head,
            long checkpoints) {
        List<Span> unsigned = new ArrayList<>();
        long covered = signedUpTo;
        for (Seal seal : seals) {
            String where = "seal@" + seal.first() + ".." + seal.last();
            if (seal.last() > size) {
                return new Verification.Broken(
                        seal.last(),
                        where,
                        "the seal covers records up to " + seal.last() + " but the log has " + size
                                + " (records at the end were removed)");
            }
            byte[] secret = sealKeys.get(seal.keyId());
            if (secret == null) {
                continue; // not checkable here: its records count as unsigned
            }
            if (!seal.madeWith(secret)) {
                return new Verification.Broken(
                        seal.first(), where, "the seal does not verify with key " + seal.keyId() + " (it was forged)");
            }
            if (!seal.previous().equals(links.get(seal.first() - 1))
                    || !seal.head().equals(links.get(seal.last()))) {
                return new Verification.Broken(
                        seal.first(),
                        where,
                        "records " + seal.first() + ".." + seal.last() + " are not the ones sealed when they were"
                                + " written (one of them, or a record before them, was altered or inserted)");
            }
            if (seal.first() > covered + 1) {
                unsigned.add(new Span(covered + 1, seal.first() - 1));
            }
            covered = Math.max(covered, seal.last());
        }
        if (covered < size) {
            unsigned.add(new Span(covered + 1, size));
        }
        return new Verification.Intact(size, head, checkpoints, unsigned);
    }

    /**
     * Verifies as {@link #verify(AuditChain, Map)} does, then checks what the store derived from the records: every
     * column a search, an export or a spend report reads must say what the record's canonical bytes say, every stored
     * link (the fast pass compares them at block ends) must follow from the record and the link before it, and every
     * stored leaf hash (which inclusion proofs of the
     * records beside it use) must be the record's. One thread; slower.
     */
    public static Verification verifyDeep(AuditChain chain, Map<String, PublicKey> keys) {
        return verifyDeep(chain, keys, new Progress());
    }

    /** Verifies deeply, counting records, then index rows, in {@code progress} as it goes. */
    public static Verification verifyDeep(AuditChain chain, Map<String, PublicKey> keys, Progress progress) {
        return verifyDeep(chain, keys, Map.of(), progress);
    }

    /** Verifies deeply, checking seals with {@code sealKeys} as {@link #verify(AuditChain, Map, Map, Progress)}. */
    public static Verification verifyDeep(
            AuditChain chain, Map<String, PublicKey> keys, Map<String, byte[]> sealKeys, Progress progress) {
        Verification chained = verify(chain, keys, sealKeys, progress);
        if (chained instanceof Verification.Broken) {
            return chained;
        }
        progress.start("index rows", ((Verification.Intact) chained).records());
        String[] previous = {AuditHash.GENESIS};
        Verification.Broken[] broken = {null};
        try {
            chain.forEachLink(link -> {
                String leaf = AuditHash.leaf(link.record());
                if (!Objects.equals(link.previousHash(), previous[0])) {
                    broken[0] = new Verification.Broken(
                            link.seq(),
                            link.indexed().id(),
                            "its stored previous link does not match the link of record " + (link.seq() - 1));
                } else if (!AuditHash.link(previous[0], leaf).equals(link.hash())) {
                    broken[0] = new Verification.Broken(
                            link.seq(),
                            link.indexed().id(),
                            "its stored link does not follow from the record and the link before it");
                } else if (!leaf.equals(link.leafHash())) {
                    broken[0] = new Verification.Broken(
                            link.seq(),
                            link.indexed().id(),
                            "its stored leaf hash does not match the record, so inclusion proofs of the records near"
                                    + " it would not check");
                } else if (!link.record().equals(link.indexed())) {
                    broken[0] = new Verification.Broken(
                            link.seq(),
                            link.indexed().id(),
                            "its search columns were altered (" + String.join(", ", differences(link))
                                    + "): the record itself is intact, but searches, exports and spend reports read"
                                    + " these columns");
                }
                if (broken[0] != null) {
                    throw new StopScan();
                }
                previous[0] = link.hash();
                progress.add(1);
            });
        } catch (StopScan stopped) {
            return broken[0];
        }
        return chained;
    }

    /**
     * Checks the log against checkpoints published outside the database: each must carry a valid signature by one of
     * {@code keys}, and the log's latest stored checkpoint must extend it (an RFC 9162 consistency proof from the
     * published root to the stored one). Run after {@link #verify}, which ties the stored checkpoints to the records.
     * A log rewritten after a checkpoint was published, even re-linked and re-signed, fails here.
     */
    public static Verification verifyPublished(
            AuditChain chain, List<Checkpoint> published, Map<String, PublicKey> keys) {
        // The stored checkpoints verify() tied to the records: a published one of the same size must match its root.
        Map<Long, Checkpoint> stored = new HashMap<>();
        for (Checkpoint c : chain.checkpoints()) {
            stored.put(c.treeSize(), c);
        }
        var latest = chain.latestCheckpoint().map(AuditChain.StoredCheckpoint::checkpoint);
        @Nullable
        StoredSubtrees subtrees =
                latest.map(c -> new StoredSubtrees(chain, c.treeSize())).orElse(null);
        long checked = 0;
        for (Checkpoint p : published) {
            String where = "published@" + p.treeSize();
            Verification.Broken unsigned = checkSignature(p, where, keys);
            if (unsigned != null) {
                return unsigned;
            }
            if (latest.isEmpty() || latest.get().treeSize() < p.treeSize()) {
                return new Verification.Broken(
                        p.treeSize(),
                        where,
                        "it covers " + p.treeSize() + " records, but the log's latest checkpoint covers "
                                + latest.map(Checkpoint::treeSize).orElse(0L)
                                + " (records or checkpoints were removed)");
            }
            Checkpoint to = latest.get();
            Checkpoint same = stored.get(p.treeSize());
            boolean extended = same != null
                    ? same.root().equals(p.root())
                    : MerkleTree.verifyConsistency(
                            p.treeSize(),
                            to.treeSize(),
                            HEX.parseHex(p.root()),
                            HEX.parseHex(to.root()),
                            MerkleTree.consistencyPath(
                                    p.treeSize(),
                                    to.treeSize(),
                                    Objects.requireNonNull(subtrees, "a latest checkpoint was found above")));
            if (!extended) {
                return new Verification.Broken(
                        p.treeSize(),
                        where,
                        "the log is not the one this checkpoint signed at " + p.signedAt() + ": its first "
                                + p.treeSize() + " records were rewritten since");
            }
            if (same == null) {
                // every checkpoint published was stored first
                return new Verification.Broken(
                        p.treeSize(),
                        where,
                        "this checkpoint, signed at " + p.signedAt() + ", is not in the store (a checkpoint was"
                                + " deleted)");
            }
            checked++;
        }
        return new Verification.Intact(
                latest.map(Checkpoint::treeSize).orElse(0L),
                latest.map(Checkpoint::head).orElse(AuditHash.GENESIS),
                checked);
    }

    /** Verifies deeply with the signing keys the store publishes. */
    public static Verification verifyDeep(AuditChain chain) {
        return verifyDeep(chain, publishedKeys(chain));
    }

    /** The signing keys the store publishes, by key id (trust them only as far as the database itself). */
    public static Map<String, PublicKey> publishedKeys(AuditChain chain) {
        Map<String, PublicKey> keys = new HashMap<>();
        for (SigningKey key : chain.signingKeys()) {
            keys.put(key.keyId(), key.decode());
        }
        return keys;
    }

    /** Splits positions 1..size into at most {@code threads} ranges that start at block boundaries. */
    private static List<RangeCheck> ranges(
            AuditChain chain, long size, long[] checkpointSizes, long[] linkPositions, int threads, Progress progress) {
        List<RangeCheck> ranges = new ArrayList<>();
        long blocks = (size + MerkleTree.BLOCK - 1) / MerkleTree.BLOCK;
        int parts = (int) Math.max(1, Math.min(threads, blocks));
        long after = 0;
        for (int i = 1; i <= parts; i++) {
            long upTo = i == parts ? size : blocks * i / parts * MerkleTree.BLOCK;
            if (upTo <= after) {
                continue;
            }
            byte[] before = after == 0
                    ? new byte[32]
                    : chain.linkAt(after).map(ChainVerifier::parseHex).orElse(null);
            ranges.add(new RangeCheck(chain, after, upTo, before, checkpointSizes, linkPositions, progress));
            after = upTo;
        }
        return ranges;
    }

    private static byte @Nullable [] parseHex(String hex) {
        try {
            return HEX.parseHex(hex);
        } catch (IllegalArgumentException e) {
            return null; // the range's first link will not match, and the range before reports the altered link
        }
    }

    private static void run(List<RangeCheck> ranges) {
        if (ranges.size() <= 1) {
            ranges.forEach(RangeCheck::run);
            return;
        }
        List<Thread> threads = new ArrayList<>();
        RuntimeException[] error = {null};
        for (RangeCheck range : ranges.subList(1, ranges.size())) {
            threads.add(Thread.ofPlatform().name("airlock-verify").start(() -> {
                try {
                    range.run();
                } catch (RuntimeException e) {
                    synchronized (error) {
                        error[0] = e;
                    }
                }
            }));
        }
        try {
            ranges.getFirst().run();
        } finally {
            try {
                for (Thread t : threads) {
                    t.join();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while verifying the audit log", e);
            }
        }
        synchronized (error) {
            if (error[0] != null) {
                throw error[0];
            }
        }
    }

    private static Verification.@Nullable Broken checkCheckpoint(
            Checkpoint c,
            long size,
            Set<Long> stored,
            MerkleTree.Frontier blocks,
            List<byte[]> blockRoots,
            Map<Long, RangeCheck.AtCheckpoint> atCheckpoint,
            Map<String, PublicKey> keys) {
        String where = "checkpoint@" + c.treeSize();
        if (c.treeSize() <= 0) {
            return new Verification.Broken(c.treeSize(), where, "the checkpoint is out of order or covers no records");
        }
        if (c.treeSize() > size) {
            return new Verification.Broken(
                    c.treeSize(),
                    where,
                    "the checkpoint covers " + c.treeSize() + " records but the log has " + size
                            + " (records at the end were removed)");
        }
        if (c.previous() != null && (c.previous() < 0 || c.previous() >= c.treeSize())) {
            return new Verification.Broken(
                    c.treeSize(),
                    where,
                    "it names checkpoint " + c.previous() + " as the one before it, which is" + " not smaller");
        }
        if (c.previous() != null && c.previous() > 0 && !stored.contains(c.previous())) {
            return new Verification.Broken(
                    c.treeSize(),
                    where,
                    "it extends the checkpoint of " + c.previous() + " records, which is not in the store (a"
                            + " checkpoint was deleted)");
        }
        long wholeBlocks = c.treeSize() / MerkleTree.BLOCK;
        while (blocks.size() < wholeBlocks) {
            blocks.append(blockRoots.get((int) blocks.size()));
        }
        RangeCheck.AtCheckpoint state = atCheckpoint.get(c.treeSize());
        if (state == null) {
            throw new IllegalStateException("the scan did not reach record " + c.treeSize());
        }
        List<byte[]> roots = new ArrayList<>(blocks.roots());
        roots.addAll(state.partialRoots());
        byte[] root = new MerkleTree.Frontier(c.treeSize(), roots).root();
        if (!HEX.formatHex(root).equals(c.root())) {
            return new Verification.Broken(c.treeSize(), where, "its Merkle root does not match the records it covers");
        }
        if (!state.head().equals(c.head())) {
            return new Verification.Broken(c.treeSize(), where, "its chain head does not match record " + c.treeSize());
        }
        return checkSignature(c, where, keys);
    }

    /** Null when one of {@code keys} signed the checkpoint, else why not. */
    private static Verification.@Nullable Broken checkSignature(
            Checkpoint c, String where, Map<String, PublicKey> keys) {
        PublicKey key = keys.get(c.keyId());
        if (key == null) {
            return new Verification.Broken(c.treeSize(), where, "it is signed by unknown key " + c.keyId());
        }
        if (!c.signedBy(key)) {
            return new Verification.Broken(c.treeSize(), where, "its signature does not verify with key " + c.keyId());
        }
        return null;
    }

    /**
     * The stored roots of whole blocks (which inclusion proofs use) must be the roots of their records; blocks that end
     * at or after {@code brokenAt} (a broken record, or beyond the records read) are not judged.
     */
    private static Verification.@Nullable Broken checkStoredBlocks(
            AuditChain chain, List<byte[]> computed, long brokenAt) {
        long stored = chain.blockCount();
        List<byte[]> roots = chain.blockRoots(0, stored);
        for (int i = 0; i < roots.size(); i++) {
            long last = (long) (i + 1) * MerkleTree.BLOCK;
            if (last >= brokenAt) {
                return null;
            }
            if (i >= computed.size() || !Arrays.equals(roots.get(i), computed.get(i))) {
                return new Verification.Broken(
                        last,
                        "merkle-block@" + i,
                        "the stored root of Merkle block " + i + " (records " + (last - MerkleTree.BLOCK + 1) + ".."
                                + last + ") does not match them, so inclusion proofs through it would not check");
            }
        }
        return null;
    }

    private static Verification.@Nullable Broken earliest(
            Verification.@Nullable Broken a, Verification.@Nullable Broken b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        return b.seq() < a.seq() ? b : a;
    }

    /** The names of the record fields whose columns disagree with the record. */
    private static List<String> differences(ChainLink link) {
        Record held = comparable(link.record());
        Record indexed = comparable(link.indexed());
        List<String> names = new ArrayList<>();
        if (held.getClass() != indexed.getClass()) {
            return List.of("kind of record");
        }
        for (var component : held.getClass().getRecordComponents()) {
            try {
                if (!Objects.equals(
                        component.getAccessor().invoke(held),
                        component.getAccessor().invoke(indexed))) {
                    names.add(component.getName());
                }
            } catch (ReflectiveOperationException e) {
                names.add(component.getName());
            }
        }
        if (link.record() instanceof AuditRecord.OfDecision a
                && link.indexed() instanceof AuditRecord.OfDecision b
                && !Objects.equals(a.contentSha256(), b.contentSha256())) {
            names.add("contentSha256");
        }
        return names;
    }

    private static Record comparable(AuditRecord record) {
        return switch (record) {
            case AuditRecord.OfDecision d -> d.decision();
            case AuditEvent e -> e;
        };
    }

    /** A record the scan found broken: at {@code seq}, noticed at the row stored at {@code foundAt}. */
    record Failure(long seq, long foundAt, String reason) {}

    /** Ends an index scan at its first disagreement. */
    private static final class StopScan extends RuntimeException {
        StopScan() {
            super(null, null, false, false);
        }
    }
}
