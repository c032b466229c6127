package dev.airlock.server.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.airlock.decision.Decision;
import dev.airlock.decision.DecisionLog;
import dev.airlock.decision.Outcome;
import dev.airlock.decision.Principal;
import dev.airlock.decision.Role;
import dev.airlock.decision.StageNote;
import dev.airlock.decision.Stop;
import dev.airlock.pipeline.Pipeline;
import io.javalin.Javalin;
import io.javalin.http.Context;

/**
 * Reading recorded Decisions: {@code GET /v1/decisions/{id}}. Keys whose role may read decisions (auditor, operator,
 * admin) see their own tenant's; another tenant's Decision answers 404, as if it did not exist.
 */
final class DecisionRoutes {
    private final Pipeline pipeline;
    private final DecisionLog log;
    private final ObjectMapper json;

    DecisionRoutes(Pipeline pipeline, DecisionLog log, ObjectMapper json) {
        this.pipeline = pipeline;
        this.log = log;
        this.json = json;
    }

    void register(Javalin app) {
        app.get("/v1/decisions/{id}", this::get);
    }

    private void get(Context ctx) {
        Principal reader = pipeline.authenticate(Credentials.of(ctx));
        if (!reader.role().may(Role.Permission.READ_DECISIONS)) {
            throw new Stop(
                            "authorize",
                            403,
                            "invalid_request_error",
                            "permission_denied",
                            "The key '" + reader.keyId() + "' has role '"
                                    + reader.role().id()
                                    + "', which may not read decisions; use an auditor, operator or admin key.",
                            null)
                    .toException();
        }
        String id = ctx.pathParam("id");
        Decision decision = log.findDecision(id)
                .filter(d -> d.principal() != null && d.principal().tenant().equals(reader.tenant()))
                .orElseThrow(() -> new Stop(
                                "read",
                                404,
                                "invalid_request_error",
                                "decision_not_found",
                                "No decision '" + id + "' is recorded for tenant '" + reader.tenant() + "'.",
                                "id")
                        .toException());
        byte[] body;
        try {
            body = json.writeValueAsBytes(render(decision));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("decision " + id + " could not be written", e);
        }
        Json.write(ctx, 200, "application/json", body);
    }

    private ObjectNode render(Decision d) {
        ObjectNode root = json.createObjectNode();
        root.put("object", "decision");
        root.put("id", d.id());
        root.put("started_at", d.startedAt().toString());
        root.putObject("principal")
                .put("tenant", d.principal().tenant())
                .put("key_id", d.principal().keyId())
                .put("role", d.principal().role().id());
        root.put("kind", d.kind().id());
        root.put("model", d.model());
        root.put("model_version", d.modelVersion());
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
                .put("output_tokens", d.usage().outputTokens());
        root.put("latency_ms", d.latencyMicros() / 1000.0);
        root.put("upstream_ms", d.upstreamMicros() / 1000.0);
        root.put("input_sha256", d.inputSha256());
        root.put("output_sha256", d.outputSha256());
        ArrayNode reasons = root.putArray("reasons");
        d.reasons().forEach(reasons::add);
        ArrayNode notes = root.putArray("notes");
        for (StageNote note : d.notes()) {
            notes.addObject()
                    .put("stage", note.stage())
                    .put("verdict", note.verdict())
                    .put("detail", note.detail());
        }
        return root;
    }
}
