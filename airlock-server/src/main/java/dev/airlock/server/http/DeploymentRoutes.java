package dev.airlock.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.airlock.decision.Principal;
import dev.airlock.decision.Role;
import dev.airlock.decision.Stop;
import dev.airlock.deploy.Deployment;
import dev.airlock.deploy.DeploymentDesk;
import dev.airlock.deploy.DeploymentDesk.Changed;
import dev.airlock.deploy.DeploymentDesk.Conflict;
import dev.airlock.deploy.DeploymentDesk.Invalid;
import dev.airlock.deploy.DeploymentDesk.NoJustification;
import dev.airlock.deploy.DeploymentDesk.NotReady;
import dev.airlock.deploy.DeploymentDesk.Promoted;
import dev.airlock.deploy.DeploymentDesk.Rejected;
import dev.airlock.deploy.DeploymentDesk.Scored;
import dev.airlock.deploy.DeploymentDesk.UnknownCheck;
import dev.airlock.deploy.DeploymentDesk.UnknownModel;
import dev.airlock.deploy.DeploymentDesk.UnknownVersion;
import dev.airlock.deploy.DeploymentDesk.Unservable;
import dev.airlock.deploy.DeploymentDesk.Waived;
import dev.airlock.deploy.Deployments;
import dev.airlock.pipeline.Pipeline;
import dev.airlock.pipeline.ShadowComparison;
import dev.airlock.registry.ModelCatalog;
import dev.airlock.server.json.DeploymentJson;
import dev.airlock.server.json.Json;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Deployments and the readiness gate over HTTP: each route parses the request, calls one use case of {@link
 * DeploymentDesk} and renders its result. Models are shared by every tenant, so changing a deployment takes an
 * operator or admin key of the installation's tenant ({@code bootstrap.admin_tenant}), and waiving a readiness check
 * an admin key of it; auditor, operator and admin keys of any tenant read deployments (the shadow comparison, which
 * sums every tenant's traffic, only the installation's). Every change is audited by the use case.
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
    private final DeploymentDesk desk;
    private final Deployments deployments;
    private final ModelCatalog catalog;
    private final ShadowComparison.Log shadows;
    private final Clock clock;
    private final ObjectMapper json;
    private final String installationTenant;

    DeploymentRoutes(
            Pipeline pipeline,
            DeploymentDesk desk,
            ModelCatalog catalog,
            ShadowComparison.Log shadows,
            Clock clock,
            ObjectMapper json,
            String installationTenant) {
        this.pipeline = pipeline;
        this.desk = desk;
        this.deployments = desk.deployments();
        this.catalog = catalog;
        this.shadows = shadows;
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
        deployments.all().forEach(d -> data.add(DeploymentJson.deployment(d)));
        Responses.ok(ctx, root);
    }

    private void show(Context ctx) {
        Principal reader = Readers.require(pipeline, ctx, "deployments");
        String model = model(ctx);
        Deployment d = deployments.current(model);
        ObjectNode root = DeploymentJson.deployment(d);
        ArrayNode versions = root.putArray("versions");
        catalog.versions(model).values().forEach(v -> versions.add(DeploymentJson.version(v)));
        ArrayNode history = root.putArray("history");
        deployments.history(model).forEach(c -> history.add(DeploymentJson.change(c)));
        if (d.shadow() != null && reader.tenant().equals(installationTenant)) {
            // the comparison sums every tenant's traffic: the installation's keys only
            Instant since = since(ctx);
            var tally = new ShadowComparison.Tally(d.shadow());
            shadows.shadowComparisons(model, since, tally);
            root.set("shadow_comparison", DeploymentJson.shadowSummary(d.shadow(), since, tally));
        }
        Responses.ok(ctx, root);
    }

    private void promote(Context ctx) {
        Principal who = deployer(ctx);
        String model = model(ctx);
        JsonNode body = body(ctx);
        String version = required(body, "version");
        switch (desk.promote(model, version, actor(who), text(body, "reason", false), force(body))) {
            case Promoted p -> Responses.ok(ctx, DeploymentJson.changed(p.change(), p.deployment(), p.warnings()));
            case NotReady refused -> {
                ctx.attribute(Errors.HANDLED, Boolean.TRUE);
                Responses.write(
                        ctx,
                        409,
                        "application/problem+json",
                        Json.bytes(DeploymentJson.notReady(model, version, refused)));
            }
            case Rejected r -> throw rejected(r);
        }
    }

    private void rollback(Context ctx) {
        Principal who = deployer(ctx);
        String model = model(ctx);
        String reason = text(body(ctx), "reason", false);
        changed(ctx, desk.rollback(model, actor(who), reason));
    }

    private void startCanary(Context ctx) {
        Principal who = deployer(ctx);
        String model = model(ctx);
        JsonNode body = body(ctx);
        String version = required(body, "version");
        double share = Fields.number(body, "share", 0, 1, "0.1", "deploy");
        changed(ctx, desk.startCanary(model, version, share, actor(who), force(body)));
    }

    private void stopCanary(Context ctx) {
        Principal who = deployer(ctx);
        changed(ctx, desk.stopCanary(model(ctx), actor(who)));
    }

    private void startShadow(Context ctx) {
        Principal who = deployer(ctx);
        String model = model(ctx);
        JsonNode body = body(ctx);
        String version = required(body, "version");
        changed(ctx, desk.startShadow(model, version, actor(who), force(body)));
    }

    private void stopShadow(Context ctx) {
        Principal who = deployer(ctx);
        changed(ctx, desk.stopShadow(model(ctx), actor(who)));
    }

    private void setAlias(Context ctx) {
        Principal who = deployer(ctx);
        String model = model(ctx);
        String version = required(body(ctx), "version");
        changed(ctx, desk.setAlias(model, ctx.pathParam("alias"), version, actor(who)));
    }

    private void removeAlias(Context ctx) {
        Principal who = deployer(ctx);
        changed(ctx, desk.removeAlias(model(ctx), ctx.pathParam("alias"), actor(who)));
    }

    private void readiness(Context ctx) {
        Readers.require(pipeline, ctx, "readiness");
        switch (desk.scorecard(model(ctx), ctx.queryParam("version"))) {
            case Scored s -> Responses.ok(ctx, DeploymentJson.scorecard(s.scorecard()));
            case UnknownModel m -> throw modelNotFound(m.model());
            case UnknownVersion v ->
                throw new Stop(
                                "deploy",
                                404,
                                "invalid_request_error",
                                "version_not_found",
                                "Model " + v.model() + " has no version '" + Stop.echo(v.version())
                                        + "'; its versions are " + v.declared() + ".",
                                "version")
                        .toException();
        }
    }

    private void waive(Context ctx) {
        Principal who = AdminRequests.installation(
                pipeline, ctx, installationTenant, Role.Permission.WAIVE_CHECKS, "waive readiness checks");
        String model = model(ctx);
        JsonNode body = body(ctx);
        String check = required(body, "check");
        String justification = required(body, "justification");
        String version = text(body, "version", false);
        Instant until = instant(body, "until");
        switch (desk.waive(model, version, check, justification, until, actor(who))) {
            case Waived w -> Responses.ok(ctx, DeploymentJson.scorecard(w.scorecard()));
            case UnknownModel m -> throw modelNotFound(m.model());
            case UnknownVersion v -> throw rejected(v);
            case DeploymentDesk.BadExpiry b ->
                throw Stop.invalid("deploy", "until", b.message()).toException();
            case UnknownCheck c ->
                throw Stop.invalid("deploy", "check", Objects.requireNonNullElse(c.message(), "no such check"))
                        .toException();
            case NoJustification n ->
                throw Stop.invalid(
                                "deploy",
                                "justification",
                                "'justification' must say why, in at least " + DeploymentDesk.MIN_JUSTIFICATION
                                        + " characters")
                        .toException();
        }
    }

    private void changed(Context ctx, DeploymentDesk.Change result) {
        switch (result) {
            case Changed c -> Responses.ok(ctx, DeploymentJson.changed(c.change(), c.deployment(), c.warnings()));
            case Rejected r -> throw rejected(r);
        }
    }

    /** A refusal: 404 for an unknown model, 400 for bad input, 409 when the deployment's state does not allow it. */
    private static Stop.Stopped rejected(Rejected r) {
        return switch (r) {
            case UnknownModel m -> modelNotFound(m.model());
            case UnknownVersion v ->
                Stop.invalid("deploy", "version", v.message()).toException();
            case Invalid i ->
                Stop.invalid("deploy", null, Objects.requireNonNullElse(i.message(), "invalid request"))
                        .toException();
            case Unservable u ->
                new Stop("deploy", 409, "invalid_request_error", "version_not_served", u.message(), "version")
                        .toException();
            case Conflict c ->
                new Stop(
                                "deploy",
                                409,
                                "invalid_request_error",
                                "conflict",
                                Objects.requireNonNullElse(c.message(), "the deployment does not allow it"),
                                null)
                        .toException();
        };
    }

    private String model(Context ctx) {
        String model = ctx.pathParam("model");
        if (catalog.find(model).isEmpty()) {
            throw modelNotFound(model);
        }
        return model;
    }

    private static Stop.Stopped modelNotFound(String model) {
        return new Stop(
                        "deploy",
                        404,
                        "invalid_request_error",
                        "model_not_found",
                        "The model '" + Stop.echo(model) + "' does not exist.",
                        "model")
                .toException();
    }

    private Principal deployer(Context ctx) {
        // models are shared by every tenant: only the installation's own operators move them
        return AdminRequests.installation(
                pipeline, ctx, installationTenant, Role.Permission.DEPLOY, "change deployments");
    }

    private JsonNode body(Context ctx) {
        return AdminRequests.object(json, ctx, "deploy");
    }

    private static String required(JsonNode body, String field) {
        return AdminRequests.required(body, field, "deploy");
    }

    private static @Nullable String text(JsonNode body, String field, boolean required) {
        return AdminRequests.text(body, field, required, "deploy");
    }

    /**
     * {@code "force": true} with a {@code "justification"}: deploy a version some live node cannot serve anyway
     * (audited); null when not forced.
     */
    private static DeploymentDesk.@Nullable Force force(JsonNode body) {
        JsonNode force = body.get("force");
        if (force == null || force.isNull() || (force.isBoolean() && !force.booleanValue())) {
            return null;
        }
        if (!force.isBoolean()) {
            throw Stop.invalid("deploy", "force", "'force' must be true or false; got " + force)
                    .toException();
        }
        return new DeploymentDesk.Force(text(body, "justification", false));
    }

    private Instant since(Context ctx) {
        String since = ctx.queryParam("since");
        if (since == null) {
            return clock.instant().minus(Duration.ofDays(1));
        }
        try {
            return Instant.parse(since);
        } catch (DateTimeParseException e) {
            throw Stop.invalid("read", "since", "'since' must be an instant like 2026-11-30T00:00:00Z")
                    .toException();
        }
    }

    /** An optional instant field ("2027-01-31T00:00:00Z"), or null when absent. */
    private static @Nullable Instant instant(JsonNode body, String field) {
        String value = text(body, field, false);
        if (value == null) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw Stop.invalid(
                            "deploy",
                            field,
                            "'" + field + "' must be an instant such as 2027-01-31T00:00:00Z, not '" + value + "'")
                    .toException();
        }
    }

    private static String actor(Principal who) {
        return "key:" + who.keyId();
    }
}
