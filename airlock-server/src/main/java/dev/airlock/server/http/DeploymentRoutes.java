package dev.airlock.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.airlock.audit.AdminAction;
import dev.airlock.audit.AuditTrail;
import dev.airlock.decision.Principal;
import dev.airlock.decision.Role;
import dev.airlock.decision.Stop;
import dev.airlock.deploy.Deployment;
import dev.airlock.deploy.DeploymentChange;
import dev.airlock.deploy.Deployments;
import dev.airlock.pipeline.Pipeline;
import dev.airlock.readiness.Readiness;
import dev.airlock.readiness.Waiver;
import dev.airlock.registry.ModelCatalog;
import dev.airlock.registry.ServedModel;
import dev.airlock.store.Store;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * Deployments and the readiness gate over HTTP. Models are shared by every tenant, so changing a deployment takes an
 * operator or admin key of the installation's tenant ({@code bootstrap.admin_tenant}), and waiving a readiness check
 * an admin key of it; auditor, operator and admin keys of any tenant read deployments (the shadow comparison, which
 * sums every tenant's traffic, only the installation's). Every change is audited.
 *
 * <ul>
 *   <li>{@code GET /v1/deployments}, {@code GET /v1/deployments/{model}} (versions, history, shadow comparison)
 *   <li>{@code POST /v1/deployments/{model}/promote {"version", "reason"}}: 409 with what is missing when the
 *       readiness gate refuses
 *   <li>{@code POST /v1/deployments/{model}/rollback {"reason"}}
 *   <li>{@code PUT|DELETE /v1/deployments/{model}/canary {"version", "share"}}, {@code PUT|DELETE
 *       /v1/deployments/{model}/shadow {"version"}}, {@code PUT|DELETE /v1/deployments/{model}/aliases/{alias}}
 *   <li>{@code GET /v1/readiness/{model}}, {@code POST /v1/readiness/{model}/waivers {"check", "justification"}}
 * </ul>
 */
final class DeploymentRoutes {
    private final Pipeline pipeline;
    private final Deployments deployments;
    private final ModelCatalog catalog;
    private final Store store;
    private final java.util.function.BiFunction<String, String, Readiness.Scorecard> gate;
    private final Clock clock;
    private final ObjectMapper json;
    private final String installationTenant;

    DeploymentRoutes(
            Pipeline pipeline,
            Deployments deployments,
            ModelCatalog catalog,
            Store store,
            java.util.function.BiFunction<String, String, Readiness.Scorecard> gate,
            Clock clock,
            ObjectMapper json,
            String installationTenant) {
        this.pipeline = pipeline;
        this.deployments = deployments;
        this.catalog = catalog;
        this.store = store;
        this.gate = gate;
        this.clock = clock;
        this.json = json;
        this.installationTenant = installationTenant;
    }

    void register(Javalin app) {
        app.get("/v1/deployments", this::list);
        app.get("/v1/deployments/{model}", this::show);
        app.post("/v1/deployments/{model}/promote", this::promote);
        app.post("/v1/deployments/{model}/rollback", this::rollback);
        app.put("/v1/deployments/{model}/canary", this::startCanary);
        app.delete("/v1/deployments/{model}/canary", this::stopCanary);
        app.put("/v1/deployments/{model}/shadow", this::startShadow);
        app.delete("/v1/deployments/{model}/shadow", this::stopShadow);
        app.put("/v1/deployments/{model}/aliases/{alias}", this::setAlias);
        app.delete("/v1/deployments/{model}/aliases/{alias}", this::removeAlias);
        app.get("/v1/readiness/{model}", this::readiness);
        app.post("/v1/readiness/{model}/waivers", this::waive);
    }

    private void list(Context ctx) {
        Readers.require(pipeline, ctx, "deployments");
        ObjectNode root = json.createObjectNode().put("object", "list");
        ArrayNode data = root.putArray("data");
        deployments.all().forEach(d -> data.add(deploymentJson(d)));
        Json.ok(ctx, root);
    }

    private void show(Context ctx) {
        Principal reader = Readers.require(pipeline, ctx, "deployments");
        String model = model(ctx);
        Deployment d = deployments.current(model);
        ObjectNode root = deploymentJson(d);
        ArrayNode versions = root.putArray("versions");
        catalog.versions(model).values().forEach(v -> versions.add(versionJson(v)));
        ArrayNode history = root.putArray("history");
        deployments.history(model).forEach(c -> history.add(changeJson(c)));
        if (d.shadow() != null && reader.tenant().equals(installationTenant)) {
            // the comparison sums every tenant's traffic: the installation's keys only
            root.set("shadow_comparison", shadowSummary(model, d.shadow(), since(ctx)));
        }
        Json.ok(ctx, root);
    }

