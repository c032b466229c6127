package dev.airlock.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.airlock.alert.Alert;
import dev.airlock.alert.Alerts;
import dev.airlock.alert.Notification;
import dev.airlock.alert.Silence;
import dev.airlock.decision.Principal;
import dev.airlock.decision.Role;
import dev.airlock.decision.Stop;
import dev.airlock.pipeline.Pipeline;
import dev.airlock.server.json.AlertJson;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * Alerts over HTTP, for the installation's own keys: auditors, operators and admins read them; operators and admins
 * acknowledge them and create silences. Channel settings (webhook URLs, SMTP passwords) are never part of an answer.
 *
 * <ul>
 *   <li>{@code GET /v1/alerts?state=firing&limit=100}, {@code GET /v1/alerts/{id}} (with history and notifications)
 *   <li>{@code POST /v1/alerts/{id}/ack}
 *   <li>{@code GET /v1/alerts/dead-letters}: notifications given up on
 *   <li>{@code GET /v1/silences}, {@code POST /v1/silences {"model", "rule", "ends_at", "reason"}}
 * </ul>
 */
final class AlertRoutes {
    private static final String STAGE = "alerts";

    private final Pipeline pipeline;
    private final Alerts alerts;
    private final ObjectMapper json;
    private final String installationTenant;

    AlertRoutes(Pipeline pipeline, Alerts alerts, ObjectMapper json, String installationTenant) {
        this.pipeline = pipeline;
        this.alerts = alerts;
        this.json = json;
        this.installationTenant = installationTenant;
    }

    void register(Javalin app) {
        app.get("/v1/alerts", this::list);
        app.get("/v1/alerts/dead-letters", this::deadLetters);
        app.get("/v1/alerts/{id}", this::show);
        app.post("/v1/alerts/{id}/ack", this::acknowledge);
        app.get("/v1/silences", this::silences);
        app.post("/v1/silences", this::silence);
    }

    private void list(Context ctx) {
        reader(ctx);
        String state = ctx.queryParam("state");
        Alert.State wanted;
        try {
            wanted = state == null ? null : Alert.State.parse(state);
        } catch (IllegalArgumentException e) {
            throw Stop.invalid(STAGE, "state", "'state' " + e.getMessage()).toException();
        }
        int limit = (int) Fields.queryWholeNumber(ctx, "limit", 100, 1, 1000);
        ObjectNode root = json.createObjectNode().put("object", "list");
        ArrayNode data = root.putArray("data");
        alerts.list(wanted, limit).forEach(a -> data.add(AlertJson.alert(json, a)));
        Responses.ok(ctx, root);
    }

    private void show(Context ctx) {
        reader(ctx);
        Alert a = alerts.find(ctx.pathParam("id")).orElseThrow(() -> notFound(ctx.pathParam("id")));
        ObjectNode body = AlertJson.alert(json, a);
        ArrayNode history = body.putArray("history");
        alerts.history(a.id()).forEach(c -> history.add(AlertJson.change(json, c)));
        ArrayNode sent = body.putArray("notifications");
        alerts.notifications(a.id()).forEach(n -> sent.add(AlertJson.notification(json, n)));
        Responses.ok(ctx, body);
    }

    private void acknowledge(Context ctx) {
        Principal who = operator(ctx, "acknowledge alerts");
        String id = ctx.pathParam("id");
        switch (alerts.acknowledge(id, "key:" + who.keyId())) {
            case Alerts.Acknowledgement.Acknowledged ok -> Responses.ok(ctx, AlertJson.alert(json, ok.alert()));
            case Alerts.Acknowledgement.NotFound nf -> throw notFound(nf.id());
            case Alerts.Acknowledgement.NotAcknowledgeable n ->
                throw new Stop(
                                STAGE,
                                409,
                                "invalid_request_error",
                                "alert_not_acknowledgeable",
                                "The alert '" + id + "' is " + n.alert().state().id()
                                        + (n.alert().acknowledgedAt() == null
                                                ? ""
                                                : ", acknowledged by "
                                                        + n.alert().acknowledgedBy())
                                        + "; only a firing alert not yet acknowledged can be.",
                                "id")
                        .toException();
        }
    }

    private void deadLetters(Context ctx) {
        reader(ctx);
        int limit = (int) Fields.queryWholeNumber(ctx, "limit", 100, 1, 1000);
        ObjectNode root = json.createObjectNode().put("object", "list");
        ArrayNode data = root.putArray("data");
        for (Notification n : alerts.deadLetters(limit)) {
            data.add(AlertJson.notification(json, n));
        }
        Responses.ok(ctx, root);
    }

    private void silences(Context ctx) {
        reader(ctx);
        ObjectNode root = json.createObjectNode().put("object", "list");
        ArrayNode data = root.putArray("data");
        alerts.silences().forEach(s -> data.add(AlertJson.silence(json, s)));
        Responses.ok(ctx, root);
    }

    private void silence(Context ctx) {
        Principal who = operator(ctx, "create silences");
        JsonNode body = AdminRequests.object(json, ctx, STAGE);
        String model = AdminRequests.text(body, "model", false, STAGE);
        String rule = AdminRequests.text(body, "rule", false, STAGE);
        String endsAt = AdminRequests.required(body, "ends_at", STAGE);
        String reason = AdminRequests.required(body, "reason", STAGE);
        Instant ends;
        try {
            ends = Instant.parse(endsAt);
        } catch (DateTimeParseException e) {
            throw Stop.invalid(
                            STAGE, "ends_at", "'ends_at' '" + endsAt + "' is not an instant like 2026-12-31T22:00:00Z")
                    .toException();
        }
        Silence s;
        try {
            s = alerts.silence(model, rule, ends, reason, "key:" + who.keyId());
        } catch (IllegalArgumentException e) {
            throw Stop.invalid(STAGE, "ends_at", "'ends_at' " + endsAt + ": " + e.getMessage())
                    .toException();
        }
        Responses.ok(ctx, AlertJson.silence(json, s));
    }

    private static Stop.Stopped notFound(String id) {
        return new Stop(
                        STAGE,
                        404,
                        "invalid_request_error",
                        "alert_not_found",
                        "There is no alert '" + Stop.echo(id) + "'.",
                        "id")
                .toException();
    }

    private Principal reader(Context ctx) {
        return AdminRequests.installation(
                pipeline, ctx, installationTenant, Role.Permission.READ_DECISIONS, "read alerts");
    }

    private Principal operator(Context ctx, String what) {
        return AdminRequests.installation(pipeline, ctx, installationTenant, Role.Permission.DEPLOY, what);
    }
}
