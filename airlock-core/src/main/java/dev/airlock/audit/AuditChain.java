package dev.airlock.audit;

import java.time.Instant;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * The stored audit log: the chain of records, its signed checkpoints and the public keys that signed them.
 * Implementations: the embedded store and PostgreSQL.
 */
public interface AuditChain {
    /**
     * From now on, seals every batch of audit records this store writes (Decisions and events) with {@code signer}'s
     * key, in the transaction that writes it (see {@link Seal}). Call it before the first append: a node signs
     * checkpoints only over sealed records, so records written before are left unsigned.
     */
    void sealWith(AuditSigner signer);

    /** Hands every record to {@code visitor} in chain order, holding only a page of them in memory at a time. */
    void forEachLink(Consumer<ChainLink> visitor);

    /**
     * Hands the stored form of records {@code after + 1} to {@code upTo} to {@code visitor} in position order, as
     * stored and without decoding: the fast path of {@link ChainVerifier}. A position held twice is handed twice; a
     * missing one is skipped.
     */
    void scanStored(long after, long upTo, StoredRecords visitor);

    /** How many {@link #scanStored} calls may run at once (each holds a database connection while it reads). */
    default int parallelScans() {
        return 1;
    }

    /** The id of the record stored at {@code seq} (as its id column says), or empty if there is none. */
    Optional<String> recordIdAt(long seq);

    /** Receives records as {@link #scanStored} reads them. */
    interface StoredRecords {
        /**
         * Whether {@link #visit} needs the stored link of the record at {@code seq}; reading it costs, so a verifier
         * asks only where it compares.
         */
        boolean wantsLink(long seq);

        /**
         * @param seq the record's position
         * @param canonical its canonical bytes (what its leaf hash covers, see {@link AuditHash})
         * @param link its stored chain link as lowercase hex in ASCII bytes; null when not wanted or not stored
         * @param content its stored content as UTF-8 bytes, or null when none is kept
         */
        void visit(long seq, byte[] canonical, byte @Nullable [] link, byte @Nullable [] content);
    }

    /** Appends an administrative event to the chain; durable when this returns. */
    void appendEvent(AuditEvent event);

    /** How many records the chain has (the position of its last record). */
    long chainSize();

    /**
     * The leaf hashes of records {@code after + 1} to {@code upTo}, hashed from their stored canonical bytes (never
     * taken from a stored leaf hash), in order, read a page at a time as the iterator advances.
     *
     * @throws IllegalStateException as it advances, at a record that has no canonical bytes or a missing position
     */
    Iterator<byte[]> leafHashes(long after, long upTo);

    /** The chain link (hex) of the record at {@code seq}, or empty if there is none. */
    Optional<String> linkAt(long seq);

    /** The position of the record with this id (a Decision or an event), or empty. */
    Optional<Long> positionOf(String recordId);

    /**
     * Hands administrative events to {@code visitor} in chain order, a page at a time, until it returns false.
     *
     * @param tenant only events of this tenant and events of the whole installation (tenant null); null: every event
     * @param from at or after this instant, or null
     * @param to before this instant, or null
     */
    void searchEvents(
            @Nullable String tenant, @Nullable Instant from, @Nullable Instant to, Predicate<AuditEvent> visitor);

    /** The record with this id as the chain holds it, or empty. */
    Optional<ChainLink> findLink(String recordId);

    /**
     * Stores a checkpoint and the Merkle frontier it ends at; false if one of the same tree size exists already
     * (another node made it).
     */
    boolean addCheckpoint(Checkpoint checkpoint, MerkleTree.Frontier frontier);

    /** The checkpoint with the largest tree size and its frontier, or empty before the first. */
    Optional<StoredCheckpoint> latestCheckpoint();

    /** Every checkpoint, smallest tree size first. */
    List<Checkpoint> checkpoints();

    /** The public keys that signed checkpoints, oldest first. */
    List<SigningKey> signingKeys();

    /** Publishes a new signing key and retires the ones before it. */
    void addSigningKey(SigningKey key);

    /** How many complete {@link MerkleTree#BLOCK}-leaf block roots are stored (blocks 0 .. n-1). */
    long blockCount();

    /** Stores block roots from block {@code firstIndex} on (ignoring ones already there). */
    void addBlockRoots(long firstIndex, List<byte[]> roots);

    /** The stored roots of blocks {@code from} (inclusive) to {@code to} (exclusive). */
    List<byte[]> blockRoots(long from, long to);

    /**
     * The seals of records after position {@code after} (every seal whose last position is beyond it), by first
     * position: what vouches for records no checkpoint covers yet.
     */
    List<Seal> seals(long after);

    /** A checkpoint with the Merkle frontier it ends at. */
    record StoredCheckpoint(Checkpoint checkpoint, MerkleTree.Frontier frontier) {
        /**
         * Whether the stored frontier is the one the checkpoint signed (its size and root): the next checkpoint is
         * computed from it, so a node extends none from a checkpoint whose frontier was altered.
         */
        public boolean frontierMatches() {
            return frontier.size() == checkpoint.treeSize()
                    && HexFormat.of().formatHex(frontier.root()).equals(checkpoint.root());
        }
    }
}
