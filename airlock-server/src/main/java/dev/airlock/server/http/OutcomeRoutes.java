package dev.airlock.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.airlock.audit.Sha256;
import dev.airlock.decision.Principal;
import dev.airlock.decision.Role;
import dev.airlock.decision.Stop;
import dev.airlock.monitor.outcome.LabelResult;
import dev.airlock.monitor.outcome.OutcomeReport;
import dev.airlock.monitor.outcome.Outcomes;
import dev.airlock.pipeline.Pipeline;
import dev.airlock.registry.ModelCatalog;
import dev.airlock.server.config.Durations;
import dev.airlock.server.json.Json;
import dev.airlock.server.json.LabelLines;
import dev.airlock.server.json.OutcomeJson;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Ground truth after go-live: labels for predictions (one, or an upload of JSON Lines or CSV), feedback on any
 * Decision, and the live accuracy report. Labels and feedback come from the application that asked (app or admin
 * keys), for its own tenant's Decisions only; reports (accuracy, fairness, ROI: every tenant's labelled traffic of the
 * model) are read by auditor, operator or admin keys of the installation's tenant.
 */
final class OutcomeRoutes {
    private static final String LABELLERS = "an app or admin key";

    private final Pipeline pipeline;
    private final Outcomes outcomes;
    private final ObjectMapper json;
    private final ModelCatalog catalog;
    private final String installationTenant;

    OutcomeRoutes(
            Pipeline pipeline, Outcomes outcomes, ModelCatalog catalog, ObjectMapper json, String installationTenant) {
        this.pipeline = pipeline;
        this.installationTenant = installationTenant;
        this.catalog = catalog;
        this.outcomes = outcomes;
        this.json = json;
    }

    void register(Javalin app) {
        app.post("/v1/decisions/{id}/label", this::label);
        app.post("/v1/labels", this::upload);
        app.post("/v1/decisions/{id}/feedback", this::feedback);
        app.get("/v1/decisions/{id}/feedback", this::listFeedback);
        app.get("/v1/models/{name}/accuracy", this::accuracy);
    }

    private Principal labeller(Context ctx, String what) {
        return AdminRequests.require(pipeline, ctx, p -> p.role().may(Role.Permission.CALL_MODELS), what, LABELLERS);
    }

    /** {@code {"label": "default"}}: 200 with the result; 404 unknown, 409 not a prediction, 400 not a class. */
    private void label(Context ctx) {
        Principal who = labeller(ctx, "label decisions");
        JsonNode body = AdminRequests.object(json, ctx, "label");
        String label = AdminRequests.required(body, "label", "label");
        LabelResult result = outcomes.label(who.tenant(), "key:" + who.keyId(), ctx.pathParam("id"), label);
        if (result instanceof LabelResult.Refused refused) {
            int status = switch (refused.code()) {
                case "unknown_decision" -> 404;
                case "not_a_prediction" -> 409;
                default -> 400;
            };
            // the label is at fault only when it is not one of the model's classes; else the decision (its id) is
            String param = refused.code().equals("invalid_label") ? "label" : "id";
            throw new Stop("label", status, "invalid_request_error", refused.code(), refused.message(), param)
                    .toException();
        }
        Responses.ok(ctx, OutcomeJson.label(json, result));
    }

