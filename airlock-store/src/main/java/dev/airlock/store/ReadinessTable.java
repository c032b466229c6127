package dev.airlock.store;

import dev.airlock.evidence.Evaluation;
import dev.airlock.evidence.LoadTestResult;
import dev.airlock.readiness.Drill;
import dev.airlock.readiness.EvidenceStore;
import dev.airlock.readiness.Waiver;
import java.util.List;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/** The {@code drills} and {@code readiness_waivers} tables. */
final class ReadinessTable implements EvidenceStore {
    /** Load tests have a table of their own. */
    private final LoadTestTable loadTests;

    private final Database database;

    ReadinessTable(Database database) {
        this.database = database;
        this.loadTests = new LoadTestTable(database);
    }

    @Override
    public void recordLoadTest(LoadTestResult result) {
        loadTests.insert(result);
    }

    @Override
    public List<LoadTestResult> loadTests(String model) {
        return loadTests.forModel(model);
    }

    @Override
    public void recordDrill(Drill d) {
        database.writes()
                .useHandle(handle -> handle.createUpdate("INSERT INTO drills (id, kind, model, at, passed, details)"
                                + " VALUES (:id, :kind, :model, :at, :passed, :details)")
                        .bind("id", d.id())
                        .bind("kind", d.kind())
                        .bind("model", d.model())
                        .bind("at", EpochNanos.of(d.at(), "at"))
                        .bind("passed", d.passed() ? 1 : 0)
                        .bind("details", JsonColumns.write(new TreeMap<>(d.details())))
                        .execute());
    }

    @Override
    public List<Drill> drills(String model) {
        return database.reads()
                .withHandle(handle -> handle.createQuery("SELECT * FROM drills WHERE model = :model ORDER BY at, id")
                        .bind("model", model)
                        .map((rs, ctx) -> new Drill(
                                rs.getString("id"),
                                rs.getString("kind"),
                                rs.getString("model"),
                                EpochNanos.required(rs, "at"),
                                rs.getInt("passed") != 0,
                                JsonColumns.fields(rs.getString("details"))))
                        .list());
    }

    @Override
    public void recordEvaluation(Evaluation e) {
        database.writes()
                .useHandle(
                        handle -> handle.createUpdate("INSERT INTO evaluations (id, model, model_version, at, sample,"
                                        + " rows_total, rows_scored, accuracy, auc, poc_accuracy, production_discount,"
                                        + " adjusted_accuracy, kpi_baseline, monthly_value_usd) VALUES (:id, :model, :version,"
                                        + " :at, :sample, :rows, :scored, :accuracy, :auc, :poc, :discount, :adjusted, :baseline,"
                                        + " :value)")
                                .bind("id", e.id())
                                .bind("model", e.model())
                                .bind("version", e.modelVersion())
                                .bind("at", EpochNanos.of(e.at(), "at"))
                                .bind("sample", e.sample())
                                .bind("rows", e.rows())
                                .bind("scored", e.scored())
                                .bind("accuracy", Double.toString(e.accuracy()))
                                .bind("auc", Double.toString(e.auc()))
                                .bind("poc", text(e.pocAccuracy()))
                                .bind("discount", text(e.productionDiscount()))
                                .bind("adjusted", text(e.adjustedAccuracy()))
                                .bind("baseline", text(e.kpiBaseline()))
                                .bind("value", text(e.monthlyValueUsd()))
                                .execute());
    }

    @Override
    public List<Evaluation> evaluations(String model) {
        return database.reads()
                .withHandle(handle -> handle.createQuery(
                                "SELECT * FROM evaluations WHERE model = :model ORDER BY at, id")
                        .bind("model", model)
                        .map((rs, ctx) -> new Evaluation(
                                rs.getString("id"),
                                rs.getString("model"),
                                rs.getString("model_version"),
                                EpochNanos.required(rs, "at"),
                                rs.getString("sample"),
                                rs.getLong("rows_total"),
                                rs.getLong("rows_scored"),
                                Double.parseDouble(rs.getString("accuracy")),
                                Double.parseDouble(rs.getString("auc")),
                                number(rs.getString("poc_accuracy")),
                                number(rs.getString("production_discount")),
                                number(rs.getString("adjusted_accuracy")),
                                number(rs.getString("kpi_baseline")),
                                number(rs.getString("monthly_value_usd"))))
                        .list());
    }

    private static @Nullable String text(@Nullable Double d) {
        return d == null ? null : Double.toString(d);
    }

    private static @Nullable Double number(@Nullable String s) {
        return s == null ? null : Double.valueOf(s);
    }

    @Override
    public void recordWaiver(Waiver w) {
        database.writes()
                .useHandle(handle -> handle.createUpdate("INSERT INTO readiness_waivers (model, check_id,"
                                + " justification, actor, at) VALUES (:model, :check, :why, :actor, :at)")
                        .bind("model", w.model())
                        .bind("check", w.check())
                        .bind("why", w.justification())
                        .bind("actor", w.actor())
                        .bind("at", EpochNanos.of(w.at(), "at"))
                        .execute());
    }

    @Override
    public List<Waiver> waivers(String model) {
        return database.reads()
                .withHandle(handle -> handle.createQuery(
                                "SELECT * FROM readiness_waivers WHERE model = :model ORDER BY at")
                        .bind("model", model)
                        .map((rs, ctx) -> new Waiver(
                                rs.getString("model"),
                                rs.getString("check_id"),
                                rs.getString("justification"),
                                rs.getString("actor"),
                                EpochNanos.required(rs, "at")))
                        .list());
    }
}
