package dev.airlock.store;

import dev.airlock.incident.Incident;
import dev.airlock.incident.IncidentEntry;
import dev.airlock.incident.IncidentStore;
import dev.airlock.incident.PostIncident;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.statement.Update;
import org.jspecify.annotations.Nullable;

/**
 * The {@code incidents}, {@code incident_alerts} and {@code incident_entries} tables. An update is conditional on the
 * stored {@code updated_at}, so two people changing one incident at once cannot overwrite each other silently.
 */
final class IncidentTable implements IncidentStore {
    private static final String COLUMNS = "id, subject, model_version, state, title, owner, runbook, assignee,"
            + " opened_at, acknowledged_at, acknowledged_by, resolved_at, resolved_by, cause, action_taken,"
            + " follow_ups, updated_at";

    private final Database database;

    IncidentTable(Database database) {
        this.database = database;
    }

    @Override
    public void insertIncident(Incident incident) {
        database.writes()
                .useHandle(h -> bind(
                                h.createUpdate(
                                        "INSERT INTO incidents (" + COLUMNS + ") VALUES (:id, :subject, :version,"
                                                + " :state, :title, :owner, :runbook, :assignee, :opened, :acked, :ackedBy,"
                                                + " :resolved, :resolvedBy, :cause, :action, :followUps, :updated)"),
                                incident)
                        .execute());
    }

    @Override
    public boolean updateIncident(Incident next, Instant expectedUpdatedAt) {
        return database.writes()
                        .withHandle(h -> bind(
                                        h.createUpdate(
                                                "UPDATE incidents SET subject = :subject, model_version = :version,"
                                                        + " state = :state, title = :title, owner = :owner, runbook = :runbook,"
                                                        + " assignee = :assignee, opened_at = :opened, acknowledged_at = :acked,"
                                                        + " acknowledged_by = :ackedBy, resolved_at = :resolved, resolved_by ="
                                                        + " :resolvedBy, cause = :cause, action_taken = :action, follow_ups ="
                                                        + " :followUps, updated_at = :updated WHERE id = :id AND updated_at ="
                                                        + " :expected"),
                                        next)
                                .bind("expected", EpochNanos.nanos(expectedUpdatedAt, "expectedUpdatedAt"))
                                .execute())
                == 1;
    }

    private static Update bind(Update u, Incident i) {
        PostIncident record = i.record();
        return u.bind("id", i.id())
                .bind("subject", i.subject())
                .bind("version", i.version())
                .bind("state", i.state().id())
                .bind("title", i.title())
                .bind("owner", i.owner())
                .bind("runbook", i.runbook())
                .bind("assignee", i.assignee())
                .bind("opened", EpochNanos.nanos(i.openedAt(), "openedAt"))
                .bind("acked", EpochNanos.of(i.acknowledgedAt(), "acknowledgedAt"))
                .bind("ackedBy", i.acknowledgedBy())
                .bind("resolved", EpochNanos.of(i.resolvedAt(), "resolvedAt"))
                .bind("resolvedBy", i.resolvedBy())
                .bind("cause", record == null ? null : record.cause())
                .bind("action", record == null ? null : record.action())
                .bind("followUps", record == null ? null : JsonColumns.write(record.followUps()))
                .bind("updated", EpochNanos.nanos(i.updatedAt(), "updatedAt"));
    }

    @Override
    public Optional<Incident> findIncident(String id) {
        return database.reads()
                .withHandle(h -> h.createQuery("SELECT * FROM incidents WHERE id = :id")
                        .bind("id", id)
                        .map((rs, ctx) -> incident(rs))
                        .findOne());
    }

    @Override
    public Optional<Incident> unresolvedIncident(String subject) {
        return database.reads()
                .withHandle(h -> h.createQuery("SELECT * FROM incidents WHERE subject = :subject AND state <>"
                                + " 'resolved' ORDER BY opened_at DESC, id DESC LIMIT 1")
                        .bind("subject", subject)
                        .map((rs, ctx) -> incident(rs))
                        .findOne());
    }