    /**
     * {@code ?model=NAME}: many labels, {@code decision_id,label} as CSV (Content-Type text/csv, or any body not starting
     * with {@code {}, header line) or JSON Lines ({@code {"decision_id": …, "label": …}} per line). 200 with each line's result; a bad line is reported in
     * its place and does not stop the rest.
     */
    private void upload(Context ctx) {
        Principal who = labeller(ctx, "label decisions");
        byte[] body = BodyLimit.bytes(ctx);
        String contentType = ctx.contentType() == null ? "" : ctx.contentType();
        List<Outcomes.LabelLine> lines;
        try {
            String text = new String(body, StandardCharsets.UTF_8);
            lines = LabelLines.parse(
                    text,
                    contentType.startsWith("text/csv") || !text.stripLeading().startsWith("{"));
        } catch (IllegalArgumentException e) {
            throw Stop.invalid("label", "body", String.valueOf(e.getMessage())).toException();
        }
        String model = ctx.queryParam("model");
        if (model != null && catalog.find(model).isEmpty()) {
            throw new Stop(
                            "label",
                            404,
                            "invalid_request_error",
                            "model_not_found",
                            "The model '" + model + "' is not served here; see /v1/models.",
                            "model")
                    .toException();
        }
        String source = "sha256:" + HexFormat.of().formatHex(Sha256.digest().digest(body));
        var upload = outcomes.upload(who.tenant(), "key:" + who.keyId(), model, lines, source);
        Responses.ok(ctx, OutcomeJson.upload(json, upload));
    }

    /** {@code {"score": -1|1, "rating": 1-5, "flag": "wrong", "comment": "…"}}: at least one; 201 with it. */
    private void feedback(Context ctx) {
        Principal who = labeller(ctx, "give feedback");
        JsonNode body = AdminRequests.object(json, ctx, "feedback");
        var result = outcomes.feedback(
                who.tenant(),
                "key:" + who.keyId(),
                ctx.pathParam("id"),
                integer(body, "score"),
                integer(body, "rating"),
                AdminRequests.text(body, "flag", false, "feedback"),
                AdminRequests.text(body, "comment", false, "feedback"));
        switch (result) {
            case Outcomes.FeedbackResult.Recorded r ->
                Responses.write(ctx, 201, "application/json", Json.bytes(OutcomeJson.feedback(json, r.feedback())));
            case Outcomes.FeedbackResult.Refused r ->
                throw new Stop(
                                "feedback",
                                r.code().equals("unknown_decision") ? 404 : 400,
                                "invalid_request_error",
                                r.code(),
                                r.message(),
                                r.field())
                        .toException();
        }
    }

    private void listFeedback(Context ctx) {
        Principal reader = pipeline.authenticate(Credentials.of(ctx));
        var data = json.createArrayNode();
        outcomes.feedbackOn(reader.tenant(), ctx.pathParam("id")).forEach(f -> data.add(OutcomeJson.feedback(json, f)));
        var body = json.createObjectNode().put("object", "list");
        body.set("data", data);
        Responses.ok(ctx, body);
    }

    /** {@code ?version=&window=30d}: live accuracy, fairness and ROI of the window ending now. */
    private void accuracy(Context ctx) {
        AdminRequests.installation(
                pipeline, ctx, installationTenant, Role.Permission.READ_DECISIONS, "read model accuracy");
        Duration window;
        try {
            window = Durations.parseLookBack(
                    ctx.queryParamAsClass("window", String.class).getOrDefault("30d"));
        } catch (IllegalArgumentException e) {
            throw Stop.invalid("read", "window", "'window': " + e.getMessage()).toException();
        }
        if (window.isZero()) {
            throw Stop.invalid("read", "window", "'window' must be longer than 0")
                    .toException();
        }
        String model = ctx.pathParam("name");
        if (catalog.find(model).isEmpty()) {
            throw new Stop(
                            "read",
                            404,
                            "invalid_request_error",
                            "model_not_found",
                            "The model '" + model + "' is not served here; see /v1/models.",
                            "name")
                    .toException();
        }
        String version = ctx.queryParam("version");
        if (version != null && !catalog.versions(model).containsKey(version)) {
            throw new Stop(
                            "read",
                            404,
                            "invalid_request_error",
                            "version_not_found",
                            "The model '" + model + "' has no version '" + version + "'; its versions: "
                                    + catalog.versions(model).keySet() + ".",
                            "version")
                    .toException();
        }
        OutcomeReport report = outcomes.report(model, version, window);
        Responses.ok(ctx, OutcomeJson.report(json, report));
    }

    private static @Nullable Integer integer(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt()) {
            throw Stop.invalid("feedback", field, "'" + field + "' must be a whole number, got " + value)
                    .toException();
        }
        return value.intValue();
    }
}