    private void promote(Context ctx) {
        Principal who = deployer(ctx);
        String model = model(ctx);
        JsonNode body = body(ctx);
        String version = text(body, "version", true);
        if (!deployments.versions(model).contains(version)) {
            throw Stop.invalid(
                            "deploy",
                            "version",
                            "model " + model + " has no version '" + version + "'; declared: "
                                    + deployments.versions(model))
                    .toException();
        }
        Readiness.Scorecard card = gate.apply(model, version);
        if (!card.ready()) {
            ObjectNode root = json.createObjectNode();
            ObjectNode error = root.putObject("error");
            error.put(
                    "message",
                    "The readiness gate refuses to promote " + model + " version " + version + " to production;"
                            + " missing: "
                            + String.join(
                                    "; ",
                                    card.missing().stream()
                                            .map(r -> r.check().id() + " (" + r.detail() + ")")
                                            .toList()));
            error.put("type", "readiness_gate");
            error.putNull("param");
            error.put("code", "not_ready");
            ArrayNode missing = root.putArray("missing");
            card.missing()
                    .forEach(r -> missing.addObject()
                            .put("check", r.check().id())
                            .put("requirement", r.check().requirement())
                            .put("detail", r.detail()));
            ctx.attribute(Errors.HANDLED, Boolean.TRUE);
            Json.write(ctx, 409, "application/json", Json.bytes(root));
            return;
        }
        changed(ctx, change(() -> deployments.promote(model, version, actor(who), text(body, "reason", false))));
    }

    private void rollback(Context ctx) {
        Principal who = deployer(ctx);
        String model = model(ctx);
        String reason = text(body(ctx), "reason", false);
        changed(ctx, change(() -> deployments.rollback(model, actor(who), reason)));
    }

    private void startCanary(Context ctx) {
        Principal who = deployer(ctx);
        String model = model(ctx);
        JsonNode body = body(ctx);
        String version = text(body, "version", true);
        double share = Fields.number(body, "share", 0, 1, "0.1", "deploy");
        changed(ctx, change(() -> deployments.startCanary(model, version, share, actor(who))));
    }

    private void stopCanary(Context ctx) {
        Principal who = deployer(ctx);
        String model = model(ctx);
        DeploymentChange change = change(() -> deployments.endCanary(model, actor(who), "stopped by hand", false));
        if (change == null) {
            throw conflict(model + " has no canary running");
        }
        changed(ctx, change);
    }

    private void startShadow(Context ctx) {
        Principal who = deployer(ctx);
        String model = model(ctx);
        String version = text(body(ctx), "version", true);
        changed(ctx, change(() -> deployments.shadow(model, version, actor(who))));
    }

    private void stopShadow(Context ctx) {
        Principal who = deployer(ctx);
        String model = model(ctx);
        changed(ctx, change(() -> deployments.shadow(model, null, actor(who))));
    }

    private void setAlias(Context ctx) {
        Principal who = deployer(ctx);
        String model = model(ctx);
        String version = text(body(ctx), "version", true);
        changed(ctx, change(() -> deployments.alias(model, ctx.pathParam("alias"), version, actor(who))));
    }

    private void removeAlias(Context ctx) {
        Principal who = deployer(ctx);
        String model = model(ctx);
        changed(ctx, change(() -> deployments.alias(model, ctx.pathParam("alias"), null, actor(who))));
    }

    private void readiness(Context ctx) {
        Readers.require(pipeline, ctx, "readiness");
        String model = model(ctx);
        String version = ctx.queryParam("version");
        if (version != null && !deployments.versions(model).contains(version)) {
            throw new Stop(
                            "deploy",
                            404,
                            "invalid_request_error",
                            "version_not_found",
                            "Model " + model + " has no version '" + version + "'; its versions are "
                                    + deployments.versions(model) + ".",
                            "version")
                    .toException();
        }
        Json.ok(ctx, scorecardJson(gate.apply(model, version)));
    }

    private void waive(Context ctx) {
        Principal who = AdminRequests.require(
                pipeline,
                ctx,
                p -> p.role().may(Role.Permission.WAIVE_CHECKS) && p.tenant().equals(installationTenant),
                "waive readiness checks",
                "an admin key of the installation's tenant");
        String model = model(ctx);
        JsonNode body = body(ctx);
        Readiness.Check check;
        try {
            check = Readiness.Check.parse(text(body, "check", true));
        } catch (IllegalArgumentException e) {
            throw Stop.invalid("deploy", "check", e.getMessage()).toException();
        }
        String justification = text(body, "justification", true).strip();
        if (justification.length() < 10) {
            throw Stop.invalid("deploy", "justification", "'justification' must say why, in at least 10 characters")
                    .toException();
        }
        var waiver = new Waiver(model, check.id(), justification, actor(who), clock.instant());
        store.recordWaiver(waiver);
        new AuditTrail(store, clock)
                .record(
                        AdminAction.READINESS_WAIVED,
                        null,
                        waiver.actor(),
                        model,
                        Map.of("check", check.id(), "justification", justification));
        Json.ok(ctx, scorecardJson(gate.apply(model, null)));
    }

