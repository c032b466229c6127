package dev.airlock.store;

import dev.airlock.audit.AdminAction;
import dev.airlock.audit.AuditChain;
import dev.airlock.audit.AuditEvent;
import dev.airlock.audit.AuditHash;
import dev.airlock.audit.AuditRecord;
import dev.airlock.audit.AuditSigner;
import dev.airlock.audit.ChainLink;
import dev.airlock.audit.Checkpoint;
import dev.airlock.audit.Erasure;
import dev.airlock.audit.MerkleTree;
import dev.airlock.audit.Seal;
import dev.airlock.audit.SigningKey;
import dev.airlock.decision.Content;
import dev.airlock.decision.DecisionIds;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.jdbi.v3.core.statement.StatementContext;
import org.jspecify.annotations.Nullable;

/**
 * The audit log beyond the Decisions themselves: administrative events (which share the chain with Decisions),
 * checkpoints, signing keys, and the content operations (purge, erasure) that leave the chain intact.
 */
final class AuditTable implements AuditChain, Erasure {
    private static final HexFormat HEX = HexFormat.of();
    private static final int PAGE = 1_000;
    private static final String EVENT_COLUMNS =
            "id, at, tenant, actor, action, target, details, seq, leaf_hash, prev_hash, record_hash, canonical";
    private static final String INSERT_EVENT = "INSERT INTO audit_events (" + EVENT_COLUMNS + ") VALUES ("
            + EVENT_COLUMNS.replaceAll("\\s*(\\w+)", ":$1") + ")";
    // Leaves for checkpoints and proofs are hashed from the records themselves, never taken from the stored leaf hash:
    // a row whose record bytes are gone (someone cleared them and rewrote its columns) has no leaf a node may sign.
    private static final String LEAVES = "SELECT seq, canonical FROM decisions"
            + " WHERE seq > :after AND seq <= :upto"
            + " UNION ALL SELECT seq, canonical FROM audit_events WHERE seq > :after AND seq <= :upto"
            + " ORDER BY seq LIMIT :limit";
    // The verifier's scan reads only what it hashes, fewest columns first: positions are unique in each table, so
    // both tables, and the content of the few Decisions that keep any (a partial index), are read in order and merged.
    private static final String DECISION_SCAN =
            "SELECT seq, canonical, record_hash FROM decisions WHERE seq > ? AND seq <= ? ORDER BY seq";
    private static final String CONTENT_SCAN =
            "SELECT seq, content FROM decisions" + " WHERE content IS NOT NULL AND seq > ? AND seq <= ? ORDER BY seq";
    private static final String EVENT_SCAN =
            "SELECT seq, canonical, record_hash FROM audit_events WHERE seq > ? AND seq <= ? ORDER BY seq";

    private final Database database;
    private final DecisionTable decisions;
    private final Seals seals;

    AuditTable(Database database, DecisionTable decisions, Seals seals) {
        this.database = database;
        this.decisions = decisions;
        this.seals = seals;
    }

    @Override
    public void appendEvent(AuditEvent event) {
        database.writes().useTransaction(handle -> {
            ChainHead head = ChainHead.lockAndRead(handle, database);
            byte[] canonical = AuditHash.canonical(event);
            String leaf = AuditHash.leafOf(canonical);
            String link = AuditHash.link(head.hash(), leaf);
            handle.createUpdate(INSERT_EVENT)
                    .bind("id", event.id())
                    .bind("at", EpochNanos.of(event.at(), "at"))
                    .bind("tenant", event.tenant())
                    .bind("actor", event.actor())
                    .bind("action", event.action())
                    .bind("target", event.target())
                    .bind("details", JsonColumns.write(event.details()))
                    .bind("seq", head.seq() + 1)
                    .bind("leaf_hash", leaf)
                    .bind("prev_hash", head.hash())
                    .bind("record_hash", link)
                    .bind("canonical", canonical)
                    .execute();
            seals.seal(handle, head.seq() + 1, head.seq() + 1, head.hash(), link);
        });
    }

