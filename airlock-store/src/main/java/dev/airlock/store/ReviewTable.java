package dev.airlock.store;

import dev.airlock.review.HeldReview;
import dev.airlock.review.ReviewStore;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.SqlStatement;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code reviews} table. A review of a call that named a data subject keeps what it holds (input, output, the
 * held and the final answer) encrypted under the subject's key, bound to the review and the field.
 */
final class ReviewTable implements ReviewStore {
    private static final Logger LOG = LoggerFactory.getLogger(ReviewTable.class);
    // With the subject key that decrypts the review's content (erased: null material).
    private static final String SELECT =
            "SELECT r.*, k.key_material FROM reviews r LEFT JOIN subject_keys k ON k.key_id = r.content_key_id";
    private static final String COLUMNS =
            "id, decision_id, tenant, key_id, model, model_version, reasons, input, output,"
                    + " answer_body, callback_url, created_at, due_at, state, claimed_by, decided_by, comment, final_body,"
                    + " decided_at, escalated_at";

    private final Database database;

    ReviewTable(Database database) {
        this.database = database;
    }

    @Override
    public void insertReview(HeldReview r, @Nullable String subject) {
        database.writes().useTransaction(handle -> {
            String ref = subject == null ? null : SubjectKeys.ref(r.tenant(), subject);
            if (ref != null) {
                ChainHead.lock(handle, database); // subject keys are made under the lock Decisions take
            }
            SubjectKeys.SubjectKey key =
                    ref == null ? null : SubjectKeys.activeKey(handle, r.tenant(), ref, r.createdAt());
            bind(
                            handle.createUpdate("INSERT INTO reviews (" + COLUMNS
                                    + ", subject_ref, content_key_id) VALUES (:id, :decision_id,"
                                    + " :tenant, :key_id, :model, :model_version, :reasons, :input, :output,"
                                    + " :answer_body, :callback_url, :created_at, :due_at, :state, :claimed_by,"
                                    + " :decided_by, :comment, :final_body, :decided_at, :escalated_at, :subject_ref,"
                                    + " :content_key_id)"),
                            r,
                            key)
                    .bind("subject_ref", ref)
                    .bind("content_key_id", key == null ? null : key.keyId())
                    .execute();
        });
    }

    @Override
    public Optional<HeldReview> findReview(String id) {
        return database.reads()
                .withHandle(handle -> handle.createQuery(SELECT + " WHERE r.id = :id")
                        .bind("id", id)
                        .map((rs, ctx) -> read(rs))
                        .findOne());
    }

    @Override
    public List<HeldReview> reviews(String tenant, HeldReview.@Nullable State state, int limit) {
        return database.reads()
                .withHandle(handle -> handle.createQuery(SELECT + " WHERE r.tenant = :tenant"
                                + (state == null ? "" : " AND r.state = :state")
                                + " ORDER BY r.created_at, r.id LIMIT :limit")
                        .bind("tenant", tenant)
                        .bind("state", state == null ? null : state.id())
                        .bind("limit", limit)
                        .map((rs, ctx) -> read(rs))
                        .list());
    }

    @Override
    public boolean updateReview(HeldReview before, HeldReview after) {
        return database.writes()
                        .inTransaction(handle -> bind(
                                        handle.createUpdate(
                                                "UPDATE reviews SET state = :state, claimed_by = :claimed_by, input = :input,"
                                                        + " output = :output, answer_body = :answer_body,"
                                                        + " decided_by = :decided_by, comment = :comment, final_body ="
                                                        + " :final_body, decided_at = :decided_at, escalated_at = :escalated_at"
                                                        + " WHERE id = :id AND state = :before_state AND"
                                                        + " COALESCE(claimed_by, '') = :before_claim"),
                                        after,
                                        keyOf(handle, after.id()))
                                .bind("before_state", before.state().id())
                                .bind("before_claim", before.claimedBy() == null ? "" : before.claimedBy())
                                .execute())
                == 1;
    }

