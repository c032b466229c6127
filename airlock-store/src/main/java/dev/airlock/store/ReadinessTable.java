package dev.airlock.store;

import dev.airlock.readiness.Drill;
import dev.airlock.readiness.Waiver;
import java.util.List;

/** The {@code drills} and {@code readiness_waivers} tables. */
final class ReadinessTable {
    private final Database database;

    ReadinessTable(Database database) {
        this.database = database;
    }

    void insert(Drill d) {
        database.writes()
                .useHandle(handle -> handle.createUpdate("INSERT INTO drills (id, kind, model, at, passed, details)"
                                + " VALUES (:id, :kind, :model, :at, :passed, :details)")
                        .bind("id", d.id())
                        .bind("kind", d.kind())
                        .bind("model", d.model())
                        .bind("at", EpochNanos.of(d.at(), "at"))
                        .bind("passed", d.passed() ? 1 : 0)
                        .bind("details", JsonColumns.write(new java.util.TreeMap<>(d.details())))
                        .execute());
    }

    List<Drill> drills(String model) {
        return database.reads()
                .withHandle(handle -> handle.createQuery("SELECT * FROM drills WHERE model = :model ORDER BY at, id")
                        .bind("model", model)
                        .map((rs, ctx) -> new Drill(
                                rs.getString("id"),
                                rs.getString("kind"),
                                rs.getString("model"),
                                EpochNanos.read(rs, "at"),
                                rs.getInt("passed") != 0,
                                JsonColumns.fields(rs.getString("details"))))
                        .list());
    }

    void insert(Waiver w) {
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

    List<Waiver> waivers(String model) {
        return database.reads()
                .withHandle(handle -> handle.createQuery(
                                "SELECT * FROM readiness_waivers WHERE model = :model ORDER BY at")
                        .bind("model", model)
                        .map((rs, ctx) -> new Waiver(
                                rs.getString("model"),
                                rs.getString("check_id"),
                                rs.getString("justification"),
                                rs.getString("actor"),
                                EpochNanos.read(rs, "at")))
                        .list());
    }
}