    /** Both tables' records merged by position, a page of each at a time. */
    @Override
    public void forEachLink(Consumer<ChainLink> visitor) {
        long after = 0;
        while (true) {
            List<ChainLink> fromDecisions = decisions.chainPage(after, PAGE);
            List<ChainLink> fromEvents = eventPage(after, PAGE);
            long bound = Long.MAX_VALUE;
            if (fromDecisions.size() == PAGE) {
                bound = fromDecisions.getLast().seq();
            }
            if (fromEvents.size() == PAGE) {
                bound = Math.min(bound, fromEvents.getLast().seq());
            }
            List<ChainLink> merged = new ArrayList<>(fromDecisions.size() + fromEvents.size());
            merged.addAll(fromDecisions);
            merged.addAll(fromEvents);
            merged.sort((a, b) -> Long.compare(a.seq(), b.seq()));
            for (ChainLink link : merged) {
                if (link.seq() > bound) {
                    break;
                }
                visitor.accept(link);
            }
            if (bound == Long.MAX_VALUE) {
                return;
            }
            after = bound;
        }
    }

    @Override
    public void searchEvents(
            @Nullable String tenant, @Nullable Instant from, @Nullable Instant to, Predicate<AuditEvent> visitor) {
        StringBuilder where = new StringBuilder(" WHERE seq > :after");
        if (tenant != null) {
            where.append(" AND (tenant = :tenant OR tenant IS NULL)");
        }
        if (from != null) {
            where.append(" AND at >= :from");
        }
        if (to != null) {
            where.append(" AND at < :to");
        }
        String sql = "SELECT " + EVENT_COLUMNS + " FROM audit_events" + where + " ORDER BY seq LIMIT :limit";
        long after = 0;
        while (true) {
            long from0 = after;
            List<ChainLink> page = database.reads().withHandle(handle -> {
                var q = handle.createQuery(sql).bind("after", from0).bind("limit", PAGE);
                if (tenant != null) {
                    q.bind("tenant", tenant);
                }
                if (from != null) {
                    q.bind("from", EpochNanos.of(from, "from"));
                }
                if (to != null) {
                    q.bind("to", EpochNanos.of(to, "to"));
                }
                return q.map(AuditTable::eventLink).list();
            });
            for (ChainLink link : page) {
                if (!visitor.test((AuditEvent) link.record())) {
                    return;
                }
            }
            if (page.size() < PAGE) {
                return;
            }
            after = page.getLast().seq();
        }
    }

    @Override
    public Optional<ChainLink> findLink(String id) {
        return positionOf(id).flatMap(seq -> {
            List<ChainLink> decision = decisions.chainPage(seq - 1, 1);
            if (!decision.isEmpty() && decision.getFirst().seq() == seq) {
                return Optional.of(decision.getFirst());
            }
            return eventPage(seq - 1, 1).stream().filter(l -> l.seq() == seq).findFirst();
        });
    }

    private List<ChainLink> eventPage(long after, int limit) {
        return database.reads()
                .withHandle(handle -> handle.createQuery("SELECT " + EVENT_COLUMNS
                                + " FROM audit_events WHERE seq > :after ORDER BY seq LIMIT :limit")
                        .bind("after", after)
                        .bind("limit", limit)
                        .map(AuditTable::eventLink)
                        .list());
    }

    private static ChainLink eventLink(ResultSet rs, StatementContext ctx) throws SQLException {
        AuditEvent indexed = indexedEvent(rs);
        byte[] canonical = rs.getBytes("canonical");
        AuditRecord held = indexed;
        if (canonical != null) {
            try {
                held = AuditHash.decode(canonical);
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("the record of audit event '" + indexed.id() + "' cannot be read ("
                        + e.getMessage() + "): the audit log was altered (airlock audit verify)");
            }
        }
        if (!(held instanceof AuditEvent) || !held.id().equals(indexed.id())) {
            throw new IllegalStateException("the row of audit event '" + indexed.id() + "' holds the record of '"
                    + held.id() + "': the audit log was altered (airlock audit verify)");
        }
        return new ChainLink(
                rs.getLong("seq"),
                held,
                rs.getString("leaf_hash"),
                rs.getString("prev_hash"),
                rs.getString("record_hash"),
                indexed);
    }