    private static ObjectNode scorecardJson(Readiness.Scorecard card) {
        return dev.airlock.server.ReadinessGate.json(card);
    }

    private ObjectNode shadowSummary(String model, String version, Instant since) {
        var tally = new dev.airlock.pipeline.ShadowComparison.Tally(version);
        store.shadowComparisons(model, since, tally);
        ObjectNode s = json.createObjectNode()
                .put("version", version)
                .put("since", since.toString())
                .put("compared", tally.compared())
                .put("agreed", tally.agreed())
                .put("shadow_answered", tally.answered());
        if (tally.compared() > 0) {
            s.put("agreement_rate", tally.agreementRate());
            s.put("production_mean_latency_ms", tally.productionMeanMillis());
            s.put("shadow_mean_latency_ms", tally.shadowMeanMillis());
        }
        s.put("production_cost_usd", tally.productionCost().stripTrailingZeros().toPlainString());
        s.put("shadow_cost_usd", tally.shadowCost().stripTrailingZeros().toPlainString());
        return s;
    }

    private ObjectNode deploymentJson(Deployment d) {
        ObjectNode o = json.createObjectNode().put("model", d.model()).put("production", d.production());
        if (d.canary() == null) {
            o.putNull("canary");
        } else {
            o.putObject("canary")
                    .put("version", d.canary().version())
                    .put("share", d.canary().share());
        }
        o.put("shadow", d.shadow());
        ObjectNode aliases = o.putObject("aliases");
        d.aliases().forEach(aliases::put);
        o.put("updated_at", d.updatedAt() == null ? null : d.updatedAt().toString());
        return o;
    }

    private ObjectNode versionJson(ServedModel v) {
        ObjectNode o = json.createObjectNode().put("version", v.spec().version());
        ArrayNode targets = o.putArray("targets");
        v.targets()
                .forEach(t ->
                        targets.addObject().put("provider", t.provider()).put("upstream_model", t.upstreamModel()));
        var info = v.info();
        o.put("artifact", info.artifact())
                .put("sha256", info.sha256())
                .put("framework", info.framework())
                .put("training_data", info.trainingData())
                .put("lineage", info.lineage())
                .put("input_schema", info.inputSchema())
                .put("output_schema", info.outputSchema());
        ObjectNode metrics = o.putObject("metrics");
        info.metrics().forEach(metrics::put);
        ArrayNode tags = o.putArray("tags");
        info.tags().forEach(tags::add);
        return o;
    }

    private ObjectNode changeJson(DeploymentChange c) {
        return json.createObjectNode()
                .put("id", c.id())
                .put("at", c.at().toString())
                .put("actor", c.actor())
                .put("action", c.action())
                .put("from", c.from())
                .put("to", c.to())
                .put("reason", c.reason());
    }

    private void changed(Context ctx, DeploymentChange change) {
        ObjectNode root = json.createObjectNode();
        root.set("change", changeJson(change));
        root.set("deployment", deploymentJson(deployments.current(change.model())));
        Json.ok(ctx, root);
    }

    /** Runs a change, turning refusals into 400 (bad input) and 409 (the state does not allow it). */
    private static DeploymentChange change(java.util.function.Supplier<DeploymentChange> action) {
        try {
            return action.get();
        } catch (IllegalArgumentException e) {
            throw Stop.invalid("deploy", null, e.getMessage()).toException();
        } catch (IllegalStateException e) {
            throw conflict(e.getMessage());
        }
    }

    private String model(Context ctx) {
        String model = ctx.pathParam("model");
        if (catalog.find(model).isEmpty()) {
            throw new Stop(
                            "deploy",
                            404,
                            "invalid_request_error",
                            "model_not_found",
                            "The model '" + model + "' does not exist.",
                            "model")
                    .toException();
        }
        return model;
    }

    private Principal deployer(Context ctx) {
        // models are shared by every tenant: only the installation's own operators move them
        return AdminRequests.require(
                pipeline,
                ctx,
                who -> who.role().may(Role.Permission.DEPLOY) && who.tenant().equals(installationTenant),
                "change deployments",
                "an operator or admin key of the installation's tenant ('" + installationTenant + "')");
    }

    private JsonNode body(Context ctx) {
        return AdminRequests.object(json, ctx, "deploy");
    }

    private static String text(JsonNode body, String field, boolean required) {
        return AdminRequests.text(body, field, required, "deploy");
    }

    private static Stop.Stopped conflict(String message) {
        return new Stop("deploy", 409, "invalid_request_error", "conflict", message, null).toException();
    }

    private Instant since(Context ctx) {
        String since = ctx.queryParam("since");
        if (since == null) {
            return clock.instant().minus(Duration.ofDays(1));
        }
        try {
            return Instant.parse(since);
        } catch (java.time.format.DateTimeParseException e) {
            throw Stop.invalid("read", "since", "'since' must be an instant like 2026-11-30T00:00:00Z")
                    .toException();
        }
    }

    private static String actor(Principal who) {
        return "key:" + who.keyId();
    }
}
