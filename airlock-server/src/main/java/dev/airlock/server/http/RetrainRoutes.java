package dev.airlock.server.http;

import static dev.airlock.server.json.Json.bytes;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.airlock.decision.Principal;
import dev.airlock.decision.Role;
import dev.airlock.decision.Stop;
import dev.airlock.monitor.retrain.RetrainRun;
import dev.airlock.monitor.retrain.Retraining;
import dev.airlock.pipeline.Pipeline;
import dev.airlock.registry.ModelCatalog;
import dev.airlock.server.json.RetrainJson;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.concurrent.Executor;

/**
 * Retraining over HTTP, for the installation's own keys. Errors are problem+json.
 *
 * <ul>
 *   <li>{@code POST /v1/admin/models/{model}/retrain?version=}: starts the model's retraining now (operator or admin)
 *       and answers 202 with the running run and its {@code Location}; training goes on on the node's own threads. No
 *       cool-down for a request by hand, but 409 while a run of the model is running (on any node)
 *   <li>{@code GET /v1/admin/models/{model}/retraining/{id}}: one run, to poll until its status is no longer {@code
 *       running}
 *   <li>{@code GET /v1/admin/models/{model}/retraining?limit=20}: the model's runs, newest first (auditor, operator,
 *       admin)
 * </ul>
 */
final class RetrainRoutes {
    static final String PREFIX = "/v1/admin/models";
    private static final String STAGE = "retrain";

    private final Pipeline pipeline;
    private final Retraining retraining;
    private final Executor background;
    private final ModelCatalog catalog;
    private final ObjectMapper json;
    private final String installationTenant;

    RetrainRoutes(
            Pipeline pipeline,
            Retraining retraining,
            Executor background,
            ModelCatalog catalog,
            ObjectMapper json,
            String installationTenant) {
        this.pipeline = pipeline;
        this.retraining = retraining;
        this.background = background;
        this.catalog = catalog;
        this.json = json;
        this.installationTenant = installationTenant;
    }

    void register(Javalin app) {
        app.post(PREFIX + "/{model}/retrain", this::retrain);
        app.get(PREFIX + "/{model}/retraining", this::runs);
        app.get(PREFIX + "/{model}/retraining/{id}", this::run);
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
                            "'version' '" + Stop.echo(version) + "' is not a version of " + model
                                    + "; its versions are "
                                    + catalog.versions(model).keySet())
                    .toException();
        }
        switch (retraining.start(Retraining.Request.manual(model, version, "key:" + who.keyId()), background)) {
            case Retraining.Result.Started started -> {
                ctx.header(
                        "Location",
                        PREFIX + "/" + model + "/retraining/" + started.run().id());
                Responses.write(ctx, 202, "application/json", bytes(RetrainJson.run(json, started.run())));
            }
            case Retraining.Result.Ran ran -> Responses.ok(ctx, RetrainJson.run(json, ran.run()));
            case Retraining.Result.AlreadyRunning a ->
                throw conflict(
                        "retraining_running",
                        "Model " + a.model() + " is being retrained: run "
                                + a.running().id() + " started at "
                                + a.running().startedAt() + " is still running; poll " + PREFIX + "/" + a.model()
                                + "/retraining/" + a.running().id() + " and start the next one when it has ended.");
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

    private void run(Context ctx) {
        AdminRequests.installation(
                pipeline, ctx, installationTenant, Role.Permission.READ_DECISIONS, "read retraining runs");
        String model = known(ctx.pathParam("model"));
        String id = ctx.pathParam("id");
        RetrainRun run = retraining
                .find(id)
                .filter(r -> r.model().equals(model))
                .orElseThrow(() -> new Stop(
                                STAGE,
                                404,
                                "invalid_request_error",
                                "retraining_run_not_found",
                                "There is no retraining run " + Stop.echo(id) + " of " + model + ".",
                                "id")
                        .toException());
        Responses.ok(ctx, RetrainJson.run(json, run));
    }

    private String known(String model) {
        if (catalog.find(model).isEmpty()) {
            throw new Stop(
                            STAGE,
                            404,
                            "invalid_request_error",
                            "model_not_found",
                            "There is no model " + Stop.echo(model) + ".",
                            "model")
                    .toException();
        }
        return model;
    }

    private static Stop.Stopped conflict(String code, String message) {
        return new Stop(STAGE, 409, "invalid_request_error", code, message, null).toException();
    }
}