    /** The event as its search columns describe it. */
    private static AuditEvent indexedEvent(ResultSet rs) throws SQLException {
        return new AuditEvent(
                rs.getString("id"),
                EpochNanos.required(rs, "at"),
                rs.getString("tenant"),
                rs.getString("actor"),
                rs.getString("action"),
                rs.getString("target"),
                JsonColumns.fields(rs.getString("details")));
    }

    /** Gives events written before records kept their canonical bytes those bytes (see CanonicalFill). */
    void fillCanonical() {
        CanonicalFill.run(
                database, "audit_events", EVENT_COLUMNS, PAGE, (rs, ctx) -> AuditHash.canonical(indexedEvent(rs)));
    }

    /** See {@link AuditChain#scanStored}: plain JDBC, both tables read in position order and merged. */
    @Override
    public void scanStored(long after, long upTo, AuditChain.StoredRecords visitor) {
        try {
            scan(after, upTo, visitor);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the audit log: " + e.getMessage(), e);
        }
    }

    private void scan(long after, long upTo, AuditChain.StoredRecords visitor) throws SQLException {
        database.reads().useHandle(handle -> {
            Connection connection = handle.getConnection();
            boolean autoCommit = connection.getAutoCommit();
            if (database.shared()) {
                connection.setAutoCommit(false); // PostgreSQL streams by fetch size only inside a transaction
            }
            try (var decisionRows = connection.prepareStatement(DECISION_SCAN);
                    var contentRows = connection.prepareStatement(CONTENT_SCAN);
                    var eventRows = connection.prepareStatement(EVENT_SCAN)) {
                for (var statement : List.of(decisionRows, contentRows, eventRows)) {
                    statement.setFetchSize(10 * PAGE);
                    statement.setLong(1, after);
                    statement.setLong(2, upTo);
                }
                try (var d = decisionRows.executeQuery();
                        var c = contentRows.executeQuery();
                        var e = eventRows.executeQuery()) {
                    long dSeq = d.next() ? d.getLong(1) : Long.MAX_VALUE;
                    long cSeq = c.next() ? c.getLong(1) : Long.MAX_VALUE;
                    long eSeq = e.next() ? e.getLong(1) : Long.MAX_VALUE;
                    while (dSeq != Long.MAX_VALUE || eSeq != Long.MAX_VALUE) {
                        if (dSeq <= eSeq) {
                            while (cSeq < dSeq) {
                                cSeq = c.next() ? c.getLong(1) : Long.MAX_VALUE;
                            }
                            byte[] content = cSeq == dSeq ? c.getBytes(2) : null;
                            visitor.visit(dSeq, d.getBytes(2), visitor.wantsLink(dSeq) ? d.getBytes(3) : null, content);
                            dSeq = d.next() ? d.getLong(1) : Long.MAX_VALUE;
                        } else {
                            visitor.visit(eSeq, e.getBytes(2), visitor.wantsLink(eSeq) ? e.getBytes(3) : null, null);
                            eSeq = e.next() ? e.getLong(1) : Long.MAX_VALUE;
                        }
                    }
                }
            } finally {
                if (database.shared()) {
                    connection.rollback();
                    connection.setAutoCommit(autoCommit);
                }
            }
        });
    }

    @Override
    public Optional<String> recordIdAt(long seq) {
        return columnAt("id", seq);
    }

    /** A column both chain tables have, of the record at {@code seq}. */
    private Optional<String> columnAt(String column, long seq) {
        return database.reads()
                .withHandle(handle -> handle.createQuery("SELECT " + column + " FROM decisions WHERE seq = :seq"
                                + " UNION ALL SELECT " + column + " FROM audit_events WHERE seq = :seq")
                        .bind("seq", seq)
                        .mapTo(String.class)
                        .findFirst());
    }

    @Override
    public long chainSize() {
        return database.reads().withHandle(ChainHead::read).seq();
    }

