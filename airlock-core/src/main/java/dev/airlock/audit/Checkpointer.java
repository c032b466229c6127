package dev.airlock.audit;

import java.security.PublicKey;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Signs checkpoints of the audit log. Each one extends the previous checkpoint's Merkle frontier with the leaves
 * appended since, so its cost is proportional to the new records, not to the log.
 *
 * <p>It signs only over records a key holder wrote: from the latest checkpoint (whose signature and frontier it checks
 * first), each following record must be covered by a {@link Seal} made with a trusted key whose links match the
 * records. It stops at the first record that is not; those records, and every one after them, stay unsigned and are
 * reported by {@link #unsealed()} (and by {@code ChainVerifier}) until an operator accepts them.
 */
public final class Checkpointer {
    private static final HexFormat HEX = HexFormat.of();

    private final AuditChain chain;
    private final AuditSigner signer;
    private final Clock clock;
    private final Map<String, PublicKey> keys = new ConcurrentHashMap<>();
    private final Map<String, byte[]> sealKeys = new ConcurrentHashMap<>();
    private final @Nullable Supplier<Keys> reload;
    private final Set<String> reloadedFor = ConcurrentHashMap.newKeySet();
    private volatile Optional<Span> unsealed = Optional.empty();

    /**
     * Keys as read again from where they live outside the database (the signing key file and the retired ones beside
     * it), by key id.
     */
    public record Keys(Map<String, PublicKey> publicKeys, Map<String, byte[]> sealSecrets) {}

    /** Trusts only {@code signer}'s own checkpoints and seals. */
    public Checkpointer(AuditChain chain, AuditSigner signer, Clock clock) {
        this(chain, signer, clock, Map.of(), Map.of());
    }

    /**
     * @param keys the public keys whose checkpoints it extends, by key id (besides {@code signer}'s): its retired
     *     keys, never the keys the database publishes
     * @param sealKeys the seal secrets ({@link AuditSigner#sealSecret()}) whose seals it accepts, by key id (besides
     *     {@code signer}'s)
     */
    public Checkpointer(
            AuditChain chain,
            AuditSigner signer,
            Clock clock,
            Map<String, PublicKey> keys,
            Map<String, byte[]> sealKeys) {
        this(chain, signer, clock, new Keys(keys, sealKeys), null);
    }

    /**
     * @param keys as above: the public keys and seal secrets it trusts besides {@code signer}'s
     * @param reload reads the keys again when a seal or checkpoint names a key it does not know yet, once per such
     *     key (a {@code rotate-key} while this node runs, then a command sealing with the new key); null for never
     */
    public Checkpointer(AuditChain chain, AuditSigner signer, Clock clock, Keys keys, @Nullable Supplier<Keys> reload) {
        this.chain = chain;
        this.signer = signer;
        this.clock = clock;
        this.reload = reload;
        this.keys.putAll(keys.publicKeys());
        this.keys.put(signer.keyId(), signer.publicKey(clock.instant()).decode());
        this.sealKeys.putAll(keys.sealSecrets());
        this.sealKeys.put(signer.keyId(), signer.sealSecret());
    }

    private byte @Nullable [] sealSecret(String keyId) {
        byte[] secret = sealKeys.get(keyId);
        if (secret == null && reloadFor(keyId)) {
            secret = sealKeys.get(keyId);
        }
        return secret;
    }

    private @Nullable PublicKey publicKey(String keyId) {
        PublicKey key = keys.get(keyId);
        if (key == null && reloadFor(keyId)) {
            key = keys.get(keyId);
        }
        return key;
    }

    /** Reads the keys again for a key id not known yet, once per id: an unknown id a forger made costs one read. */
    private boolean reloadFor(String keyId) {
        if (reload == null || !reloadedFor.add(keyId)) {
            return false;
        }
        Keys fresh = reload.get();
        keys.putAll(fresh.publicKeys());
        sealKeys.putAll(fresh.sealSecrets());
        return true;
    }

    /**
     * Signs a checkpoint over every sealed record appended so far; empty when there is none since the last checkpoint
     * (or another node stored the same one first).
     *
     * @throws IllegalStateException when the latest stored checkpoint is not one a trusted key signed
     */
    public Optional<Checkpoint> checkpoint() {
        return checkpoint(false);
    }

    /**
     * Signs a checkpoint over every record appended so far, sealed or not: for an operator who has looked at the
     * records {@link #unsealed()} names (a store written before records were sealed, or by a node without the key)
     * and accepts them into the signed log.
     */
    public Optional<Checkpoint> checkpointAcceptingUnsealed() {
        return checkpoint(true);
    }

    /**
     * The records after the latest checkpoint that no valid seal covered when {@link #checkpoint()} last ran: no
     * checkpoint is signed over them or any record after them.
     */
    public Optional<Span> unsealed() {
        return unsealed;
    }

    private Optional<Checkpoint> checkpoint(boolean acceptUnsealed) {
        var latest = chain.latestCheckpoint();
        latest.ifPresent(this::requireTrusted);
        MerkleTree.Frontier frontier =
                latest.map(AuditChain.StoredCheckpoint::frontier).orElseGet(MerkleTree.Frontier::new);
        long from = frontier.size();
        String link = latest.map(s -> s.checkpoint().head()).orElse(AuditHash.GENESIS);
        long size = chain.chainSize();
        if (size <= from) {
            unsealed = Optional.empty();
            return Optional.empty();
        }
        Iterator<byte[]> leaves = chain.leafHashes(from, size);
        long end = from;
        for (Seal seal : acceptUnsealed ? List.<Seal>of() : chain.seals(from)) {
            byte[] secret = sealSecret(seal.keyId());
            if (seal.first() != end + 1
                    || seal.last() > size
                    || secret == null
                    || !seal.madeWith(secret)
                    || !seal.previous().equals(link)) {
                break;
            }
            List<byte[]> batch = new ArrayList<>((int) Math.min(seal.last() - seal.first() + 1, 4096));
            String next = link;
            for (long seq = seal.first(); seq <= seal.last(); seq++) {
                byte[] leaf = leaves.next();
                batch.add(leaf);
                next = AuditHash.link(next, HEX.formatHex(leaf));
            }
            if (!next.equals(seal.head())) {
                break;
            }
            batch.forEach(frontier::append);
            end = seal.last();
            link = next;
        }
        if (acceptUnsealed) {
            while (frontier.size() < size) {
                byte[] leaf = leaves.next();
                frontier.append(leaf);
                link = AuditHash.link(link, HEX.formatHex(leaf));
            }
            end = size;
        }
        unsealed = end < size ? Optional.of(new Span(end + 1, size)) : Optional.empty();
        if (end == from) {
            return Optional.empty();
        }
        Checkpoint checkpoint = signer.sign(end, HEX.formatHex(frontier.root()), link, clock.instant(), from);
        boolean added = chain.addCheckpoint(checkpoint, frontier);
        storeBlockRoots(end);
        return added ? Optional.of(checkpoint) : Optional.empty();
    }

    /** A checkpoint it extends must be one a trusted key signed, and its stored frontier the one it signed. */
    private void requireTrusted(AuditChain.StoredCheckpoint stored) {
        Checkpoint c = stored.checkpoint();
        PublicKey key = publicKey(c.keyId());
        if (key == null || !c.signedBy(key)) {
            throw new IllegalStateException("the latest checkpoint (" + c.treeSize() + " records) is not signed by a"
                    + " trusted key (" + c.keyId() + "); no checkpoint is signed over it (airlock audit verify)");
        }
        if (!stored.frontierMatches()) {
            throw new IllegalStateException("the stored Merkle frontier of the latest checkpoint (" + c.treeSize()
                    + " records) does not match its signed root; no checkpoint is signed over it (airlock audit"
                    + " verify)");
        }
    }

    /** Stores the roots of the blocks of leaves completed since the last ones, for cheap proofs. */
    private void storeBlockRoots(long size) {
        long done = chain.blockCount();
        long full = size / MerkleTree.BLOCK;
        for (long block = done; block < full; block++) {
            long from = block * MerkleTree.BLOCK;
            var leaves = chain.leafHashes(from, from + MerkleTree.BLOCK);
            chain.addBlockRoots(block, List.of(MerkleTree.root(MerkleTree.BLOCK, leaves)));
        }
    }
}
