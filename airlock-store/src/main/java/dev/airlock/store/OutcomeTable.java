package dev.airlock.store;

import dev.airlock.monitor.outcome.Feedback;
import dev.airlock.monitor.outcome.KeptPrediction;
import dev.airlock.monitor.outcome.OutcomeStore;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The {@code predictions} and {@code decision_feedback} tables. Keeping a prediction is one insert; setting a label
 * reads the one it replaces and updates only if it is still that one, so two labels at once each learn truly what they
 * replaced.
 */
final class OutcomeTable implements OutcomeStore {
    private final Database database;

    OutcomeTable(Database database) {
        this.database = database;
    }

    @Override
    public void keep(KeptPrediction p) {
        int inserted = database.writes()
                .withHandle(handle -> handle.createUpdate("INSERT INTO predictions (decision_id, tenant, model,"
                                + " model_version, at, predicted, classes, positive_class, positive_probability,"
                                + " attributes) VALUES (:id, :tenant, :model, :version, :at, :predicted, :classes,"
                                + " :positive, :probability, :attributes) ON CONFLICT (decision_id) DO NOTHING")
                        .bind("id", p.decisionId())
                        .bind("tenant", p.tenant())
                        .bind("model", p.model())
                        .bind("version", p.modelVersion())
                        .bind("at", EpochNanos.nanos(p.at(), "at"))
                        .bind("predicted", p.predicted())
                        .bind("classes", JsonColumns.write(p.classes()))
                        .bind("positive", p.positiveClass())
                        .bind("probability", Double.toString(p.positiveProbability()))
                        .bind("attributes", JsonColumns.write(new TreeMap<>(p.attributes())))
                        .execute());
        if (inserted == 0) {
            throw new IllegalStateException("a prediction is already kept for decision " + p.decisionId());
        }
    }

    @Override
    public Optional<KeptPrediction> findPrediction(String decisionId) {
        return database.reads()
                .withHandle(handle -> handle.createQuery("SELECT * FROM predictions WHERE decision_id = :id")
                        .bind("id", decisionId)
                        .map((rs, ctx) -> prediction(rs))
                        .findOne());
    }

    @Override
    public @Nullable String setLabel(String decisionId, String label, Instant at) {
        while (true) {
            KeptPrediction kept = findPrediction(decisionId)
                    .orElseThrow(() -> new NoSuchElementException("no prediction is kept for decision " + decisionId));
            int updated = database.writes()
                    .withHandle(handle -> handle.createUpdate("UPDATE predictions SET label = :label, labelled_at = :at"
                                    + " WHERE decision_id = :id AND label IS NOT DISTINCT FROM :previous")
                            .bind("label", label)
                            .bind("at", EpochNanos.nanos(at, "labelledAt"))
                            .bind("id", decisionId)
                            .bind("previous", kept.label())
                            .execute());
            if (updated == 1) {
                return kept.label();
            }
            // another label landed between the read and the update: read what it set, and try again
        }
    }

    @Override
    public void forEachPrediction(
            String model, @Nullable String version, Instant from, Instant to, Consumer<KeptPrediction> visitor) {
        database.reads().useHandle(handle -> {
            var query = handle.createQuery("SELECT * FROM predictions WHERE model = :model AND at >= :from AND at < :to"
                            + (version == null ? "" : " AND model_version = :version")
                            + " ORDER BY at, decision_id")
                    .bind("model", model)
                    .bind("from", EpochNanos.nanos(from, "from"))
                    .bind("to", EpochNanos.nanos(to, "to"));
            if (version != null) {
                query.bind("version", version);
            }
            try (var rows = query.map((rs, ctx) -> prediction(rs)).stream()) {
                rows.forEach(visitor);
            }
        });
    }

    private static KeptPrediction prediction(ResultSet rs) throws SQLException {
        return new KeptPrediction(
                rs.getString("decision_id"),
                rs.getString("tenant"),
                rs.getString("model"),
                rs.getString("model_version"),
                EpochNanos.required(rs, "at"),
                rs.getString("predicted"),
                JsonColumns.strings(rs.getString("classes")),
                rs.getString("positive_class"),
                Double.parseDouble(rs.getString("positive_probability")),
                JsonColumns.fields(rs.getString("attributes")),
                rs.getString("label"),
                EpochNanos.read(rs, "labelled_at"));
    }

    @Override
    public void recordFeedback(Feedback f) {
        database.writes()
                .useHandle(handle -> handle.createUpdate("INSERT INTO decision_feedback (id, decision_id, tenant, at,"
                                + " actor, score, rating, flag, comment) VALUES (:id, :decision, :tenant, :at, :actor,"
                                + " :score, :rating, :flag, :comment)")
                        .bind("id", f.id())
                        .bind("decision", f.decisionId())
                        .bind("tenant", f.tenant())
                        .bind("at", EpochNanos.nanos(f.at(), "at"))
                        .bind("actor", f.actor())
                        .bind("score", f.score())
                        .bind("rating", f.rating())
                        .bind("flag", f.flag())
                        .bind("comment", f.comment())
                        .execute());
    }

    @Override
    public List<Feedback> feedback(String decisionId) {
        return database.reads()
                .withHandle(handle -> handle.createQuery(
                                "SELECT * FROM decision_feedback WHERE decision_id = :id ORDER BY at, id")
                        .bind("id", decisionId)
                        .map((rs, ctx) -> new Feedback(
                                rs.getString("id"),
                                rs.getString("decision_id"),
                                rs.getString("tenant"),
                                EpochNanos.required(rs, "at"),
                                rs.getString("actor"),
                                integer(rs, "score"),
                                integer(rs, "rating"),
                                rs.getString("flag"),
                                rs.getString("comment")))
                        .list());
    }

    private static @Nullable Integer integer(ResultSet rs, String column) throws SQLException {
        int value = rs.getInt(column);
        return rs.wasNull() ? null : value;
    }
}
