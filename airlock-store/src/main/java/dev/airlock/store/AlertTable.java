package dev.airlock.store;

import dev.airlock.alert.Alert;
import dev.airlock.alert.AlertChange;
import dev.airlock.alert.AlertStore;
import dev.airlock.alert.Notification;
import dev.airlock.alert.Silence;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.jdbi.v3.core.statement.Update;
import org.jspecify.annotations.Nullable;

/**
 * The {@code alerts}, {@code alert_changes}, {@code alert_notifications}, {@code alert_silences} and {@code
 * alert_lease} tables. Saving is delete-then-insert in one transaction, the same on both databases.
 */
final class AlertTable implements AlertStore {
    private static final String LEASE = "alerts";

    private final Database database;

    AlertTable(Database database) {
        this.database = database;
    }

    @Override
    public void saveAlert(Alert alert) {
        database.writes().useTransaction(h -> {
            // an acknowledgement made meanwhile (another node, a command) is kept: only acknowledging sets it
            Alert a = alert.acknowledgedAt() != null
                    ? alert
                    : h.createQuery("SELECT * FROM alerts WHERE id = :id")
                            .bind("id", alert.id())
                            .map((rs, ctx) -> alert(rs))
                            .findOne()
                            .filter(stored -> stored.acknowledgedAt() != null)
                            .map(alert::withAcknowledgement)
                            .orElse(alert);
            h.createUpdate("DELETE FROM alerts WHERE id = :id")
                    .bind("id", a.id())
                    .execute();
            Update u = h.createUpdate("INSERT INTO alerts (id, rule, model, model_version, state, value, threshold,"
                    + " summary, active_since, fired_at, resolved_at, notified_at, escalated_at, acknowledged_at,"
                    + " acknowledged_by, updated_at) VALUES (:id, :rule, :model, :version, :state, :value, :threshold,"
                    + " :summary, :since, :fired, :resolved, :notified, :escalated, :acked, :ackedBy, :updated)");
            u.bind("id", a.id())
                    .bind("rule", a.rule())
                    .bind("model", a.model())
                    .bind("version", a.version())
                    .bind("state", a.state().id())
                    .bind("value", Double.toString(a.value()))
                    .bind("threshold", Double.toString(a.threshold()))
                    .bind("summary", a.summary())
                    .bind("since", EpochNanos.nanos(a.activeSince(), "activeSince"))
                    .bind("fired", EpochNanos.of(a.firedAt(), "firedAt"))
                    .bind("resolved", EpochNanos.of(a.resolvedAt(), "resolvedAt"))
                    .bind("notified", EpochNanos.of(a.notifiedAt(), "notifiedAt"))
                    .bind("escalated", EpochNanos.of(a.escalatedAt(), "escalatedAt"))
                    .bind("acked", EpochNanos.of(a.acknowledgedAt(), "acknowledgedAt"))
                    .bind("ackedBy", a.acknowledgedBy())
                    .bind("updated", EpochNanos.nanos(a.updatedAt(), "updatedAt"))
                    .execute();
        });
    }

    @Override
    public Optional<Alert> findAlert(String id) {
        return database.reads()
                .withHandle(h -> h.createQuery("SELECT * FROM alerts WHERE id = :id")
                        .bind("id", id)
                        .map((rs, ctx) -> alert(rs))
                        .findOne());
    }

    @Override
    public List<Alert> openAlerts() {
        return database.reads()
                .withHandle(h -> h.createQuery(
                                "SELECT * FROM alerts WHERE state IN ('pending', 'firing') ORDER BY active_since, id")
                        .map((rs, ctx) -> alert(rs))
                        .list());
    }

    @Override
    public List<Alert> alerts(Alert.@Nullable State state, int limit) {
        return database.reads()
                .withHandle(h -> h.createQuery("SELECT * FROM alerts WHERE (:state IS NULL OR state = :state)"
                                + " ORDER BY updated_at DESC, id DESC LIMIT :limit")
                        .bind("state", state == null ? null : state.id())
                        .bind("limit", limit)
                        .map((rs, ctx) -> alert(rs))
                        .list());
    }

