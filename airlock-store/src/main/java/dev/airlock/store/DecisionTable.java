package dev.airlock.store;

import dev.airlock.audit.AuditHash;
import dev.airlock.audit.AuditRecord;
import dev.airlock.audit.ChainLink;
import dev.airlock.audit.Sha256;
import dev.airlock.decision.Content;
import dev.airlock.decision.Decision;
import dev.airlock.decision.DecisionQuery;
import dev.airlock.decision.Outcome;
import dev.airlock.decision.Principal;
import dev.airlock.decision.RequestKind;
import dev.airlock.decision.Role;
import dev.airlock.decision.Stop;
import dev.airlock.decision.Usage;
import dev.airlock.decision.WorkflowStep;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.jspecify.annotations.Nullable;

/** The {@code decisions} table: one row per Decision, lists as JSON text. */
final class DecisionTable {
    private static final String COLUMNS = """
            id, started_at, tenant, key_id, role, kind, model, model_version, provider, upstream_model, stream,
            outcome, http_status, stop_stage, stop_type, stop_code, stop_message, stop_param,
            input_tokens, output_tokens, cached_input_tokens, cost_nano_usd, latency_micros, upstream_micros,
            input_sha256, output_sha256, reasons, notes, trace_id, airlock_version, workflow_run, workflow_step""";
    // Each column is bound by its own name: VALUES (:id, :started_at, ...).
    private static final String CHAIN_COLUMNS = COLUMNS
            + ", seq, prev_hash, record_hash, leaf_hash, content, content_sha256, content_state, content_expires_at,"
            + " subject_ref, content_key_id, canonical";
    // Bound by position, in the order of CHAIN_COLUMNS (see row()).
    private static final String INSERT = "INSERT INTO decisions (" + CHAIN_COLUMNS + ") VALUES ("
            + Positional.placeholders(CHAIN_COLUMNS.split(",").length) + ") ON CONFLICT (id) DO NOTHING";
    private static final String CHAIN_PAGE = "SELECT " + COLUMNS
            + ", seq, prev_hash, record_hash, leaf_hash, content, content_sha256, canonical"
            + " FROM decisions WHERE seq > :after ORDER BY seq LIMIT :limit";
    private static final int SEARCH_PAGE_SIZE = 500;
    // Reads a Decision with its content and the key that may decrypt it.
    private static final String SELECT = "SELECT " + COLUMNS.replaceAll("(\\w+)", "d.$1")
            + ", d.content, d.content_state, d.content_expires_at, d.canonical, k.key_material"
            + " FROM decisions d LEFT JOIN subject_keys k ON k.key_id = d.content_key_id";
    private static final String RECENT =
            SELECT + " WHERE d.tenant = :tenant ORDER BY d.started_at DESC, d.id DESC LIMIT :limit";

    private final Database database;
    private final Seals seals;

    DecisionTable(Database database, Seals seals) {
        this.database = database;
        this.seals = seals;
    }

    /**
     * Inserts Decisions in one transaction; returns, per Decision, whether it was new (false: its id was already
     * recorded).
     */
    boolean[] insertAll(List<Decision> batch) {
        return database.writes().inTransaction(handle -> {
            try {
                return append(handle, batch);
            } catch (SQLException e) {
                throw new UnableToExecuteStatementException(e, null);
            }
        });
    }

    private boolean[] append(Handle handle, List<Decision> batch) throws SQLException {
        ChainHead head = ChainHead.lockAndRead(handle, database);
        long seq = head.seq();
        String previous = head.hash();
        Set<String> taken = recorded(handle, batch);
        Set<String> seen = new HashSet<>();
        boolean[] inserted = new boolean[batch.size()];
        try (PreparedStatement insert = handle.getConnection().prepareStatement(INSERT)) {
            var row = new Positional(insert);
            for (int i = 0; i < batch.size(); i++) {
                Decision decision = batch.get(i);
                if (taken.contains(decision.id()) || !seen.add(decision.id())) {
                    continue; // a Decision is appended once; the caller is told, and the chain has no gap
                }
                Stored content = storedContent(handle, decision);
                byte[] canonical =
                        AuditHash.canonical(new AuditRecord.OfDecision(decision, content.sha256(), content.text()));
                String leaf = AuditHash.leafOf(canonical);
                String hash = AuditHash.link(previous, leaf);
                row(row, decision)
                        .int8(++seq)
                        .text(previous)
                        .text(hash)
                        .text(leaf)
                        .text(content.text())
                        .text(content.sha256())
                        .text(content.text() == null ? null : Content.State.KEPT.id())
                        .int8(content.expiresAt() == null ? null : EpochNanos.of(content.expiresAt(), "keepUntil"))
                        .text(content.subjectRef())
                        .text(content.keyId())
                        .bytes(canonical)
                        .addBatch();
                previous = hash;
                inserted[i] = true;
            }
            if (seq > head.seq()) {
                insert.executeBatch();
                seals.seal(handle, head.seq() + 1, seq, head.hash(), previous);
            }
        }
        return inserted;
    }

