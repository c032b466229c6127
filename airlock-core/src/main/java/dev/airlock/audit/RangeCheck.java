package dev.airlock.audit;

import java.nio.charset.StandardCharsets;
import java.security.DigestException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Verifies the records at positions {@code after + 1} to {@code upTo} from their stored form, on one thread: each
 * record's leaf and link are recomputed from its canonical bytes and compared with the stored ones, and the Merkle
 * roots of its whole blocks are computed, with the state the checkpoints inside the range need. {@code after} is a
 * multiple of {@link MerkleTree#BLOCK}, so block roots do not depend on the records before the range.
 *
 * <p>One digest and fixed buffers serve the whole range: this is the loop that sets how fast a log verifies.
 */
final class RangeCheck implements AuditChain.StoredRecords {
    private static final byte[] HEX_DIGITS = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] LEAF = {0x00};
    private static final byte[] NODE = {0x01};
    private static final byte[] LINK = {0x02};
    private static final int DEPTH = Integer.numberOfTrailingZeros(MerkleTree.BLOCK) + 1;
    private static final String ALTERED =
            "its content does not match its hash (the record, or its stored link, was altered)";

    /** What a checkpoint inside the range needs: the chain head there and the in-block Merkle subtrees, largest first. */
    record AtCheckpoint(String head, List<byte[]> partialRoots) {}

    private final AuditChain chain;
    private final Progress progress;
    private final long after;
    private final long upTo;
    private final long[] checkpointSizes;
    private final long[] linkPositions;
    private int nextLink;
    private final Map<Long, String> links = new HashMap<>();
    private final MessageDigest md = Sha256.digest();

    private byte[] previous;
    private byte[] leaf = new byte[32];
    private byte[] link = new byte[32];
    private final byte[] contentDigest = new byte[32];
    private final byte[][] subtrees = new byte[DEPTH][32];
    private int depth;
    private int inBlock;
    private long expected;
    private int nextCheckpoint;

    private final List<byte[]> blockRoots = new ArrayList<>();
    private final Map<Long, AtCheckpoint> checkpointStates = new HashMap<>();
    private ChainVerifier.@Nullable Failure failure;
    private long blockStart;
    private final byte[] blockStartLink = new byte[32];

    /**
     * @param before the link of record {@code after} (32 zero bytes when {@code after} is 0), or null when it cannot
     *     be read (the range before reports why)
     */
    RangeCheck(
            AuditChain chain,
            long after,
            long upTo,
            byte @Nullable [] before,
            long[] checkpointSizes,
            long[] linkPositions,
            Progress progress) {
        if (after % MerkleTree.BLOCK != 0) {
            throw new IllegalArgumentException("a range starts at a block boundary, not after record " + after);
        }
        this.chain = chain;
        this.progress = progress;
        this.after = after;
        this.upTo = upTo;
        this.previous = before == null ? new byte[32] : before.clone();
        this.checkpointSizes = checkpointSizes;
        this.expected = after + 1;
        while (nextCheckpoint < checkpointSizes.length && checkpointSizes[nextCheckpoint] <= after) {
            nextCheckpoint++;
        }
        this.linkPositions = linkPositions;
        while (nextLink < linkPositions.length && linkPositions[nextLink] <= after) {
            nextLink++;
        }
        if (before == null) {
            failure = new ChainVerifier.Failure(after + 1, after + 1, "its link to the previous record does not match");
        }
    }

    void run() {
        if (failure != null) {
            return;
        }
        try {
            chain.scanStored(after, upTo, this);
            progress.add(inBlock);
            if (expected <= upTo) {
                failAfterLocating(
                        expected - 1,
                        new ChainVerifier.Failure(
                                expected, upTo + 1, "records " + expected + ".." + upTo + " are missing"));
            }
        } catch (Stop stop) {
            // failure says why
        } catch (Locate locate) {
            locate(locate.upTo, locate.held);
        }
    }

    /**
     * Reports {@code failure}, unless a record of the current block up to {@code lastRead} broke first: their links
     * are compared only at the block's end, so a record altered before the failure would otherwise go unnamed.
     */
    private void failAfterLocating(long lastRead, ChainVerifier.Failure failure) {
        if (inBlock == 0 || lastRead <= blockStart) {
            fail(failure);
        }
        throw new Locate(lastRead, failure);
    }

    /**
     * Stored links are compared only at block ends (and the range's end). When one differs, or something else fails
     * inside a block, the block is read again up to {@code upTo}, comparing every record's link, to name the first
     * record that does not match; {@code held} is reported when none does.
     */
    private void locate(long upTo, ChainVerifier.@Nullable Failure held) {
        byte[] before = blockStartLink.clone();
        var locator = new AuditChain.StoredRecords() {
            byte[] link = before;

            @Override
            public boolean wantsLink(long seq) {
                return true;
            }

            @Override
            public void visit(long seq, byte[] canonical, byte @Nullable [] storedLink, byte @Nullable [] content) {
                byte[] next = new byte[32];
                hashLink(canonical, link, next);
                link = next;
                if (!sameHex(link, storedLink)) {
                    fail(seq, seq, ALTERED);
                }
            }
        };
        try {
            chain.scanStored(blockStart, upTo, locator);
            fail(held == null ? new ChainVerifier.Failure(upTo, upTo, ALTERED) : held);
        } catch (Stop stop) {
            // failure says why
        }
    }

    @Override
    public boolean wantsLink(long seq) {
        return seq % MerkleTree.BLOCK == 0 || seq == upTo;
    }

    @Override
    public void visit(long seq, byte[] canonical, byte @Nullable [] storedLink, byte @Nullable [] content) {
        if (seq > expected) {
            failAfterLocating(
                    expected - 1,
                    new ChainVerifier.Failure(
                            expected, seq, "records " + expected + ".." + (seq - 1) + " are missing"));
        }
        if (seq < expected) {
            failAfterLocating(
                    expected - 1,
                    new ChainVerifier.Failure(seq, seq, "position " + seq + " appears again or out of order"));
        }
        if (canonical == null) {
            failAfterLocating(
                    seq - 1,
                    new ChainVerifier.Failure(seq, seq, "its record bytes are missing (the record was altered)"));
        }
        if (inBlock == 0) {
            blockStart = seq - 1;
            System.arraycopy(previous, 0, blockStartLink, 0, 32);
        }
        hashLink(canonical, previous, link);
        if (wantsLink(seq) && !sameHex(link, storedLink)) {
            throw new Locate(seq, null);
        }
        if (content != null) {
            checkContent(seq, canonical, content);
        }
        byte[] swap = previous;
        previous = link;
        link = swap;
        appendLeaf();
        expected++;
        while (nextCheckpoint < checkpointSizes.length && checkpointSizes[nextCheckpoint] == seq) {
            List<byte[]> partial = new ArrayList<>(depth);
            for (int i = 0; i < depth; i++) {
                partial.add(subtrees[i].clone());
            }
            checkpointStates.put(seq, new AtCheckpoint(HexFormat.of().formatHex(previous), partial));
            nextCheckpoint++;
        }
        while (nextLink < linkPositions.length && linkPositions[nextLink] == seq) {
            links.put(seq, HexFormat.of().formatHex(previous));
            nextLink++;
        }
    }

    /**
     * Kept content must hash to the digest the record's canonical bytes commit to: at their end, except in format
     * {@code airlock.decision/3}, where the trace id (32 hex digits, 36 bytes) follows it.
     */
    private void checkContent(long seq, byte[] canonical, byte[] content) {
        int n = canonical.length - (traced(canonical) ? 36 : 0);
        boolean committed = n >= 68
                && canonical[n - 68] == 0
                && canonical[n - 67] == 0
                && canonical[n - 66] == 0
                && canonical[n - 65] == 64;
        md.update(content);
        digestInto(contentDigest);
        if (!committed || !sameHex(contentDigest, Arrays.copyOfRange(canonical, n - 64, n))) {
            // the record itself may be what was altered: its link is compared first
            throw new Locate(
                    seq,
                    new ChainVerifier.Failure(
                            seq, seq, "its stored content was altered (it does not match the digest recorded)"));
        }
    }

    private static final byte[] TRACED = "airlock.decision/3".getBytes(StandardCharsets.UTF_8);

    /** Whether the record is in format {@code airlock.decision/3} (its 4-byte length, then the format's text). */
    private static boolean traced(byte[] canonical) {
        return canonical.length > 4 + TRACED.length
                && canonical[3] == TRACED.length
                && Arrays.equals(canonical, 4, 4 + TRACED.length, TRACED, 0, TRACED.length);
    }

    /** Adds the leaf to the current block's subtrees (RFC 9162 order), closing the block at {@link MerkleTree#BLOCK}. */
    private void appendLeaf() {
        System.arraycopy(leaf, 0, subtrees[depth], 0, 32);
        depth++;
        for (int s = inBlock; (s & 1) == 1; s >>= 1) {
            md.update(NODE);
            md.update(subtrees[depth - 2]);
            md.update(subtrees[depth - 1]);
            digestInto(subtrees[depth - 2]);
            depth--;
        }
        inBlock++;
        if (inBlock == MerkleTree.BLOCK) {
            progress.add(MerkleTree.BLOCK);
            blockRoots.add(subtrees[0].clone());
            inBlock = 0;
            depth = 0;
        }
    }

    /** The record's leaf hash into {@code leaf}, and its link after {@code previous} into {@code into}. */
    private void hashLink(byte[] canonical, byte[] previous, byte[] into) {
        md.update(LEAF);
        md.update(canonical);
        digestInto(leaf);
        md.update(LINK);
        md.update(previous);
        md.update(leaf);
        digestInto(into);
    }

    private void digestInto(byte[] out) {
        try {
            md.digest(out, 0, 32);
        } catch (DigestException e) {
            throw new IllegalStateException("SHA-256 writes 32 bytes", e);
        }
    }

    private static boolean sameHex(byte[] raw, byte @Nullable [] hex) {
        if (hex == null || hex.length != raw.length * 2) {
            return false;
        }
        for (int i = 0; i < raw.length; i++) {
            if (hex[2 * i] != HEX_DIGITS[(raw[i] >> 4) & 0xF] || hex[2 * i + 1] != HEX_DIGITS[raw[i] & 0xF]) {
                return false;
            }
        }
        return true;
    }

    private void fail(long seq, long foundAt, String reason) {
        fail(new ChainVerifier.Failure(seq, foundAt, reason));
    }

    private void fail(ChainVerifier.Failure found) {
        failure = found;
        throw new Stop();
    }

    ChainVerifier.@Nullable Failure failure() {
        return failure;
    }

    /** Roots of the whole blocks in this range, in order. */
    List<byte[]> blockRoots() {
        return blockRoots;
    }

    Map<Long, AtCheckpoint> checkpointStates() {
        return checkpointStates;
    }

    /** The links computed at the positions asked for (the edges of seals), by position. */
    Map<Long, String> links() {
        return links;
    }

    /** The link of the range's last record (hex). */
    String head() {
        return HexFormat.of().formatHex(previous);
    }

    /** Ends the scan of a range where a stored link differs, to find the first record that broke it. */
    private static final class Locate extends RuntimeException {
        final long upTo;
        final transient ChainVerifier.@Nullable Failure held;

        Locate(long upTo, ChainVerifier.@Nullable Failure held) {
            super(null, null, false, false);
            this.upTo = upTo;
            this.held = held;
        }
    }

    /** Ends the scan of a range at its first break. */
    private static final class Stop extends RuntimeException {
        Stop() {
            super(null, null, false, false);
        }
    }
}