    @Override
    public void recordChange(AlertChange c) {
        database.writes()
                .useHandle(h -> h.createUpdate("INSERT INTO alert_changes (alert_id, from_state, to_state, value,"
                                + " actor, at) VALUES (:alert, :from, :to, :value, :actor, :at)")
                        .bind("alert", c.alertId())
                        .bind("from", c.from())
                        .bind("to", c.to())
                        .bind("value", Double.toString(c.value()))
                        .bind("actor", c.actor())
                        .bind("at", EpochNanos.nanos(c.at(), "at"))
                        .execute());
    }

    @Override
    public List<AlertChange> changes(String alertId) {
        return database.reads()
                .withHandle(h -> h.createQuery("SELECT * FROM alert_changes WHERE alert_id = :alert ORDER BY at")
                        .bind("alert", alertId)
                        .map((rs, ctx) -> new AlertChange(
                                rs.getString("alert_id"),
                                rs.getString("from_state"),
                                rs.getString("to_state"),
                                Double.parseDouble(rs.getString("value")),
                                rs.getString("actor"),
                                EpochNanos.required(rs, "at")))
                        .list());
    }

    @Override
    public void saveNotification(Notification n) {
        database.writes().useTransaction(h -> {
            h.createUpdate("DELETE FROM alert_notifications WHERE id = :id")
                    .bind("id", n.id())
                    .execute();
            h.createUpdate("INSERT INTO alert_notifications (id, alert_id, channel, stage, recipients, status,"
                            + " attempts, next_attempt_at, last_error, created_at, sent_at) VALUES (:id, :alert,"
                            + " :channel, :stage, :recipients, :status, :attempts, :next, :error, :created, :sent)")
                    .bind("id", n.id())
                    .bind("alert", n.alertId())
                    .bind("channel", n.channel())
                    .bind("stage", n.stage().id())
                    .bind("recipients", String.join(",", n.recipients()))
                    .bind("status", n.status().id())
                    .bind("attempts", n.attempts())
                    .bind("next", EpochNanos.nanos(n.nextAttemptAt(), "nextAttemptAt"))
                    .bind("error", n.lastError())
                    .bind("created", EpochNanos.nanos(n.createdAt(), "createdAt"))
                    .bind("sent", EpochNanos.of(n.sentAt(), "sentAt"))
                    .execute();
        });
    }

    @Override
    public List<Notification> dueNotifications(Instant now, int limit) {
        return notifications(
                "status = 'pending' AND next_attempt_at <= :now ORDER BY created_at, id LIMIT :limit",
                EpochNanos.nanos(now, "now"),
                limit,
                null);
    }

    @Override
    public List<Notification> notifications(String alertId) {
        return notifications("alert_id = :alert ORDER BY created_at, id", null, null, alertId);
    }

    @Override
    public List<Notification> deadLetters(int limit) {
        return notifications("status = 'dead' ORDER BY created_at DESC, id DESC LIMIT :limit", null, limit, null);
    }

    private List<Notification> notifications(
            String where, @Nullable Long now, @Nullable Integer limit, @Nullable String alert) {
        return database.reads().withHandle(h -> {
            var q = h.createQuery("SELECT * FROM alert_notifications WHERE " + where);
            if (now != null) {
                q.bind("now", now);
            }
            if (limit != null) {
                q.bind("limit", limit);
            }
            if (alert != null) {
                q.bind("alert", alert);
            }
            return q.map((rs, ctx) -> notification(rs)).list();
        });
    }

    @Override
    public void saveSilence(Silence s) {
        database.writes()
                .useHandle(h -> h.createUpdate("INSERT INTO alert_silences (id, model, rule, starts_at, ends_at,"
                                + " reason, created_by, created_at) VALUES (:id, :model, :rule, :starts, :ends, :reason,"
                                + " :by, :at)")
                        .bind("id", s.id())
                        .bind("model", s.model())
                        .bind("rule", s.rule())
                        .bind("starts", EpochNanos.nanos(s.startsAt(), "startsAt"))
                        .bind("ends", EpochNanos.nanos(s.endsAt(), "endsAt"))
                        .bind("reason", s.reason())
                        .bind("by", s.createdBy())
                        .bind("at", EpochNanos.nanos(s.createdAt(), "createdAt"))
                        .execute());
    }