    /** A Decision's content in its stored form. */
    private record Stored(
            @Nullable String text,
            @Nullable String sha256,
            @Nullable Instant expiresAt,
            @Nullable String subjectRef,
            @Nullable String keyId) {
        static final Stored NONE = new Stored(null, null, null, null, null);
    }

    /** The content to store: plain JSON, or encrypted under the subject's key when the request named one. */
    private static Stored storedContent(Handle handle, Decision decision) {
        Content content = decision.content();
        if (content == null) {
            return Stored.NONE;
        }
        Principal principal = decision.principal();
        String subject = content.subject();
        if (content.state() != Content.State.KEPT) {
            return subject != null && principal != null
                    ? new Stored(null, null, null, SubjectKeys.ref(principal.tenant(), subject), null)
                    : Stored.NONE;
        }
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("input", content.input());
        fields.put("output", content.output());
        String json = JsonColumns.write(fields);
        if (subject == null || principal == null) {
            return new Stored(json, Sha256.hex(json), content.keepUntil(), null, null);
        }
        String tenant = principal.tenant();
        String ref = SubjectKeys.ref(tenant, subject);
        SubjectKeys.SubjectKey key = SubjectKeys.activeKey(handle, tenant, ref, decision.startedAt());
        String sealed = SubjectKeys.encrypt(key, decision.id(), json);
        return new Stored(sealed, Sha256.hex(sealed), content.keepUntil(), ref, key.keyId());
    }

