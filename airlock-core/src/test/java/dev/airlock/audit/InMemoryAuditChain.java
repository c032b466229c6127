package dev.airlock.audit;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * An audit chain in lists, for fast tests of what reads the chain: records as canonical bytes with their links,
 * checkpoints, block roots and signing keys. It writes no seals. {@link #overwrite} alters a stored record the way
 * someone with write access to the database would.
 */
final class InMemoryAuditChain implements AuditChain {
    private record Stored(String id, byte[] canonical, String leaf, String link) {}

    private final List<Stored> records = new ArrayList<>();
    private final List<StoredCheckpoint> checkpoints = new ArrayList<>();
    private final List<byte[]> blockRoots = new ArrayList<>();
    private final List<SigningKey> keys = new ArrayList<>();

    @Override
    public void sealWith(AuditSigner signer) {}

    @Override
    public synchronized void appendEvent(AuditEvent event) {
        byte[] canonical = AuditHash.canonical(event);
        String leaf = AuditHash.leafOf(canonical);
        String previous =
                records.isEmpty() ? AuditHash.GENESIS : records.getLast().link();
        records.add(new Stored(event.id(), canonical, leaf, AuditHash.link(previous, leaf)));
    }

    /** Replaces the stored bytes of the record at {@code seq}, keeping its links. */
    synchronized void overwrite(long seq, AuditEvent altered) {
        Stored was = records.get((int) seq - 1);
        records.set((int) seq - 1, new Stored(was.id(), AuditHash.canonical(altered), was.leaf(), was.link()));
    }

    @Override
    public synchronized void forEachLink(Consumer<ChainLink> visitor) {
        for (int i = 0; i < records.size(); i++) {
            Stored s = records.get(i);
            AuditRecord record = AuditHash.decode(s.canonical());
            String previous = i == 0 ? AuditHash.GENESIS : records.get(i - 1).link();
            visitor.accept(new ChainLink(i + 1, record, s.leaf(), previous, s.link(), record));
        }
    }

    @Override
    public synchronized void scanStored(long after, long upTo, StoredRecords visitor) {
        for (long seq = after + 1; seq <= Math.min(upTo, records.size()); seq++) {
            Stored s = records.get((int) seq - 1);
            byte[] link = visitor.wantsLink(seq) ? s.link().getBytes(StandardCharsets.US_ASCII) : null;
            visitor.visit(seq, s.canonical(), link, null);
        }
    }

    @Override
    public synchronized Optional<String> recordIdAt(long seq) {
        return seq < 1 || seq > records.size()
                ? Optional.empty()
                : Optional.of(records.get((int) seq - 1).id());
    }

    @Override
    public synchronized long chainSize() {
        return records.size();
    }

    @Override
    public synchronized Iterator<byte[]> leafHashes(long after, long upTo) {
        List<byte[]> leaves = new ArrayList<>();
        for (long seq = after + 1; seq <= upTo; seq++) {
            leaves.add(HexFormat.of()
                    .parseHex(AuditHash.leafOf(records.get((int) seq - 1).canonical())));
        }
        return leaves.iterator();
    }

    @Override
    public synchronized Optional<String> linkAt(long seq) {
        return seq < 1 || seq > records.size()
                ? Optional.empty()
                : Optional.of(records.get((int) seq - 1).link());
    }

    @Override
    public synchronized Optional<Long> positionOf(String recordId) {
        for (int i = 0; i < records.size(); i++) {
            if (records.get(i).id().equals(recordId)) {
                return Optional.of(i + 1L);
            }
        }
        return Optional.empty();
    }

    @Override
    public void searchEvents(String tenant, Instant from, Instant to, Predicate<AuditEvent> visitor) {
        forEachLink(link -> {
            if (link.record() instanceof AuditEvent e) {
                visitor.test(e);
            }
        });
    }

    @Override
    public Optional<ChainLink> findLink(String recordId) {
        List<ChainLink> found = new ArrayList<>();
        forEachLink(link -> {
            if (link.indexed().id().equals(recordId)) {
                found.add(link);
            }
        });
        return found.stream().findFirst();
    }

    @Override
    public synchronized boolean addCheckpoint(Checkpoint checkpoint, MerkleTree.Frontier frontier) {
        if (checkpoints.stream().anyMatch(c -> c.checkpoint().treeSize() == checkpoint.treeSize())) {
            return false;
        }
        checkpoints.add(new StoredCheckpoint(checkpoint, frontier));
        return true;
    }

    @Override
    public synchronized Optional<StoredCheckpoint> latestCheckpoint() {
        return checkpoints.isEmpty() ? Optional.empty() : Optional.of(checkpoints.getLast());
    }

    @Override
    public synchronized List<Checkpoint> checkpoints() {
        return checkpoints.stream().map(StoredCheckpoint::checkpoint).toList();
    }

    @Override
    public synchronized List<SigningKey> signingKeys() {
        return List.copyOf(keys);
    }

    @Override
    public synchronized void addSigningKey(SigningKey key) {
        keys.add(key);
    }

    @Override
    public synchronized long blockCount() {
        return blockRoots.size();
    }

    @Override
    public synchronized void addBlockRoots(long firstIndex, List<byte[]> roots) {
        for (int i = 0; i < roots.size(); i++) {
            if (firstIndex + i == blockRoots.size()) {
                blockRoots.add(roots.get(i));
            }
        }
    }

    @Override
    public synchronized List<byte[]> blockRoots(long from, long to) {
        return List.copyOf(blockRoots.subList((int) from, (int) Math.min(to, blockRoots.size())));
    }

    @Override
    public List<Seal> seals(long after) {
        return List.of();
    }
}