    @Override
    public List<Silence> silences(Instant now) {
        return database.reads()
                .withHandle(h -> h.createQuery(
                                "SELECT * FROM alert_silences WHERE ends_at > :now ORDER BY starts_at, id")
                        .bind("now", EpochNanos.nanos(now, "now"))
                        .map((rs, ctx) -> new Silence(
                                rs.getString("id"),
                                rs.getString("model"),
                                rs.getString("rule"),
                                EpochNanos.required(rs, "starts_at"),
                                EpochNanos.required(rs, "ends_at"),
                                rs.getString("reason"),
                                rs.getString("created_by"),
                                EpochNanos.required(rs, "created_at")))
                        .list());
    }

    /**
     * One conditional write decides: the row is taken when absent, expired or already this node's. On PostgreSQL two
     * nodes racing for an absent row meet the primary key; the loser sees the winner's row.
     */
    @Override
    public boolean holdLease(String node, Instant now, Duration ttl) {
        long at = EpochNanos.nanos(now, "now");
        long until = EpochNanos.nanos(now.plus(ttl), "lease end");
        return database.writes().withHandle(h -> {
            int taken = h.createUpdate("UPDATE alert_lease SET holder = :node, expires_at = :until WHERE name = :name"
                            + " AND (holder = :node OR expires_at <= :now)")
                    .bind("node", node)
                    .bind("until", until)
                    .bind("name", LEASE)
                    .bind("now", at)
                    .execute();
            if (taken == 1) {
                return true;
            }
            try {
                return h.createUpdate("INSERT INTO alert_lease (name, holder, expires_at) SELECT :name, :node, :until"
                                        + " WHERE NOT EXISTS (SELECT 1 FROM alert_lease WHERE name = :name)")
                                .bind("node", node)
                                .bind("until", until)
                                .bind("name", LEASE)
                                .execute()
                        == 1;
            } catch (RuntimeException raced) {
                return false; // another node inserted the row first
            }
        });
    }

    private static Alert alert(ResultSet rs) throws SQLException {
        return new Alert(
                rs.getString("id"),
                rs.getString("rule"),
                rs.getString("model"),
                rs.getString("model_version"),
                Alert.State.parse(rs.getString("state")),
                Double.parseDouble(rs.getString("value")),
                Double.parseDouble(rs.getString("threshold")),
                rs.getString("summary"),
                EpochNanos.required(rs, "active_since"),
                EpochNanos.read(rs, "fired_at"),
                EpochNanos.read(rs, "resolved_at"),
                EpochNanos.read(rs, "notified_at"),
                EpochNanos.read(rs, "escalated_at"),
                EpochNanos.read(rs, "acknowledged_at"),
                rs.getString("acknowledged_by"),
                EpochNanos.required(rs, "updated_at"));
    }

    private static Notification notification(ResultSet rs) throws SQLException {
        String recipients = Objects.requireNonNull(rs.getString("recipients"), "recipients is NOT NULL");
        return new Notification(
                rs.getString("id"),
                rs.getString("alert_id"),
                rs.getString("channel"),
                Notification.Stage.valueOf(rs.getString("stage").toUpperCase(Locale.ROOT)),
                recipients.isEmpty() ? List.of() : Arrays.asList(recipients.split(",")),
                Notification.Status.valueOf(rs.getString("status").toUpperCase(Locale.ROOT)),
                rs.getInt("attempts"),
                EpochNanos.required(rs, "next_attempt_at"),
                rs.getString("last_error"),
                EpochNanos.required(rs, "created_at"),
                EpochNanos.read(rs, "sent_at"));
    }
}