    @Override
    public List<HeldReview> overdueReviews(Instant now) {
        return database.reads()
                .withHandle(handle -> handle.createQuery(SELECT + " WHERE r.state = 'pending' AND r.due_at <="
                                + " :now AND r.escalated_at IS NULL ORDER BY r.due_at, r.id")
                        .bind("now", EpochNanos.of(now, "now"))
                        .map((rs, ctx) -> read(rs))
                        .list());
    }

    /** The key the review's content is sealed under (material null once erased), or null when it names no subject. */
    private static SubjectKeys.@Nullable SubjectKey keyOf(Handle handle, String reviewId) {
        return handle.createQuery("SELECT r.content_key_id, k.key_material FROM reviews r"
                        + " LEFT JOIN subject_keys k ON k.key_id = r.content_key_id WHERE r.id = :id")
                .bind("id", reviewId)
                .map((rs, ctx) -> rs.getString("content_key_id") == null
                        ? null
                        : new SubjectKeys.SubjectKey(rs.getString("content_key_id"), material(rs)))
                .findOne()
                .orElse(null);
    }

    private static byte @Nullable [] material(ResultSet rs) throws SQLException {
        String material = rs.getString("key_material");
        return material == null ? null : Base64.getDecoder().decode(material);
    }

    /** A field as stored: plain, or sealed under the subject's key (null once the key is erased). */
    private static @Nullable String seal(
            SubjectKeys.@Nullable SubjectKey key, String reviewId, String field, @Nullable String value) {
        if (key == null || value == null) {
            return value;
        }
        return key.material() == null ? null : SubjectKeys.encrypt(key, reviewId + "/" + field, value);
    }

    /** A field as it reads: sealed only when the review names a subject key; null once that key is erased. */
    private static @Nullable String open(ResultSet rs, String field) throws SQLException {
        String stored = rs.getString(field);
        if (stored == null || rs.getString("content_key_id") == null) {
            return stored;
        }
        String id = rs.getString("id");
        try {
            return SubjectKeys.decrypt(material(rs), id + "/" + field, stored).orElse(null);
        } catch (IllegalStateException | IllegalArgumentException altered) {
            // one altered row must not hide a tenant's whole queue
            LOG.warn("review {}: its {} cannot be opened: {}", id, field, altered.getMessage());
            return null;
        }
    }

    private static <T extends SqlStatement<T>> T bind(T statement, HeldReview r, SubjectKeys.@Nullable SubjectKey key) {
        return statement
                .bind("id", r.id())
                .bind("decision_id", r.decisionId())
                .bind("tenant", r.tenant())
                .bind("key_id", r.keyId())
                .bind("model", r.model())
                .bind("model_version", r.modelVersion())
                .bind("reasons", JsonColumns.write(r.reasons()))
                .bind("input", seal(key, r.id(), "input", r.input()))
                .bind("output", seal(key, r.id(), "output", r.output()))
                .bind("answer_body", seal(key, r.id(), "answer_body", r.answerBody()))
                .bind("callback_url", r.callbackUrl())
                .bind("created_at", EpochNanos.of(r.createdAt(), "created_at"))
                .bind("due_at", EpochNanos.of(r.dueAt(), "due_at"))
                .bind("state", r.state().id())
                .bind("claimed_by", r.claimedBy())
                .bind("decided_by", r.decidedBy())
                .bind("comment", r.comment())
                .bind("final_body", seal(key, r.id(), "final_body", r.finalBody()))
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
                open(rs, "input"),
                open(rs, "output"),
                open(rs, "answer_body"),
                rs.getString("callback_url"),
                EpochNanos.required(rs, "created_at"),
                EpochNanos.required(rs, "due_at"),
                HeldReview.State.parse(rs.getString("state")),
                rs.getString("claimed_by"),
                rs.getString("decided_by"),
                rs.getString("comment"),
                open(rs, "final_body"),
                optionalInstant(rs, "decided_at"),
                optionalInstant(rs, "escalated_at"));
    }

    private static @Nullable Instant optionalInstant(ResultSet rs, String column) throws SQLException {
        rs.getLong(column);
        return rs.wasNull() ? null : EpochNanos.read(rs, column);
    }
}
