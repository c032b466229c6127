package dev.airlock.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.airlock.decision.Principal;
import dev.airlock.decision.Role;
import dev.airlock.decision.Stop;
import dev.airlock.incident.Incident;
import dev.airlock.incident.Incidents;
import dev.airlock.pipeline.Pipeline;
import dev.airlock.server.json.IncidentJson;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;

/**
 * Incidents over HTTP, for the installation's own keys: auditors, operators and admins read them; operators and admins
 * work on them. Errors are problem+json (these are admin routes, not the OpenAI-compatible API).
 *
 * <ul>
 *   <li>{@code GET /v1/incidents?state=open&limit=100}, {@code GET /v1/incidents/{id}} (with its alerts and timeline)
 *   <li>{@code POST /v1/incidents/{id}/ack}, {@code POST /v1/incidents/{id}/assign {"assignee"}}
 *   <li>{@code POST /v1/incidents/{id}/notes {"text"}}
 *   <li>{@code POST /v1/incidents/{id}/resolve {"cause", "action", "follow_ups": [...]}}
 * </ul>
 */
final class IncidentRoutes {
    private static final String STAGE = "incidents";

    private final Pipeline pipeline;
    private final Incidents incidents;
    private final ObjectMapper json;
    private final String installationTenant;

    IncidentRoutes(Pipeline pipeline, Incidents incidents, ObjectMapper json, String installationTenant) {
        this.pipeline = pipeline;
        this.incidents = incidents;
        this.json = json;
        this.installationTenant = installationTenant;
    }

    void register(Javalin app) {
        app.get("/v1/incidents", this::list);
        app.get("/v1/incidents/{id}", this::show);
        app.post("/v1/incidents/{id}/ack", this::acknowledge);
        app.post("/v1/incidents/{id}/assign", this::assign);
        app.post("/v1/incidents/{id}/notes", this::note);
        app.post("/v1/incidents/{id}/resolve", this::resolve);
    }

    private void list(Context ctx) {
        reader(ctx);
        String state = ctx.queryParam("state");
        Incident.State wanted;
        try {
            wanted = state == null ? null : Incident.State.parse(state);
        } catch (IllegalArgumentException e) {
            throw Stop.invalid(STAGE, "state", "'state' " + e.getMessage()).toException();
        }
        int limit = (int) Fields.queryWholeNumber(ctx, "limit", 100, 1, 1000);
        ObjectNode root = json.createObjectNode().put("object", "list");
        ArrayNode data = root.putArray("data");
        incidents.list(wanted, limit).forEach(i -> data.add(IncidentJson.incident(json, i)));
        Responses.ok(ctx, root);
    }

    private void show(Context ctx) {
        reader(ctx);
        String id = ctx.pathParam("id");
        Incident i = incidents.find(id).orElseThrow(() -> notFound(id));
        var timeline = incidents.timeline(id).orElseThrow(() -> notFound(id));
        Responses.ok(ctx, IncidentJson.detailed(json, i, incidents.alertsOf(id), timeline));
    }

    private void acknowledge(Context ctx) {
        Principal who = operator(ctx, "acknowledge incidents");
        render(ctx, incidents.acknowledge(ctx.pathParam("id"), actor(who)));
    }

    private void assign(Context ctx) {
        Principal who = operator(ctx, "assign incidents");
        JsonNode body = AdminRequests.object(json, ctx, STAGE);
        String assignee = AdminRequests.required(body, "assignee", STAGE);
        render(ctx, incidents.assign(ctx.pathParam("id"), assignee, actor(who)));
    }

    private void note(Context ctx) {
        Principal who = operator(ctx, "add notes to incidents");
        JsonNode body = AdminRequests.object(json, ctx, STAGE);
        String text = AdminRequests.required(body, "text", STAGE);
        render(ctx, incidents.note(ctx.pathParam("id"), text, actor(who)));
    }

    private void resolve(Context ctx) {
        Principal who = operator(ctx, "resolve incidents");
        JsonNode body = AdminRequests.object(json, ctx, STAGE);
        String cause = AdminRequests.text(body, "cause", false, STAGE);
        String action = AdminRequests.text(body, "action", false, STAGE);
        render(ctx, incidents.resolve(ctx.pathParam("id"), cause, action, followUps(body), actor(who)));
    }

    /** {@code follow_ups}: absent, or an array of strings. */
    private static List<String> followUps(JsonNode body) {
        JsonNode f = body.get("follow_ups");
        List<String> out = new ArrayList<>();
        if (f == null || f.isNull()) {
            return out;
        }
        if (!f.isArray()) {
            throw Stop.invalid(STAGE, "follow_ups", "'follow_ups' must be an array of strings, e.g. [\"alert on p95\"]")
                    .toException();
        }
        for (int n = 0; n < f.size(); n++) {
            if (!f.get(n).isTextual()) {
                throw Stop.invalid(STAGE, "follow_ups[" + n + "]", "'follow_ups[" + n + "]' must be a string")
                        .toException();
            }
            out.add(f.get(n).asText());
        }
        return out;
    }

    private void render(Context ctx, Incidents.Result result) {
        switch (result) {
            case Incidents.Result.Done d -> Responses.ok(ctx, IncidentJson.incident(json, d.incident()));
            case Incidents.Result.NotFound n -> throw notFound(n.id());
            case Incidents.Result.Conflict c ->
                throw new Stop(STAGE, 409, "invalid_request_error", "incident_conflict", c.message(), "id")
                        .toException();
            case Incidents.Result.Invalid i ->
                throw Stop.invalid(STAGE, i.field(), i.message()).toException();
        }
    }

    private static String actor(Principal who) {
        return "key:" + who.keyId();
    }

    private static Stop.Stopped notFound(String id) {
        return new Stop(
                        STAGE,
                        404,
                        "invalid_request_error",
                        "incident_not_found",
                        "There is no incident '" + Stop.echo(id) + "'.",
                        "id")
                .toException();
    }

    private Principal reader(Context ctx) {
        return AdminRequests.installation(
                pipeline, ctx, installationTenant, Role.Permission.READ_DECISIONS, "read incidents");
    }

    private Principal operator(Context ctx, String what) {
        return AdminRequests.installation(pipeline, ctx, installationTenant, Role.Permission.DEPLOY, what);
    }
}