    @Override
    public Iterator<byte[]> leafHashes(long after, long upTo) {
        return new Iterator<>() {
            private long position = after;
            private Iterator<byte[]> page = Collections.emptyIterator();

            @Override
            public boolean hasNext() {
                if (!page.hasNext() && position < upTo) {
                    List<Object[]> rows = database.reads()
                            .withHandle(handle -> handle.createQuery(LEAVES)
                                    .bind("after", position)
                                    .bind("upto", upTo)
                                    .bind("limit", 10 * PAGE)
                                    .map((rs, ctx) -> new Object[] {rs.getLong("seq"), leafOf(rs)})
                                    .list());
                    List<byte[]> leaves = new ArrayList<>(rows.size());
                    for (Object[] row : rows) {
                        long seq = (Long) row[0];
                        if (seq != position + 1) {
                            throw new IllegalStateException(
                                    "the audit log has no record at position " + (position + 1));
                        }
                        if (row[1] == null) {
                            throw new IllegalStateException("the record at position " + seq + " has no record bytes"
                                    + " (it was altered): no checkpoint or proof covers it (airlock audit verify)");
                        }
                        position = seq;
                        leaves.add((byte[]) row[1]);
                    }
                    page = leaves.iterator();
                }
                return page.hasNext();
            }

            @Override
            public byte[] next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return page.next();
            }
        };
    }

    /** The leaf hash of the row's record bytes, or null when it has none. */
    private static byte @Nullable [] leafOf(ResultSet rs) throws SQLException {
        byte[] canonical = rs.getBytes("canonical");
        return canonical == null ? null : HEX.parseHex(AuditHash.leafOf(canonical));
    }

    @Override
    public Optional<String> linkAt(long seq) {
        return columnAt("record_hash", seq);
    }

    @Override
    public Optional<Long> positionOf(String id) {
        return database.reads()
                .withHandle(handle -> handle.createQuery("SELECT seq FROM decisions WHERE id = :id AND seq IS NOT NULL"
                                + " UNION ALL SELECT seq FROM audit_events WHERE id = :id")
                        .bind("id", id)
                        .mapTo(Long.class)
                        .findFirst());
    }

    @Override
    public boolean addCheckpoint(Checkpoint c, MerkleTree.Frontier frontier) {
        String roots =
                String.join(",", frontier.roots().stream().map(HEX::formatHex).toList());
        return database.writes()
                        .withHandle(handle -> handle.createUpdate("INSERT INTO audit_checkpoints"
                                        + " (tree_size, root, head, signed_at, key_id, signature, frontier,"
                                        + " previous_size)"
                                        + " VALUES (:size, :root, :head, :at, :key, :sig, :frontier, :previous)"
                                        + " ON CONFLICT (tree_size) DO NOTHING")
                                .bind("size", c.treeSize())
                                .bind("root", c.root())
                                .bind("head", c.head())
                                .bind("at", EpochNanos.of(c.signedAt(), "signedAt"))
                                .bind("key", c.keyId())
                                .bind("sig", c.signature())
                                .bind("frontier", roots)
                                .bind("previous", c.previous())
                                .execute())
                > 0;
    }

    @Override
    public long blockCount() {
        return database.reads()
                .withHandle(handle -> handle.createQuery("SELECT COUNT(*) FROM merkle_blocks")
                        .mapTo(Long.class)
                        .one());
    }

    @Override
    public void addBlockRoots(long firstIndex, List<byte[]> roots) {
        database.writes().useTransaction(handle -> {
            var insert = handle.prepareBatch("INSERT INTO merkle_blocks (block_index, root) VALUES (:index, :root)"
                    + " ON CONFLICT (block_index) DO NOTHING");
            for (int i = 0; i < roots.size(); i++) {
                insert.bind("index", firstIndex + i)
                        .bind("root", HEX.formatHex(roots.get(i)))
                        .add();
            }
            if (insert.size() > 0) {
                insert.execute();
            }
        });
    }

    @Override
    public List<byte[]> blockRoots(long from, long to) {
        return database.reads()
                .withHandle(handle -> handle.createQuery("SELECT root FROM merkle_blocks WHERE block_index >= :from"
                                + " AND block_index < :to ORDER BY block_index")
                        .bind("from", from)
                        .bind("to", to)
                        .map((rs, ctx) -> HEX.parseHex(rs.getString("root")))
                        .list());
    }

    @Override
    public Optional<AuditChain.StoredCheckpoint> latestCheckpoint() {
        return database.reads()
                .withHandle(handle -> handle.createQuery(
                                "SELECT * FROM audit_checkpoints ORDER BY tree_size DESC LIMIT 1")
                        .map((rs, ctx) -> {
                            Checkpoint c = checkpoint(rs);
                            return new AuditChain.StoredCheckpoint(c, frontier(c, rs.getString("frontier")));
                        })
                        .findOne());
    }

    /**
     * The stored frontier of checkpoint {@code c}; an empty one when it cannot be read (altered), which matches no
     * checkpoint: nodes then extend nothing from it and verification reports it.
     */
    private static MerkleTree.Frontier frontier(Checkpoint c, String roots) {
        try {
            List<byte[]> frontier = roots == null || roots.isEmpty()
                    ? List.of()
                    : Arrays.stream(roots.split(",")).map(HEX::parseHex).toList();
            return new MerkleTree.Frontier(c.treeSize(), frontier);
        } catch (IllegalArgumentException unreadable) {
            return new MerkleTree.Frontier();
        }
    }

    @Override
    public List<Checkpoint> checkpoints() {
        return database.reads()
                .withHandle(handle -> handle.createQuery("SELECT * FROM audit_checkpoints ORDER BY tree_size")
                        .map((rs, ctx) -> checkpoint(rs))
                        .list());
    }

    private static Checkpoint checkpoint(ResultSet rs) throws SQLException {
        return new Checkpoint(
                rs.getLong("tree_size"),
                rs.getString("root"),
                rs.getString("head"),
                EpochNanos.required(rs, "signed_at"),
                rs.getString("key_id"),
                rs.getString("signature"),
                rs.getObject("previous_size") == null ? null : rs.getLong("previous_size"));
    }

    @Override
    public List<SigningKey> signingKeys() {
        return database.reads()
                .withHandle(handle -> handle.createQuery("SELECT * FROM audit_signing_keys ORDER BY created_at, key_id")
                        .map((rs, ctx) -> new SigningKey(
                                rs.getString("key_id"),
                                rs.getString("public_key"),
                                EpochNanos.required(rs, "created_at"),
                                rs.getObject("retired_at") == null ? null : EpochNanos.read(rs, "retired_at")))
                        .list());
    }

    @Override
    public void addSigningKey(SigningKey key) {
        database.writes().useTransaction(handle -> {
            handle.createUpdate("UPDATE audit_signing_keys SET retired_at = :at WHERE retired_at IS NULL")
                    .bind("at", EpochNanos.of(key.createdAt(), "createdAt"))
                    .execute();
            handle.createUpdate("INSERT INTO audit_signing_keys (key_id, public_key, created_at)"
                            + " VALUES (:id, :key, :at) ON CONFLICT (key_id) DO NOTHING")
                    .bind("id", key.keyId())
                    .bind("key", key.publicKey())
                    .bind("at", EpochNanos.of(key.createdAt(), "createdAt"))
                    .execute();
        });
    }

    /**
     * Destroys the subject's keys (crypto-shredding) and marks their content erased; the ciphertext stays, unreadable,
     * so the chain still verifies. Held reviews of the subject lose what they held, and pending ones end rejected.
     * Returns how many Decisions held content of that subject.
     */
    Erased eraseSubject(String tenant, String subject, Instant at) {
        String ref = SubjectKeys.ref(tenant, subject);
        Erased erased = database.writes().inTransaction(handle -> {
            ChainHead.lock(handle, database); // no key for the subject is made while it is erased
            // Reviews first, while the subject's Decisions still name it: a review held before reviews kept the
            // subject (or its key) is found through its Decision. A held answer about the subject can no longer be
            // delivered: its review ends, rejected by Airlock.
            String ofSubject = " WHERE (subject_ref = :ref"
                    + " OR decision_id IN (SELECT id FROM decisions WHERE subject_ref = :ref))";
            int ended = handle.createUpdate("UPDATE reviews SET state = 'rejected', decided_by = 'airlock',"
                            + " comment = 'the data subject was erased', decided_at = :at"
                            + ofSubject + " AND state = 'pending'")
                    .bind("at", EpochNanos.of(at, "at"))
                    .bind("ref", ref)
                    .execute();
            int cleared = handle.createUpdate(
                            "UPDATE reviews SET input = NULL, output = NULL, answer_body = NULL, final_body = NULL,"
                                    + " subject_ref = NULL" + ofSubject)
                    .bind("ref", ref)
                    .execute();
            int records = handle.createUpdate("UPDATE decisions SET content_state = :erased, subject_ref = NULL"
                            + " WHERE subject_ref = :ref AND content_state = :kept")
                    .bind("erased", Content.State.ERASED.id())
                    .bind("kept", Content.State.KEPT.id())
                    .bind("ref", ref)
                    .execute();
            handle.createUpdate("UPDATE decisions SET subject_ref = NULL WHERE subject_ref = :ref")
                    .bind("ref", ref)
                    .execute();
            handle.createUpdate("DELETE FROM responses WHERE subject_ref = :ref") // stored responses
                    .bind("ref", ref)
                    .execute();
            handle.createUpdate("UPDATE subject_keys SET key_material = NULL, erased_at = :at"
                            + " WHERE subject_ref = :ref AND erased_at IS NULL")
                    .bind("at", EpochNanos.of(at, "at"))
                    .bind("ref", ref)
                    .execute();
            return new Erased(records, ended, cleared);
        });
        database.scrubFreedPages();
        return erased;
    }

    /**
     * What an erasure reached: Decisions whose content it shredded, pending reviews it ended, and reviews whose held
     * content it cleared (the ended ones among them).
     */
    record Erased(int records, int reviewsEnded, int reviewsCleared) {}

    /** Removes content whose retention ran out (the digest the chain commits to stays); returns how many. */
    int purgeExpiredContent(Instant now) {
        return database.writes().inTransaction(handle -> {
            // stored responses follow their Decisions' retention; the count is of Decisions, as the event says
            handle.createUpdate("DELETE FROM responses WHERE expires_at <= :now")
                    .bind("now", EpochNanos.of(now, "now"))
                    .execute();
            return handle.createUpdate("UPDATE decisions SET content = NULL, content_state = :purged"
                            + " WHERE content_expires_at <= :now AND content IS NOT NULL")
                    .bind("purged", Content.State.PURGED.id())
                    .bind("now", EpochNanos.of(now, "now"))
                    .execute();
        });
    }

    @Override
    public void sealWith(AuditSigner signer) {
        seals.sealWith(signer);
    }

    @Override
    public List<Seal> seals(long after) {
        return seals.after(after);
    }

    @Override
    public int parallelScans() {
        return database.parallelReads();
    }

    /** Shreds the subject's content and records that it did, in the chain it shredded. */
    @Override
    public int eraseSubject(String tenant, String subject, String actor, Instant at) {
        Erased erased = eraseSubject(tenant, subject, at);
        appendEvent(new AuditEvent(
                DecisionIds.next(at.toEpochMilli()),
                at,
                tenant,
                actor,
                AdminAction.SUBJECT_ERASED.id(),
                SubjectKeys.ref(tenant, subject),
                Map.of(
                        "records", Integer.toString(erased.records()),
                        "reviews_ended", Integer.toString(erased.reviewsEnded()),
                        "reviews_cleared", Integer.toString(erased.reviewsCleared()))));
        return erased.records();
    }

    /** Purges expired content and, when there was any, records that it did. */
    @Override
    public int purgeExpiredContent(Instant now, String actor) {
        int purged = purgeExpiredContent(now);
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
}