    /** The ids of a batch that are already recorded. */
    private static Set<String> recorded(Handle handle, List<Decision> batch) throws SQLException {
        String sql = "SELECT id FROM decisions WHERE id IN (" + Positional.placeholders(batch.size()) + ")";
        Set<String> taken = new HashSet<>();
        try (PreparedStatement query = handle.getConnection().prepareStatement(sql)) {
            for (int i = 0; i < batch.size(); i++) {
                query.setString(i + 1, batch.get(i).id());
            }
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    taken.add(rows.getString(1));
                }
            }
        }
        return taken;
    }

    /** Reads matching Decisions oldest first, a page at a time (keyset paging on started_at, id). */
    void search(DecisionQuery query, Predicate<Decision> visitor) {
        StringBuilder where = new StringBuilder(" WHERE d.tenant IS NOT NULL");
        if (query.tenant() != null) {
            where.append(" AND d.tenant = :tenant");
        }
        if (query.from() != null) {
            where.append(" AND d.started_at >= :from");
        }
        if (query.to() != null) {
            where.append(" AND d.started_at < :to");
        }
        if (query.model() != null) {
            where.append(" AND d.model = :model");
        }
        if (query.outcome() != null) {
            where.append(" AND d.outcome = :outcome");
        }
        if (query.subject() != null) {
            where.append(" AND d.subject_ref = :subject_ref");
        }
        String first = SELECT + where + " ORDER BY d.started_at, d.id LIMIT :limit";
        String next = SELECT + where
                + " AND (d.started_at > :after_at OR (d.started_at = :after_at AND d.id > :after_id))"
                + " ORDER BY d.started_at, d.id LIMIT :limit";
        Found last = null;
        while (true) {
            Found after = last;
            List<Found> page = database.reads().withHandle(handle -> {
                var q = handle.createQuery(after == null ? first : next).bind("limit", SEARCH_PAGE_SIZE);
                if (query.tenant() != null) {
                    q.bind("tenant", query.tenant());
                }
                if (query.from() != null) {
                    q.bind("from", EpochNanos.of(query.from(), "from"));
                }
                if (query.to() != null) {
                    q.bind("to", EpochNanos.of(query.to(), "to"));
                }
                if (query.model() != null) {
                    q.bind("model", query.model());
                }
                if (query.outcome() != null) {
                    q.bind("outcome", query.outcome());
                }
                if (query.subject() != null) {
                    q.bind("subject_ref", SubjectKeys.ref(query.tenant(), query.subject()));
                }
                if (after != null) {
                    q.bind("after_at", after.startedAtColumn()).bind("after_id", after.idColumn());
                }
                return q.map((rs, ctx) -> new Found(withContent(rs, ctx), rs.getLong("started_at"), rs.getString("id")))
                        .list();
            });
            for (Found found : page) {
                // The columns found the row; the record it holds must match too (an altered column must not lend one
                // tenant's Decision to another's search).
                if (query.matches(found.decision()) && !visitor.test(found.decision())) {
                    return;
                }
            }
            if (page.size() < SEARCH_PAGE_SIZE) {
                return;
            }
            last = page.getLast();
        }
    }

    /** A row a search found: its Decision, and the column values that page the search (keyset on the columns). */
    private record Found(Decision decision, long startedAtColumn, String idColumn) {}

    /** The chain records at positions after {@code after}, in order, at most {@code limit}. */
    List<ChainLink> chainPage(long after, int limit) {
        return database.reads()
                .withHandle(handle -> handle.createQuery(CHAIN_PAGE)
                        .bind("after", after)
                        .bind("limit", limit)
                        .map((rs, ctx) -> {
                            var indexed = new AuditRecord.OfDecision(
                                    decision(rs, ctx), rs.getString("content_sha256"), rs.getString("content"));
                            byte[] canonical = rs.getBytes("canonical");
                            AuditRecord held = indexed;
                            if (canonical != null) {
                                var decoded = decode(canonical, rs.getString("id"));
                                held = new AuditRecord.OfDecision(
                                        decoded.decision(), decoded.contentSha256(), rs.getString("content"));
                            }
                            return new ChainLink(
                                    rs.getLong("seq"),
                                    held,
                                    rs.getString("leaf_hash"),
                                    rs.getString("prev_hash"),
                                    rs.getString("record_hash"),
                                    indexed);
                        })
                        .list());
    }

    /**
     * Gives every row written before records kept their canonical bytes those bytes, derived from its columns a page
     * at a time. Rows whose columns were altered get bytes their stored hashes do not match, so verification still
     * finds them.
     */
    void fillCanonical() {
        CanonicalFill.run(
                database,
                "decisions",
                COLUMNS + ", content, content_sha256",
                SEARCH_PAGE_SIZE,
                (rs, ctx) -> AuditHash.canonical(new AuditRecord.OfDecision(
                        decision(rs, ctx), rs.getString("content_sha256"), rs.getString("content"))));
    }

    Optional<Decision> find(String id) {
        return database.reads()
                .withHandle(handle -> handle.createQuery(SELECT + " WHERE d.id = :id")
                        .bind("id", id)
                        .map(DecisionTable::withContent)
                        .findOne());
    }

    List<Decision> recent(String tenant, int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("limit must not be negative: " + limit);
        }
        return database.reads()
                .withHandle(handle -> handle.createQuery(RECENT)
                        .bind("tenant", tenant)
                        .bind("limit", limit)
                        .map(DecisionTable::withContent)
                        .list());
    }

    /** The Decision's own columns, in the order of COLUMNS. */
    private static Positional row(Positional row, Decision d) throws SQLException {
        Principal who = d.principal();
        WorkflowStep step = d.workflowStep();
        Stop stop = stopOf(d);
        return row.text(d.id())
                .int8(EpochNanos.of(d.startedAt(), "startedAt"))
                .text(who == null ? null : who.tenant())
                .text(who == null ? null : who.keyId())
                .text(who == null ? null : who.role().id())
                .text(d.kind().id())
                .text(d.model())
                .text(d.modelVersion())
                .text(d.provider())
                .text(d.upstreamModel())
                .int4(d.stream() ? 1 : 0)
                .text(d.outcome().label())
                .int4(d.outcome().httpStatus())
                .text(stop == null ? null : stop.stage())
                .text(stop == null ? null : stop.type())
                .text(stop == null ? null : stop.code())
                .text(stop == null ? null : stop.message())
                .text(stop == null ? null : stop.param())
                .int8(d.usage().inputTokens())
                .int8(d.usage().outputTokens())
                .int8(d.usage().cachedInputTokens())
                .int8(Money.toNanos(d.cost()))
                .int8(d.latencyMicros())
                .int8(d.upstreamMicros())
                .text(d.inputSha256())
                .text(d.outputSha256())
                .text(JsonColumns.write(d.reasons()))
                .text(JsonColumns.write(d.notes()))
                .text(d.traceId())
                .text(d.airlockVersion())
                .text(step == null ? null : step.runId())
                .text(step == null ? null : step.step());
    }

    private static @Nullable Stop stopOf(Decision d) {
        return switch (d.outcome()) {
            case Outcome.Answered answered -> null;
            case Outcome.Refused refused -> requireStop(d, refused.stop());
            case Outcome.Failed failed -> requireStop(d, failed.stop());
        };
    }

    private static Stop requireStop(Decision d, Stop stop) {
        if (stop == null) {
            throw new IllegalArgumentException(
                    "Decision '" + d.id() + "': a " + d.outcome().label() + " outcome must say why (stop is null)");
        }
        return stop;
    }

    /** A Decision with its content as now readable: kept (decrypted), purged, or erased. */
    private static Decision withContent(ResultSet row, StatementContext context) throws SQLException {
        Decision decision = held(row, context);
        String state = row.getString("content_state");
        if (state == null) {
            return decision;
        }
        Instant expires =
                row.getObject("content_expires_at") == null ? null : EpochNanos.read(row, "content_expires_at");
        String stored = row.getString("content");
        if (stored == null || Content.State.PURGED.id().equals(state)) {
            return decision.withContent(new Content(Content.State.PURGED, null, null, null, expires));
        }
        Optional<String> json = stored.startsWith(SubjectKeys.PREFIX)
                ? SubjectKeys.decrypt(keyMaterial(row), decision.id(), stored)
                : Optional.of(stored);
        if (json.isEmpty()) {
            return decision.withContent(new Content(Content.State.ERASED, null, null, null, expires));
        }
        Map<String, String> fields = JsonColumns.fields(json.get());
        return decision.withContent(
                new Content(Content.State.KEPT, fields.get("input"), fields.get("output"), null, expires));
    }

    private static byte @Nullable [] keyMaterial(ResultSet row) throws SQLException {
        String material = row.getString("key_material");
        return material == null ? null : Base64.getDecoder().decode(material);
    }

    /**
     * The Decision as its record holds it (decoded from its canonical bytes), not as the search columns describe it;
     * refuses a row whose record names another id.
     */
    private static Decision held(ResultSet row, StatementContext context) throws SQLException {
        byte[] canonical = row.getBytes("canonical");
        if (canonical == null) {
            return decision(row, context);
        }
        return decode(canonical, row.getString("id")).decision();
    }

    /** The record a Decision's row holds; refuses bytes that are not a Decision, or are another Decision's. */
    private static AuditRecord.OfDecision decode(byte[] canonical, String id) {
        AuditRecord record;
        try {
            record = AuditHash.decode(canonical);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("the record of Decision '" + id + "' cannot be read (" + e.getMessage()
                    + "): the audit log was altered (airlock audit verify)");
        }
        if (!(record instanceof AuditRecord.OfDecision decision)
                || !decision.decision().id().equals(id)) {
            throw new IllegalStateException("the row of Decision '" + id + "' holds the record of '" + record.id()
                    + "': the audit log was altered (airlock audit verify)");
        }
        return decision;
    }

    /** The Decision as the search columns describe it. */
    private static Decision decision(ResultSet row, StatementContext context) throws SQLException {
        return new Decision(
                row.getString("id"),
                EpochNanos.required(row, "started_at"),
                principal(row),
                RequestKind.valueOf(row.getString("kind").toUpperCase(Locale.ROOT)),
                row.getString("model"),
                row.getString("model_version"),
                row.getString("provider"),
                row.getString("upstream_model"),
                row.getInt("stream") != 0,
                outcome(row),
                new Usage(
                        row.getLong("input_tokens"), row.getLong("output_tokens"), row.getLong("cached_input_tokens")),
                row.getObject("cost_nano_usd") == null ? null : Money.usd(row.getLong("cost_nano_usd")),
                row.getLong("latency_micros"),
                row.getLong("upstream_micros"),
                row.getString("input_sha256"),
                row.getString("output_sha256"),
                JsonColumns.strings(row.getString("reasons")),
                JsonColumns.notes(row.getString("notes")),
                null,
                row.getString("trace_id"),
                row.getString("airlock_version"),
                workflowStep(row));
    }

    private static @Nullable WorkflowStep workflowStep(ResultSet row) throws SQLException {
        String run = row.getString("workflow_run");
        String step = row.getString("workflow_step");
        return run == null || step == null ? null : new WorkflowStep(run, step);
    }

    private static @Nullable Principal principal(ResultSet row) throws SQLException {
        String tenant = row.getString("tenant");
        return tenant == null
                ? null
                : new Principal(tenant, row.getString("key_id"), Role.parse(row.getString("role")));
    }

    private static Outcome outcome(ResultSet row) throws SQLException {
        String label = row.getString("outcome");
        return switch (label) {
            case "answered" -> new Outcome.Answered();
            case "refused" -> new Outcome.Refused(stop(row));
            case "failed" -> new Outcome.Failed(stop(row));
            default ->
                throw new IllegalStateException(
                        "Decision '" + row.getString("id") + "' has an unknown outcome '" + label + "'");
        };
    }

    private static Stop stop(ResultSet row) throws SQLException {
        return new Stop(
                row.getString("stop_stage"),
                row.getInt("http_status"),
                row.getString("stop_type"),
                row.getString("stop_code"),
                row.getString("stop_message"),
                row.getString("stop_param"));
    }
}
