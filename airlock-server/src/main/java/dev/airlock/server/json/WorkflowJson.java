package dev.airlock.server.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.airlock.workflow.Run;
import dev.airlock.workflow.RunEvent;
import java.io.IOException;
import org.jspecify.annotations.Nullable;

/** Workflow runs and their history as JSON, the same on HTTP, in SSE and in CLI output. */
public final class WorkflowJson {
    private WorkflowJson() {}

    public static ObjectNode run(ObjectMapper json, Run r) {
        ObjectNode root = json.createObjectNode()
                .put("object", "workflow.run")
                .put("id", r.id())
                .put("workflow", r.workflow())
                .put("status", r.status().id())
                .put("tenant", r.tenant())
                .put("started_by", r.startedBy().keyId())
                .put("subject", r.subject())
                .put("pending_step", r.pending())
                .put("detail", r.detail())
                .put("trace_id", r.traceId())
                .put("created_at", r.createdAt().toString())
                .put("updated_at", r.updatedAt().toString())
                .put("ended_at", r.endedAt() == null ? null : r.endedAt().toString())
                .put("node", r.owner());
        root.set("input", parse(json, r.input()));
        ObjectNode spent = root.putObject("spent");
        spent(spent, r.spent());
        ObjectNode agents = root.putObject("agents");
        r.agents().forEach((name, s) -> spent(agents.putObject(name), s));
        return root;
    }

    private static void spent(ObjectNode node, Run.Spent s) {
        node.put("steps", s.steps())
                .put("tokens", s.tokens())
                .put("cost_usd", s.costUsd().stripTrailingZeros().toPlainString());
    }

    public static ObjectNode event(ObjectMapper json, RunEvent e) {
        ObjectNode root = json.createObjectNode()
                .put("run_id", e.runId())
                .put("seq", e.seq())
                .put("at", e.at().toString())
                .put("type", e.type())
                .put("step", e.step())
                .put("detail", e.detail())
                .put("decision_id", e.decisionId());
        root.set("data", e.data() == null ? null : parse(json, e.data()));
        return root;
    }

    private static @Nullable JsonNode parse(ObjectMapper json, String text) {
        try {
            return json.readTree(text);
        } catch (IOException e) {
            return json.getNodeFactory().textNode(text);
        }
    }
}
