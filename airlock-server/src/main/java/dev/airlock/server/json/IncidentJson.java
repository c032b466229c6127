package dev.airlock.server.json;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.airlock.incident.Incident;
import dev.airlock.incident.IncidentEntry;
import dev.airlock.incident.PostIncident;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** Incidents and their timelines as JSON, the same on HTTP and in {@code airlock incidents --json}. */
public final class IncidentJson {
    private IncidentJson() {}

    public static ObjectNode incident(ObjectMapper json, Incident i) {
        ObjectNode o = json.createObjectNode()
                .put("object", "incident")
                .put("id", i.id())
                .put("subject", i.subject())
                .put("version", i.version())
                .put("state", i.state().id())
                .put("title", i.title())
                .put("owner", i.owner())
                .put("runbook", i.runbook())
                .put("assignee", i.assignee());
        put(o, "opened_at", i.openedAt());
        put(o, "acknowledged_at", i.acknowledgedAt());
        o.put("acknowledged_by", i.acknowledgedBy());
        put(o, "resolved_at", i.resolvedAt());
        o.put("resolved_by", i.resolvedBy());
        PostIncident record = i.record();
        if (record == null) {
            o.putNull("post_incident");
        } else {
            ObjectNode r =
                    o.putObject("post_incident").put("cause", record.cause()).put("action", record.action());
            ArrayNode f = r.putArray("follow_ups");
            record.followUps().forEach(f::add);
        }
        put(o, "updated_at", i.updatedAt());
        return o;
    }

    /** An incident with the ids of its alerts and its timeline, oldest first. */
    public static ObjectNode detailed(
            ObjectMapper json, Incident i, List<String> alerts, List<IncidentEntry> timeline) {
        ObjectNode o = incident(json, i);
        ArrayNode a = o.putArray("alerts");
        alerts.forEach(a::add);
        ArrayNode t = o.putArray("timeline");
        timeline.forEach(e -> t.add(entry(json, e)));
        return o;
    }

    public static ObjectNode entry(ObjectMapper json, IncidentEntry e) {
        ObjectNode o = json.createObjectNode();
        put(o, "at", e.at());
        return o.put("kind", e.kind())
                .put("actor", e.actor())
                .put("text", e.text())
                .put("ref", e.ref());
    }

    private static void put(ObjectNode o, String field, @Nullable Instant at) {
        if (at == null) {
            o.putNull(field);
        } else {
            o.put(field, at.toString());
        }
    }
}
