package dev.airlock.server.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.airlock.decision.Principal;
import dev.airlock.decision.Role;
import dev.airlock.decision.Stop;
import dev.airlock.monitor.retrain.Retraining;
import dev.airlock.pipeline.Pipeline;
import dev.airlock.registry.ModelCatalog;
import dev.airlock.server.json.RetrainJson;
import io.javalin.Javalin;
import io.javalin.http.Context;
import org.jspecify.annotations.Nullable;

/**
 * Retraining over HTTP, for the installation's own keys. Errors are problem+json.
 *
 * <ul>
 *   <li>{@code POST /v1/admin/models/{model}/retrain?version=}: runs the model's retraining now (operator or admin)
 *       and answers with the finished run (its status says whether it succeeded); no cool-down for a request by hand
 *   <li>{@code GET /v1/admin/models/{model}/retraining?limit=20}: the model's runs, newest first (auditor, operator,
 *       admin)
 * </ul>
 */
final class RetrainRoutes {
    static final String PREFIX = "/v1/admin/models";
    private static final String STAGE = "retrain";

    private final Pipeline pipeline;
    private final Retraining retraining;
    private final ModelCatalog catalog;
    private final ObjectMapper json;
    private final String installationTenant;

    RetrainRoutes(
            Pipeline pipeline,
            Retraining retraining,
            ModelCatalog catalog,
            ObjectMapper json,
            String installationTenant) {
        this.pipeline = pipeline;
        this.retraining = retraining;
        this.catalog = catalog;
        this.json = json;
        this.installationTenant = installationTenant;
    }

    void register(Javalin app) {
        app.post(PREFIX + "/{model}/retrain", this::retrain);
        app.get(PREFIX + "/{model}/retraining", this::runs);
    }

    private void retrain(Context ctx) {
        Principal who = AdminRequests.installation(
                pipeline, ctx, installationTenant, Role.Permission.DEPLOY, "start retraining");
        String model = known(ctx.pathParam("model"));
        String version = ctx.queryParam("version");
        if (version != null && catalog.find(model, version).isEmpty()) {
            throw Stop.invalid(
                            STAGE,
                            "version",
                            "'version' '" + version + "' is not a version of " + model + "; its versions are "
                                    + catalog.versions(model).keySet())
                    .toException();
        }
        switch (retraining.retrain(Retraining.Request.manual(model, version, "key:" + who.keyId()))) {
            case Retraining.Result.Ran ran -> Responses.ok(ctx, RetrainJson.run(json, ran.run()));
            case Retraining.Result.NotConfigured n ->
                throw conflict(
                        "retraining_not_configured",
                        "Model " + n.model() + " declares no retraining; add models." + n.model()
                                + ".monitoring.retraining (a command or a webhook).");
            case Retraining.Result.NoVersion n ->
                throw conflict(
                        "no_production_version",
                        "Model " + n.model() + " has no production version; name one" + " with ?version=.");
            case Retraining.Result.CoolingDown c ->
                throw conflict(
                        "retraining_cooling_down",
                        "Model " + c.model() + " was retrained recently; the next run may start at " + c.until() + ".");
        }
    }

    private void runs(Context ctx) {
        AdminRequests.installation(
                pipeline, ctx, installationTenant, Role.Permission.READ_DECISIONS, "read retraining runs");
        String model = known(ctx.pathParam("model"));
        int limit = (int) Fields.queryWholeNumber(ctx, "limit", 20, 1, 1000);
        ObjectNode root = json.createObjectNode().put("object", "list");
        ArrayNode data = root.putArray("data");
        retraining.runs(model, limit).forEach(r -> data.add(RetrainJson.run(json, r)));
        Responses.ok(ctx, root);
    }

    private String known(String model) {
        if (catalog.find(model).isEmpty()) {
            throw new Stop(
                            STAGE,
                            404,
                            "invalid_request_error",
                            "model_not_found",
                            "There is no model " + model + ".",
                            (@Nullable String) null)
                    .toException();
        }
        return model;
    }

    private static Stop.Stopped conflict(String code, String message) {
        return new Stop(STAGE, 409, "invalid_request_error", code, message, null).toException();
    }
}
