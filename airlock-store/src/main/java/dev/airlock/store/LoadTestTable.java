package dev.airlock.store;

import dev.airlock.evidence.LoadTestResult;
import java.time.Duration;
import java.util.List;

/** The {@code load_tests} table. */
final class LoadTestTable {
    private final Database database;

    LoadTestTable(Database database) {
        this.database = database;
    }

    void insert(LoadTestResult r) {
        database.writes()
                .useHandle(handle -> handle.createUpdate("INSERT INTO load_tests (id, model, model_version, started_at,"
                                + " duration_ms, multiplier, target_rps, sent, ok, shed, errors, p50_ms, p99_ms, max_ms,"
                                + " shed_p99_ms, upstream_ms) VALUES (:id, :model, :version, :at, :duration, :multiplier,"
                                + " :rps, :sent, :ok, :shed, :errors, :p50, :p99, :max, :shedP99, :upstream)")
                        .bind("id", r.id())
                        .bind("model", r.model())
                        .bind("version", r.modelVersion())
                        .bind("at", EpochNanos.of(r.startedAt(), "startedAt"))
                        .bind("duration", r.duration().toMillis())
                        .bind("multiplier", Double.toString(r.multiplier()))
                        .bind("rps", Double.toString(r.targetRps()))
                        .bind("sent", r.sent())
                        .bind("ok", r.ok())
                        .bind("shed", r.shed())
                        .bind("errors", r.errors())
                        .bind("p50", Double.toString(r.p50Millis()))
                        .bind("p99", Double.toString(r.p99Millis()))
                        .bind("max", Double.toString(r.maxMillis()))
                        .bind("shedP99", Double.toString(r.shedP99Millis()))
                        .bind("upstream", r.upstreamLatency().toMillis())
                        .execute());
    }

    List<LoadTestResult> forModel(String model) {
        return database.reads()
                .withHandle(handle -> handle.createQuery(
                                "SELECT * FROM load_tests WHERE model = :model ORDER BY started_at, id")
                        .bind("model", model)
                        .map((rs, ctx) -> new LoadTestResult(
                                rs.getString("id"),
                                rs.getString("model"),
                                rs.getString("model_version"),
                                EpochNanos.required(rs, "started_at"),
                                Duration.ofMillis(rs.getLong("duration_ms")),
                                Double.parseDouble(rs.getString("multiplier")),
                                Double.parseDouble(rs.getString("target_rps")),
                                rs.getLong("sent"),
                                rs.getLong("ok"),
                                rs.getLong("shed"),
                                rs.getLong("errors"),
                                Double.parseDouble(rs.getString("p50_ms")),
                                Double.parseDouble(rs.getString("p99_ms")),
                                Double.parseDouble(rs.getString("max_ms")),
                                Double.parseDouble(rs.getString("shed_p99_ms")),
                                Duration.ofMillis(rs.getLong("upstream_ms"))))
                        .list());
    }
}
