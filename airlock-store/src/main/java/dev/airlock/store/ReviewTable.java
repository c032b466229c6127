package dev.airlock.store;

import dev.airlock.review.HeldReview;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The {@code reviews} table. */
final class ReviewTable {
    private static final String COLUMNS =
            "id, decision_id, tenant, key_id, model, model_version, reasons, input, output,"
                    + " answer_body, callback_url, created_at, due_at, state, claimed_by, decided_by, comment, final_body,"
                    + " decided_at, escalated_at";

    private final Database database;

    ReviewTable(Database database) {
        this.database = database;
    }

    void insert(HeldReview r) {
        database.writes()
                .useHandle(handle -> bind(
                                handle.createUpdate("INSERT INTO reviews (" + COLUMNS + ") VALUES (:id, :decision_id,"
                                        + " :tenant, :key_id, :model, :model_version, :reasons, :input, :output,"
                                        + " :answer_body, :callback_url, :created_at, :due_at, :state, :claimed_by,"
                                        + " :decided_by, :comment, :final_body, :decided_at, :escalated_at)"),
                                r)
                        .execute());
    }

    Optional<HeldReview> find(String id) {
        return database.reads()
                .withHandle(handle -> handle.createQuery("SELECT * FROM reviews WHERE id = :id")
                        .bind("id", id)
                        .map((rs, ctx) -> read(rs))
                        .findOne());
    }

    List<HeldReview> list(String tenant, HeldReview.State state, int limit) {
        return database.reads()
                .withHandle(handle -> handle.createQuery("SELECT * FROM reviews WHERE tenant = :tenant"
                                + (state == null ? "" : " AND state = :state")
                                + " ORDER BY created_at, id LIMIT :limit")
                        .bind("tenant", tenant)
                        .bind("state", state == null ? null : state.id())
                        .bind("limit", limit)
                        .map((rs, ctx) -> read(rs))
                        .list());
    }

    boolean update(HeldReview before, HeldReview after) {
        return database.writes()
                        .withHandle(handle -> bind(
                                        handle.createUpdate(
                                                "UPDATE reviews SET state = :state, claimed_by = :claimed_by, input = :input,"
                                                        + " output = :output, answer_body = :answer_body,"
                                                        + " decided_by = :decided_by, comment = :comment, final_body ="
                                                        + " :final_body, decided_at = :decided_at, escalated_at = :escalated_at"
                                                        + " WHERE id = :id AND state = :before_state AND"
                                                        + " COALESCE(claimed_by, '') = :before_claim"),
                                        after)
                                .bind("before_state", before.state().id())
                                .bind("before_claim", before.claimedBy() == null ? "" : before.claimedBy())
                                .execute())
                == 1;
    }

    List<HeldReview> overdue(Instant now) {
        return database.reads()
                .withHandle(handle -> handle.createQuery("SELECT * FROM reviews WHERE state = 'pending' AND due_at <="
                                + " :now AND escalated_at IS NULL ORDER BY due_at, id")
                        .bind("now", EpochNanos.of(now, "now"))
                        .map((rs, ctx) -> read(rs))
                        .list());
    }

    private static <T extends org.jdbi.v3.core.statement.SqlStatement<T>> T bind(T statement, HeldReview r) {
        return statement
                .bind("id", r.id())
                .bind("decision_id", r.decisionId())
                .bind("tenant", r.tenant())
                .bind("key_id", r.keyId())
                .bind("model", r.model())
                .bind("model_version", r.modelVersion())
                .bind("reasons", JsonColumns.write(r.reasons()))
                .bind("input", r.input())
                .bind("output", r.output())
                .bind("answer_body", r.answerBody())
                .bind("callback_url", r.callbackUrl())
                .bind("created_at", EpochNanos.of(r.createdAt(), "created_at"))
                .bind("due_at", EpochNanos.of(r.dueAt(), "due_at"))
                .bind("state", r.state().id())
                .bind("claimed_by", r.claimedBy())
                .bind("decided_by", r.decidedBy())
                .bind("comment", r.comment())
                .bind("final_body", r.finalBody())
                .bind("decided_at", r.decidedAt() == null ? null : EpochNanos.of(r.decidedAt(), "decided_at"))
                .bind("escalated_at", r.escalatedAt() == null ? null : EpochNanos.of(r.escalatedAt(), "escalated_at"));
    }

    private static HeldReview read(ResultSet rs) throws SQLException {
        return new HeldReview(
                rs.getString("id"),
                rs.getString("decision_id"),
                rs.getString("tenant"),
                rs.getString("key_id"),
                rs.getString("model"),
                rs.getString("model_version"),
                JsonColumns.strings(rs.getString("reasons")),
                rs.getString("input"),
                rs.getString("output"),
                rs.getString("answer_body"),
                rs.getString("callback_url"),
                EpochNanos.read(rs, "created_at"),
                EpochNanos.read(rs, "due_at"),
                HeldReview.State.parse(rs.getString("state")),
                rs.getString("claimed_by"),
                rs.getString("decided_by"),
                rs.getString("comment"),
                rs.getString("final_body"),
                optionalInstant(rs, "decided_at"),
                optionalInstant(rs, "escalated_at"));
    }

    private static Instant optionalInstant(ResultSet rs, String column) throws SQLException {
        rs.getLong(column);
        return rs.wasNull() ? null : EpochNanos.read(rs, column);
    }
}
