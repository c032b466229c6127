package dev.airlock.server.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.airlock.decision.Content;
import dev.airlock.decision.Decision;
import dev.airlock.decision.Outcome;
import dev.airlock.decision.Principal;
import dev.airlock.decision.StageNote;
import dev.airlock.decision.Stop;
import dev.airlock.decision.WorkflowStep;

/** A Decision as JSON, the same in the API, in JSON Lines exports and on the command line. */
public final class DecisionJson {
    private final ObjectMapper json;

    public DecisionJson(ObjectMapper json) {
        this.json = json;
    }

    public byte[] bytes(Decision d) {
        try {
            return json.writeValueAsBytes(render(d));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("decision " + d.id() + " could not be written", e);
        }
    }

    public ObjectNode render(Decision d) {
        ObjectNode root = json.createObjectNode();
        root.put("object", "decision");
        root.put("id", d.id());
        root.put("started_at", d.startedAt().toString());
        Principal principal = d.principal();
        if (principal != null) { // a call refused before it was authenticated has none
            root.putObject("principal")
                    .put("tenant", principal.tenant())
                    .put("key_id", principal.keyId())
                    .put("role", principal.role().id());
        }
        root.put("kind", d.kind().id());
        root.put("model", d.model());
        root.put("model_version", d.modelVersion());
        root.put(
                "prompt_version",
                d.notes().stream()
                        .filter(n -> n.stage().equals("resolve") && n.verdict().equals("prompt"))
                        .map(StageNote::detail)
                        .findFirst()
                        .orElse(null));
        root.put("provider", d.provider());
        root.put("upstream_model", d.upstreamModel());
        root.put("stream", d.stream());
        ObjectNode outcome = root.putObject("outcome")
                .put("label", d.outcome().label())
                .put("status", d.outcome().httpStatus());
        Stop stop = switch (d.outcome()) {
            case Outcome.Answered answered -> null;
            case Outcome.Refused refused -> refused.stop();
            case Outcome.Failed failed -> failed.stop();
        };
        if (stop != null) {
            outcome.put("stage", stop.stage())
                    .put("code", stop.code())
                    .put("message", stop.message())
                    .put("param", stop.param());
        }
        root.putObject("usage")
                .put("input_tokens", d.usage().inputTokens())
                .put("output_tokens", d.usage().outputTokens())
                .put("cached_input_tokens", d.usage().cachedInputTokens());
        root.put(
                "cost_usd",
                d.cost() == null ? null : d.cost().stripTrailingZeros().toPlainString());
        root.put("latency_ms", d.latencyMicros() / 1000.0);
        root.put("upstream_ms", d.upstreamMicros() / 1000.0);
        root.put("input_sha256", d.inputSha256());
        root.put("output_sha256", d.outputSha256());
        root.put("trace_id", d.traceId());
        root.put("airlock_version", d.airlockVersion());
        WorkflowStep step = d.workflowStep();
        if (step != null) {
            root.putObject("workflow").put("run_id", step.runId()).put("step", step.step());
        }
        ArrayNode reasons = root.putArray("reasons");
        d.reasons().forEach(reasons::add);
        ArrayNode notes = root.putArray("notes");
        for (StageNote note : d.notes()) {
            notes.addObject()
                    .put("stage", note.stage())
                    .put("verdict", note.verdict())
                    .put("detail", note.detail());
        }
        Content content = d.content();
        if (content == null) {
            root.putNull("content");
        } else {
            root.putObject("content")
                    .put("state", content.state().id())
                    .put("input", content.input())
                    .put("output", content.output())
                    .put(
                            "keep_until",
                            content.keepUntil() == null
                                    ? null
                                    : content.keepUntil().toString());
        }
        return root;
    }
}
