package dev.airlock.server.json;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.airlock.audit.AuditEvent;

/** An administrative audit event as JSON, the same in the API and in exports. */
public final class EventJson {
    private EventJson() {}

    public static ObjectNode render(ObjectMapper json, AuditEvent e) {
        ObjectNode root = json.createObjectNode();
        root.put("object", "audit_event");
        root.put("id", e.id());
        root.put("at", e.at().toString());
        root.put("tenant", e.tenant());
        root.put("actor", e.actor());
        root.put("action", e.action());
        root.put("target", e.target());
        ObjectNode details = root.putObject("details");
        e.details().forEach(details::put);
        return root;
    }
}
