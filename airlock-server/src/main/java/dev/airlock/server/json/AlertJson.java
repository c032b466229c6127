package dev.airlock.server.json;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.airlock.alert.Alert;
import dev.airlock.alert.AlertChange;
import dev.airlock.alert.Notification;
import dev.airlock.alert.Silence;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** Alerts, their history, notifications and silences as JSON, the same on HTTP and in {@code airlock alerts --json}. */
public final class AlertJson {
    private AlertJson() {}

    public static ObjectNode alert(ObjectMapper json, Alert a) {
        ObjectNode o = json.createObjectNode()
                .put("object", "alert")
                .put("id", a.id())
                .put("rule", a.rule())
                .put("model", a.model())
                .put("version", a.version())
                .put("state", a.state().id())
                .put("value", a.value())
                .put("threshold", a.threshold())
                .put("summary", a.summary());
        put(o, "active_since", a.activeSince());
        put(o, "fired_at", a.firedAt());
        put(o, "resolved_at", a.resolvedAt());
        put(o, "notified_at", a.notifiedAt());
        put(o, "escalated_at", a.escalatedAt());
        put(o, "acknowledged_at", a.acknowledgedAt());
        o.put("acknowledged_by", a.acknowledgedBy());
        return o;
    }

    public static ObjectNode change(ObjectMapper json, AlertChange c) {
        ObjectNode o =
                json.createObjectNode().put("from", c.from()).put("to", c.to()).put("value", c.value());
        o.put("actor", c.actor());
        put(o, "at", c.at());
        return o;
    }

    /** A notification: its channel by name only, never the channel's URL or credentials. */
    public static ObjectNode notification(ObjectMapper json, Notification n) {
        ObjectNode o = json.createObjectNode()
                .put("id", n.id())
                .put("alert_id", n.alertId())
                .put("channel", n.channel())
                .put("stage", n.stage().id())
                .put("status", n.status().id())
                .put("attempts", n.attempts())
                .put("last_error", n.lastError());
        ArrayNode to = o.putArray("recipients");
        n.recipients().forEach(to::add);
        put(o, "created_at", n.createdAt());
        put(o, "next_attempt_at", n.nextAttemptAt());
        put(o, "sent_at", n.sentAt());
        return o;
    }

    public static ObjectNode silence(ObjectMapper json, Silence s) {
        ObjectNode o = json.createObjectNode()
                .put("object", "silence")
                .put("id", s.id())
                .put("model", s.model())
                .put("rule", s.rule())
                .put("reason", s.reason())
                .put("created_by", s.createdBy());
        put(o, "starts_at", s.startsAt());
        put(o, "ends_at", s.endsAt());
        return o;
    }

    private static void put(ObjectNode o, String field, @Nullable Instant at) {
        o.put(field, at == null ? null : at.toString());
    }
}