    @Override
    public List<Incident> incidents(Incident.@Nullable State state, int limit) {
        return database.reads()
                .withHandle(h -> h.createQuery("SELECT * FROM incidents WHERE (:state IS NULL OR state = :state)"
                                + " ORDER BY opened_at DESC, id DESC LIMIT :limit")
                        .bind("state", state == null ? null : state.id())
                        .bind("limit", limit)
                        .map((rs, ctx) -> incident(rs))
                        .list());
    }

    @Override
    public long countUnresolved() {
        return database.reads()
                .withHandle(h -> h.createQuery("SELECT COUNT(*) FROM incidents WHERE state <> 'resolved'")
                        .mapTo(Long.class)
                        .one());
    }

    @Override
    public boolean linkAlert(String incidentId, String alertId, Instant at) {
        // ON CONFLICT DO NOTHING: both databases; the SELECT has a WHERE clause, which SQLite needs to parse it
        return database.writes()
                        .withHandle(h -> h.createUpdate("INSERT INTO incident_alerts (alert_id, incident_id, linked_at,"
                                        + " seq) SELECT :alert, :incident, :at, COALESCE(MAX(seq), 0) + 1 FROM"
                                        + " incident_alerts WHERE incident_id = :incident ON CONFLICT (alert_id) DO"
                                        + " NOTHING")
                                .bind("alert", alertId)
                                .bind("incident", incidentId)
                                .bind("at", EpochNanos.nanos(at, "at"))
                                .execute())
                == 1;
    }

    @Override
    public Optional<String> incidentOfAlert(String alertId) {
        return database.reads()
                .withHandle(h -> h.createQuery("SELECT incident_id FROM incident_alerts WHERE alert_id = :alert")
                        .bind("alert", alertId)
                        .mapTo(String.class)
                        .findOne());
    }

    @Override
    public List<String> alertsOf(String incidentId) {
        return database.reads()
                .withHandle(h -> h.createQuery(
                                "SELECT alert_id FROM incident_alerts WHERE incident_id = :incident" + " ORDER BY seq")
                        .bind("incident", incidentId)
                        .mapTo(String.class)
                        .list());
    }

    @Override
    public void recordEntry(IncidentEntry e) {
        database.writes()
                .useHandle(h -> h.createUpdate("INSERT INTO incident_entries (incident_id, at, seq, kind, actor, text,"
                                + " ref) SELECT :incident, :at, COALESCE(MAX(seq), 0) + 1, :kind, :actor, :text, :ref"
                                + " FROM incident_entries WHERE incident_id = :incident")
                        .bind("incident", e.incidentId())
                        .bind("at", EpochNanos.nanos(e.at(), "at"))
                        .bind("kind", e.kind())
                        .bind("actor", e.actor())
                        .bind("text", e.text())
                        .bind("ref", e.ref())
                        .execute());
    }

    @Override
    public List<IncidentEntry> entries(String incidentId) {
        return database.reads()
                .withHandle(h -> h.createQuery(
                                "SELECT * FROM incident_entries WHERE incident_id = :incident" + " ORDER BY at, seq")
                        .bind("incident", incidentId)
                        .map((rs, ctx) -> new IncidentEntry(
                                rs.getString("incident_id"),
                                EpochNanos.required(rs, "at"),
                                rs.getString("kind"),
                                rs.getString("actor"),
                                rs.getString("text"),
                                rs.getString("ref")))
                        .list());
    }

    private static Incident incident(ResultSet rs) throws SQLException {
        String cause = rs.getString("cause");
        String action = rs.getString("action_taken");
        String followUps = rs.getString("follow_ups");
        PostIncident record = cause == null || action == null
                ? null
                : new PostIncident(cause, action, followUps == null ? List.of() : JsonColumns.strings(followUps));
        return new Incident(
                rs.getString("id"),
                rs.getString("subject"),
                rs.getString("model_version"),
                Incident.State.parse(rs.getString("state")),
                rs.getString("title"),
                rs.getString("owner"),
                rs.getString("runbook"),
                rs.getString("assignee"),
                EpochNanos.required(rs, "opened_at"),
                EpochNanos.read(rs, "acknowledged_at"),
                rs.getString("acknowledged_by"),
                EpochNanos.read(rs, "resolved_at"),
                rs.getString("resolved_by"),
                record,
                EpochNanos.required(rs, "updated_at"));
    }
}
