package dev.airlock.audit;

import dev.airlock.decision.Content;
import dev.airlock.decision.Decision;
import dev.airlock.decision.DecisionIds;
import dev.airlock.decision.DecisionLog;
import dev.airlock.decision.DecisionQuery;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * An audit log in lists, for fast tests of what reads or erases the chain; passes {@link AuditChainContract} and
 * {@link ErasureContract}. It holds records as canonical bytes with their links, seals, checkpoints, block roots and
 * signing keys, and Decisions appended through {@link #decisionLog()} with their content in stored form. A subject's
 * content is filed under a key id that erasure destroys: the stand-in for the store's encryption, so erased content
 * stays (and still matches its digest) but no longer reads. {@link #overwrite} alters a stored record the way someone
 * with write access to the database would.
 */
public final class InMemoryAuditChain implements AuditChain, Erasure {
    private static final Comparator<Decision> OLDEST_FIRST =
            Comparator.comparing(Decision::startedAt).thenComparing(Decision::id);

    private record Stored(String id, byte[] canonical, String leaf, String link) {}

    /**
     * A Decision's content as stored now.
     *
     * @param form the stored form (what the chain's digest covers), or null when none is kept or once purged
     * @param state null when no content was kept
     * @param subjectRef the subject's reference while the Decision is findable by it
     * @param keyId the subject key the form is filed under, or null for plain content
     */
    private record Kept(
            @Nullable String form,
            Content.@Nullable State state,
            @Nullable String subjectRef,
            @Nullable String keyId,
            @Nullable Instant expires) {
        static final Kept NONE = new Kept(null, null, null, null, null);
    }

    private final List<Stored> records = new ArrayList<>();
    private final Map<String, Kept> content = new HashMap<>();
    private final Map<String, String> subjectKeys = new HashMap<>();
    private final Set<String> destroyedKeys = new HashSet<>();
    private final List<Seal> seals = new ArrayList<>();
    private final List<StoredCheckpoint> checkpoints = new ArrayList<>();
    private final List<byte[]> blockRoots = new ArrayList<>();
    private final List<SigningKey> keys = new ArrayList<>();
    private volatile @Nullable AuditSigner signer;

    @Override
    public void sealWith(AuditSigner signer) {
        this.signer = signer;
    }

    @Override
    public synchronized void appendEvent(AuditEvent event) {
        append(event.id(), AuditHash.canonical(event));
    }

    /** Appends canonical bytes as the next record, sealed when a signer was given; one record is one batch. */
    private void append(String id, byte[] canonical) {
        String leaf = AuditHash.leafOf(canonical);
        String previous =
                records.isEmpty() ? AuditHash.GENESIS : records.getLast().link();
        String link = AuditHash.link(previous, leaf);
        records.add(new Stored(id, canonical, leaf, link));
        AuditSigner key = signer;
        if (key != null) {
            seals.add(key.seal(records.size(), records.size(), previous, link, Instant.now()));
        }
    }

    /** Replaces the stored bytes of the record at {@code seq}, keeping its links. */
    synchronized void overwrite(long seq, AuditEvent altered) {
        Stored was = records.get((int) seq - 1);
        records.set((int) seq - 1, new Stored(was.id(), AuditHash.canonical(altered), was.leaf(), was.link()));
    }

    // --- Decisions

    /** The decision log whose Decisions go into this chain; passes {@code DecisionLogContract}. */
    public DecisionLog decisionLog() {
        return new Decisions();
    }

    private final class Decisions implements DecisionLog {
        @Override
        public void append(Decision decision) {
            appendDecision(decision);
        }

        @Override
        public Optional<Decision> findDecision(String id) {
            return InMemoryAuditChain.this.findDecision(id);
        }

        @Override
        public List<Decision> recentDecisions(String tenant, int limit) {
            if (limit < 0) {
                throw new IllegalArgumentException("limit must not be negative: " + limit);
            }
            return decisions(d -> true).stream()
                    .filter(d ->
                            d.principal() != null && tenant.equals(d.principal().tenant()))
                    .sorted(OLDEST_FIRST.reversed())
                    .limit(limit)
                    .toList();
        }

        @Override
        public void searchDecisions(DecisionQuery query, Predicate<Decision> visitor) {
            String subject = query.subject();
            String ref = subject == null ? null : subjectRef(query.tenant(), subject);
            for (Decision d :
                    decisions(id -> ref == null || ref.equals(keptOf(id).subjectRef()))) {
                if (query.matches(d) && !visitor.test(d)) {
                    return;
                }
            }
        }
    }

    private synchronized void appendDecision(Decision decision) {
        if (content.containsKey(decision.id())) {
            throw new IllegalStateException("Decision id '" + decision.id() + "' is already taken");
        }
        Kept kept = keep(decision);
        content.put(decision.id(), kept);
        String sha = kept.form() == null ? null : Sha256.hex(kept.form());
        append(decision.id(), AuditHash.canonical(new AuditRecord.OfDecision(decision, sha, kept.form())));
    }

    /** The content to keep: plain, or filed under the subject's live key when the request named one. */
    private Kept keep(Decision decision) {
        Content c = decision.content();
        if (c == null || decision.principal() == null) {
            return Kept.NONE;
        }
        String subject = c.subject();
        String ref = subject == null ? null : subjectRef(decision.principal().tenant(), subject);
        if (c.state() != Content.State.KEPT) {
            return new Kept(null, null, ref, null, null);
        }
        String form = encode(c.input()) + "\n" + encode(c.output());
        if (ref == null) {
            return new Kept(form, Content.State.KEPT, null, null, c.keepUntil());
        }
        String keyId = subjectKeys.computeIfAbsent(ref, r -> UUID.randomUUID().toString());
        return new Kept("key:" + keyId + "\n" + form, Content.State.KEPT, ref, keyId, c.keepUntil());
    }

    private synchronized Optional<Decision> findDecision(String id) {
        Optional<Long> seq = positionOf(id);
        return seq.map(s -> read(records.get((int) (s - 1))));
    }

    /** The Decisions whose id passes {@code ids}, oldest first, read now: a copy, so a visitor may append. */
    private synchronized List<Decision> decisions(Predicate<String> ids) {
        return records.stream()
                .filter(r -> content.containsKey(r.id()) && ids.test(r.id()))
                .map(this::read)
                .sorted(OLDEST_FIRST)
                .toList();
    }

    private Kept keptOf(String id) {
        return content.getOrDefault(id, Kept.NONE);
    }

    /** A Decision as it reads now: its content kept, purged or erased. */
    private Decision read(Stored stored) {
        var record = (AuditRecord.OfDecision) AuditHash.decode(stored.canonical());
        Kept kept = keptOf(stored.id());
        if (kept.state() == null) {
            return record.decision();
        }
        if (kept.form() == null || kept.state() == Content.State.PURGED) {
            return record.decision().withContent(new Content(Content.State.PURGED, null, null, null, kept.expires()));
        }
        if (kept.keyId() != null && destroyedKeys.contains(kept.keyId())) {
            return record.decision().withContent(new Content(Content.State.ERASED, null, null, null, kept.expires()));
        }
        String[] lines = kept.form().split("\n", -1); // [key:<id>,] input, output
        String input = decode(lines[lines.length - 2]);
        String output = decode(lines[lines.length - 1]);
        return record.decision().withContent(new Content(Content.State.KEPT, input, output, null, kept.expires()));
    }

    private static String encode(@Nullable String text) {
        return text == null ? "-" : "+" + Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static @Nullable String decode(String field) {
        return field.equals("-")
                ? null
                : new String(Base64.getDecoder().decode(field.substring(1)), StandardCharsets.UTF_8);
    }

    private static String subjectRef(@Nullable String tenant, String subject) {
        return Sha256.hex("airlock.subject/1\n" + tenant + "\n" + subject);
    }

    // --- erasure

    @Override
    public synchronized int eraseSubject(String tenant, String subject, String actor, Instant at) {
        String ref = subjectRef(tenant, subject);
        int records = 0;
        for (var entry : content.entrySet()) {
            Kept k = entry.getValue();
            if (ref.equals(k.subjectRef())) {
                boolean readable = k.state() == Content.State.KEPT && k.form() != null;
                records += readable ? 1 : 0;
                entry.setValue(
                        new Kept(k.form(), readable ? Content.State.ERASED : k.state(), null, k.keyId(), k.expires()));
            }
        }
        String keyId = subjectKeys.remove(ref);
        if (keyId != null) {
            destroyedKeys.add(keyId);
        }
        appendEvent(new AuditEvent(
                DecisionIds.next(at.toEpochMilli()),
                at,
                tenant,
                actor,
                AdminAction.SUBJECT_ERASED.id(),
                ref,
                Map.of("records", Integer.toString(records), "reviews_ended", "0", "reviews_cleared", "0")));
        return records;
    }

    @Override
    public synchronized int purgeExpiredContent(Instant now, String actor) {
        int purged = 0;
        for (var entry : content.entrySet()) {
            Kept k = entry.getValue();
            if (k.form() != null && k.expires() != null && !k.expires().isAfter(now)) {
                purged++;
                entry.setValue(new Kept(null, Content.State.PURGED, k.subjectRef(), k.keyId(), k.expires()));
            }
        }
        if (purged > 0) {
            appendEvent(new AuditEvent(
                    DecisionIds.next(now.toEpochMilli()),
                    now,
                    null,
                    actor,
                    AdminAction.CONTENT_PURGED.id(),
                    null,
                    Map.of("records", Integer.toString(purged), "expired_before", now.toString())));
        }
        return purged;
    }

    // --- the chain

    @Override
    public synchronized void forEachLink(Consumer<ChainLink> visitor) {
        for (int i = 0; i < records.size(); i++) {
            visitor.accept(link(i + 1));
        }
    }

    private ChainLink link(long seq) {
        Stored s = records.get((int) seq - 1);
        AuditRecord record = AuditHash.decode(s.canonical());
        if (record instanceof AuditRecord.OfDecision d) {
            record = new AuditRecord.OfDecision(
                    d.decision(), d.contentSha256(), keptOf(s.id()).form());
        }
        String previous =
                seq == 1 ? AuditHash.GENESIS : records.get((int) seq - 2).link();
        return new ChainLink(seq, record, s.leaf(), previous, s.link(), record);
    }

    @Override
    public synchronized void scanStored(long after, long upTo, StoredRecords visitor) {
        for (long seq = after + 1; seq <= Math.min(upTo, records.size()); seq++) {
            Stored s = records.get((int) seq - 1);
            byte[] link = visitor.wantsLink(seq) ? s.link().getBytes(StandardCharsets.US_ASCII) : null;
            String form = keptOf(s.id()).form();
            visitor.visit(seq, s.canonical(), link, form == null ? null : form.getBytes(StandardCharsets.UTF_8));
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
    public void searchEvents(
            @Nullable String tenant, @Nullable Instant from, @Nullable Instant to, Predicate<AuditEvent> visitor) {
        List<AuditEvent> events = new ArrayList<>();
        forEachLink(link -> {
            if (link.record() instanceof AuditEvent e
                    && (tenant == null || e.tenant() == null || tenant.equals(e.tenant()))
                    && (from == null || !e.at().isBefore(from))
                    && (to == null || e.at().isBefore(to))) {
                events.add(e);
            }
        });
        for (AuditEvent e : events) {
            if (!visitor.test(e)) {
                return;
            }
        }
    }

    @Override
    public synchronized Optional<ChainLink> findLink(String recordId) {
        return positionOf(recordId).map(this::link);
    }

    @Override
    public synchronized boolean addCheckpoint(Checkpoint checkpoint, MerkleTree.Frontier frontier) {
        if (checkpoints.stream().anyMatch(c -> c.checkpoint().treeSize() == checkpoint.treeSize())) {
            return false;
        }
        checkpoints.add(new StoredCheckpoint(checkpoint, frontier));
        checkpoints.sort(Comparator.comparingLong(c -> c.checkpoint().treeSize()));
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
        keys.replaceAll(k ->
                k.retiredAt() == null ? new SigningKey(k.keyId(), k.publicKey(), k.createdAt(), key.createdAt()) : k);
        if (keys.stream().noneMatch(k -> k.keyId().equals(key.keyId()))) {
            keys.add(key);
        }
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
    public synchronized List<Seal> seals(long after) {
        return seals.stream()
                .filter(s -> s.last() > after)
                .sorted(Comparator.comparingLong(Seal::first))
                .toList();
    }
}
