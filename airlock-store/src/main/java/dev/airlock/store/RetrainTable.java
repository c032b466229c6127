package dev.airlock.store;

import dev.airlock.monitor.retrain.Candidate;
import dev.airlock.monitor.retrain.RetrainRun;
import dev.airlock.monitor.retrain.RetrainStore;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.TreeMap;
import org.jdbi.v3.core.statement.Update;
import org.jspecify.annotations.Nullable;

/**
 * The {@code retrain_runs} table. Beginning a run is one insert guarded by the cool-down ({@code WHERE NOT EXISTS} a
 * run of the model started since) and by the unique index on a model's running run (V28: {@code ON CONFLICT DO
 * NOTHING}), so the check and the claim are one statement on both databases, and two running runs of one model cannot
 * both be recorded even by two nodes at the same instant.
 */
final class RetrainTable implements RetrainStore {
    private static final String COLUMNS = "id, model, model_version, reason, alert_id, value, threshold, window_from,"
            + " window_to, trigger_kind, actor, status, started_at, ended_at, exit_status, output_tail, extract_rows,"
            + " candidate_version, candidate_artifact, candidate_sha256, candidate_metrics, candidate_registration,"
            + " error";
    private static final String VALUES = ":id, :model, :version, :reason, :alert, :value, :threshold, :from, :to,"
            + " :trigger, :actor, :status, :started, :ended, :exit, :output, :rows, :cversion, :cartifact, :csha,"
            + " :cmetrics, :cregistration, :error";

    private final Database database;

    RetrainTable(Database database) {
        this.database = database;
    }

    @Override
    public boolean begin(RetrainRun run, @Nullable Instant notBefore) {
        String sql = notBefore == null
                ? "INSERT INTO retrain_runs (" + COLUMNS + ") VALUES (" + VALUES + ") ON CONFLICT DO NOTHING"
                : "INSERT INTO retrain_runs (" + COLUMNS + ") SELECT " + VALUES + " WHERE NOT EXISTS (SELECT 1 FROM"
                        + " retrain_runs WHERE model = :model AND started_at >= :notBefore) ON CONFLICT DO NOTHING";
        int inserted = database.writes().withHandle(handle -> {
            Update update = bind(handle.createUpdate(sql), run);
            if (notBefore != null) {
                update.bind("notBefore", EpochNanos.nanos(notBefore, "notBefore"));
            }
            return update.execute();
        });
        return inserted == 1;
    }

    @Override
    public void finish(RetrainRun run) {
        int updated = database.writes()
                .withHandle(handle -> bind(
                                handle.createUpdate("UPDATE retrain_runs SET status = :status, ended_at = :ended,"
                                        + " exit_status = :exit, output_tail = :output, extract_rows = :rows,"
                                        + " candidate_version = :cversion, candidate_artifact = :cartifact,"
                                        + " candidate_sha256 = :csha, candidate_metrics = :cmetrics,"
                                        + " candidate_registration = :cregistration, error = :error WHERE id = :id"),
                                run)
                        .execute());
        if (updated == 0) {
            throw new NoSuchElementException("no retraining run " + run.id());
        }
    }

    private static Update bind(Update u, RetrainRun r) {
        Candidate c = r.candidate();
        return u.bind("id", r.id())
                .bind("model", r.model())
                .bind("version", r.version())
                .bind("reason", r.reason())
                .bind("alert", r.alertId())
                .bind("value", r.value() == null ? null : r.value().toString())
                .bind("threshold", r.threshold() == null ? null : r.threshold().toString())
                .bind("from", EpochNanos.nanos(r.windowFrom(), "windowFrom"))
                .bind("to", EpochNanos.nanos(r.windowTo(), "windowTo"))
                .bind("trigger", r.trigger())
                .bind("actor", r.actor())
                .bind("status", r.status().id())
                .bind("started", EpochNanos.nanos(r.startedAt(), "startedAt"))
                .bind("ended", EpochNanos.of(r.endedAt(), "endedAt"))
                .bind("exit", r.exitStatus())
                .bind("output", r.outputTail())
                .bind("rows", r.extractRows())
                .bind("cversion", c == null ? null : c.version())
                .bind("cartifact", c == null ? null : c.artifact())
                .bind("csha", c == null ? null : c.sha256())
                .bind("cmetrics", c == null ? null : metrics(c.metrics()))
                .bind("cregistration", c == null ? null : c.registration())
                .bind("error", r.error());
    }

    /** Metrics as a JSON object of decimal strings, so that a double reads back exactly. */
    private static String metrics(Map<String, Double> metrics) {
        Map<String, String> text = new TreeMap<>();
        metrics.forEach((k, v) -> text.put(k, v.toString()));
        return JsonColumns.write(text);
    }

    @Override
    public Optional<RetrainRun> findRun(String id) {
        return database.reads()
                .withHandle(handle -> handle.createQuery("SELECT * FROM retrain_runs WHERE id = :id")
                        .bind("id", id)
                        .map((rs, ctx) -> run(rs))
                        .findOne());
    }

    @Override
    public List<RetrainRun> runs(String model, int limit) {
        return database.reads()
                .withHandle(handle -> handle.createQuery("SELECT * FROM retrain_runs WHERE model = :model"
                                + " ORDER BY started_at DESC, id DESC LIMIT :limit")
                        .bind("model", model)
                        .bind("limit", limit)
                        .map((rs, ctx) -> run(rs))
                        .list());
    }

    private static RetrainRun run(ResultSet rs) throws SQLException {
        return new RetrainRun(
                rs.getString("id"),
                rs.getString("model"),
                rs.getString("model_version"),
                rs.getString("reason"),
                rs.getString("alert_id"),
                decimal(rs.getString("value")),
                decimal(rs.getString("threshold")),
                EpochNanos.required(rs, "window_from"),
                EpochNanos.required(rs, "window_to"),
                rs.getString("trigger_kind"),
                rs.getString("actor"),
                RetrainRun.Status.parse(rs.getString("status")),
                EpochNanos.required(rs, "started_at"),
                EpochNanos.read(rs, "ended_at"),
                integer(rs, "exit_status"),
                rs.getString("output_tail"),
                rs.getInt("extract_rows"),
                candidate(rs),
                rs.getString("error"));
    }

    private static @Nullable Candidate candidate(ResultSet rs) throws SQLException {
        String version = rs.getString("candidate_version");
        if (version == null) {
            return null;
        }
        Map<String, Double> metrics = new TreeMap<>();
        String json = rs.getString("candidate_metrics");
        if (json != null) {
            JsonColumns.fields(json).forEach((k, v) -> metrics.put(k, Double.valueOf(v)));
        }
        return new Candidate(
                version,
                rs.getString("candidate_artifact"),
                rs.getString("candidate_sha256"),
                metrics,
                rs.getString("candidate_registration"));
    }

    private static @Nullable Double decimal(@Nullable String text) {
        return text == null ? null : Double.valueOf(text);
    }

    private static @Nullable Integer integer(ResultSet rs, String column) throws SQLException {
        int value = rs.getInt(column);
        return rs.wasNull() ? null : value;
    }
}
