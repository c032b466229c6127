package dev.airlock.store;

import dev.airlock.response.ResponseStore;
import dev.airlock.response.StoredResponse;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The {@code responses} table. A response of a call that named a data subject keeps its body and conversation
 * encrypted under the subject's key, bound to the response and the field; erasing the subject deletes the row (and
 * destroys the key, so a copy in a backup cannot be read either). The retention purge deletes expired rows.
 */
final class ResponseTable implements ResponseStore {
    private final Database database;

    ResponseTable(Database database) {
        this.database = database;
    }

    @Override
    public void saveResponse(StoredResponse r) {
        database.writes().useTransaction(handle -> {
            boolean taken = handle.createQuery("SELECT COUNT(*) FROM responses WHERE id = :id")
                            .bind("id", r.id())
                            .mapTo(Long.class)
                            .one()
                    > 0;
            if (taken) {
                throw new IllegalStateException("response '" + r.id() + "' is already stored");
            }
            String subject = r.subject();
            String ref = subject == null ? null : SubjectKeys.ref(r.tenant(), subject);
            SubjectKeys.SubjectKey key = null;
            if (ref != null) {
                ChainHead.lock(handle, database); // subject keys are made under the lock Decisions take
                key = SubjectKeys.activeKey(handle, r.tenant(), ref, r.createdAt());
            }
            handle.createUpdate("INSERT INTO responses (id, tenant, decision_id, model, created_at, expires_at,"
                            + " subject_ref, content_key_id, body, conversation) VALUES (:id, :tenant, :decision_id,"
                            + " :model, :created_at, :expires_at, :subject_ref, :content_key_id, :body,"
                            + " :conversation)")
                    .bind("id", r.id())
                    .bind("tenant", r.tenant())
                    .bind("decision_id", r.decisionId())
                    .bind("model", r.model())
                    .bind("created_at", EpochNanos.of(r.createdAt(), "createdAt"))
                    .bind("expires_at", EpochNanos.of(r.expiresAt(), "expiresAt"))
                    .bind("subject_ref", ref)
                    .bind("content_key_id", key == null ? null : key.keyId())
                    .bind("body", seal(key, r.id(), "body", r.body()))
                    .bind("conversation", seal(key, r.id(), "conversation", r.conversation()))
                    .execute();
        });
    }

    @Override
    public Optional<StoredResponse> findResponse(String tenant, String id, Instant now) {
        return database.reads()
                .withHandle(handle -> handle.createQuery("SELECT r.*, k.key_material FROM responses r"
                                + " LEFT JOIN subject_keys k ON k.key_id = r.content_key_id"
                                + " WHERE r.id = :id AND r.tenant = :tenant"
                                + " AND (r.expires_at IS NULL OR r.expires_at > :now)")
                        .bind("id", id)
                        .bind("tenant", tenant)
                        .bind("now", EpochNanos.of(now, "now"))
                        .map((rs, ctx) -> read(rs))
                        .findOne())
                .flatMap(r -> r);
    }

    @Override
    public boolean deleteResponse(String tenant, String id) {
        return database.writes()
                        .withHandle(handle -> handle.createUpdate(
                                        "DELETE FROM responses WHERE id = :id AND tenant = :tenant")
                                .bind("id", id)
                                .bind("tenant", tenant)
                                .execute())
                > 0;
    }

    /** The response, or empty when it is sealed under a key that was erased. */
    private static Optional<StoredResponse> read(ResultSet rs) throws SQLException {
        String body = open(rs, "body");
        String conversation = open(rs, "conversation");
        if (body == null || conversation == null) {
            return Optional.empty();
        }
        return Optional.of(new StoredResponse(
                rs.getString("id"),
                rs.getString("tenant"),
                rs.getString("decision_id"),
                rs.getString("model"),
                EpochNanos.required(rs, "created_at"),
                EpochNanos.read(rs, "expires_at"),
                null,
                body,
                conversation));
    }

    private static String seal(SubjectKeys.@Nullable SubjectKey key, String id, String field, String value) {
        return key == null ? value : SubjectKeys.encrypt(key, id + "/" + field, value);
    }

    private static @Nullable String open(ResultSet rs, String field) throws SQLException {
        String stored = rs.getString(field);
        if (rs.getString("content_key_id") == null) {
            return stored;
        }
        String material = rs.getString("key_material");
        return SubjectKeys.decrypt(
                        material == null ? null : Base64.getDecoder().decode(material),
                        rs.getString("id") + "/" + field,
                        stored)
                .orElse(null);
    }
}
