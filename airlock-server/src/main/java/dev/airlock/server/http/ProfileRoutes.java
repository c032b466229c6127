package dev.airlock.server.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.airlock.decision.Principal;
import dev.airlock.decision.Role;
import dev.airlock.decision.Stop;
import dev.airlock.monitor.Profiles;
import dev.airlock.pipeline.Pipeline;
import dev.airlock.server.config.Durations;
import dev.airlock.server.json.ProfileJson;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * Profiles of model versions' inputs and outputs, and their reference profiles. Errors are problem+json.
 *
 * <ul>
 *   <li>{@code GET /v1/admin/profiles/{model}?version=&window=1h}: the profile of each version (or the one asked
 *       for) over the windows that started within {@code window} before now and the current one
 *   <li>{@code GET /v1/admin/profiles/{model}/versions/{version}/reference}
 *   <li>reads: auditor, operator or admin keys of the installation's tenant (a profile merges every tenant's traffic)
 *   <li>{@code PUT /v1/admin/profiles/{model}/versions/{version}/reference} with CSV data (a header row) as the body:
 *       admin keys of the installation's tenant; audited as {@code profile.reference_put}
 * </ul>
 */
final class ProfileRoutes {
    static final String PREFIX = "/v1/admin/profiles";
    private static final String STAGE = "profiles";

    private final Pipeline pipeline;
    private final Profiles profiles;
    private final ObjectMapper json;
    private final String installationTenant;

    ProfileRoutes(Pipeline pipeline, Profiles profiles, ObjectMapper json, String installationTenant) {
        this.pipeline = pipeline;
        this.profiles = profiles;
        this.json = json;
        this.installationTenant = installationTenant;
    }

    void register(Javalin app) {
        app.get(PREFIX + "/{model}", this::show);
        app.get(PREFIX + "/{model}/versions/{version}/reference", this::reference);
        app.put(PREFIX + "/{model}/versions/{version}/reference", this::putReference);
    }

    private void show(Context ctx) {
        AdminRequests.installation(pipeline, ctx, installationTenant, Role.Permission.READ_DECISIONS, "read profiles");
        String model = ctx.pathParam("model");
        Duration window = window(ctx.queryParam("window"));
        switch (profiles.read(model, ctx.queryParam("version"), window)) {
            case Profiles.Found found -> {
                ObjectNode root = json.createObjectNode().put("object", "list");
                ArrayNode data = root.putArray("data");
                found.profiles().forEach(p -> data.add(ProfileJson.profile(p)));
                Responses.ok(ctx, root);
            }
            case Profiles.UnknownModel m -> throw modelNotFound(m.model());
            case Profiles.UnknownVersion v -> throw versionNotFound(v.model(), v.version(), v.declared());
        }
    }

    private void reference(Context ctx) {
        AdminRequests.installation(pipeline, ctx, installationTenant, Role.Permission.READ_DECISIONS, "read profiles");
        String model = ctx.pathParam("model");
        String version = ctx.pathParam("version");
        var found = profiles.reference(model, version)
                .orElseThrow(() -> new Stop(
                                STAGE,
                                404,
                                "invalid_request_error",
                                "reference_not_found",
                                "Model " + model + " version " + version + " has no reference profile; put one with"
                                        + " PUT " + PREFIX + "/" + model + "/versions/" + version
                                        + "/reference and a CSV body.",
                                null)
                        .toException());
        Responses.ok(ctx, ProfileJson.profile(found));
    }

    private void putReference(Context ctx) {
        Principal who = AdminRequests.require(
                pipeline,
                ctx,
                p -> p.role() == Role.ADMIN && p.tenant().equals(installationTenant),
                "put reference profiles",
                "an admin key of the installation's tenant ('" + installationTenant + "')");
        String model = ctx.pathParam("model");
        String version = ctx.pathParam("version");
        String csv = new String(BodyLimit.bytes(ctx), StandardCharsets.UTF_8);
        if (csv.isBlank()) {
            throw Stop.invalid(STAGE, "body", "the body is empty; expected CSV data with a header row")
                    .toException();
        }
        switch (profiles.putReference(model, version, new StringReader(csv), "key:" + who.keyId())) {
            case Profiles.Stored s -> {
                ObjectNode root = ProfileJson.profile(s.reference());
                root.put("rows", s.rows());
                if (s.label() != null) {
                    root.put("label_column", s.label());
                }
                root.set("ignored_columns", json.valueToTree(s.ignored()));
                Responses.ok(ctx, root);
            }
            case Profiles.Invalid i ->
                throw Stop.invalid(STAGE, "body", i.message()).toException();
            case Profiles.UnknownModel m -> throw modelNotFound(m.model());
            case Profiles.UnknownVersion v -> throw versionNotFound(v.model(), v.version(), v.declared());
        }
    }

    private static Duration window(String text) {
        if (text == null || text.isBlank()) {
            return Duration.ZERO;
        }
        try {
            return Durations.parseLookBack(text);
        } catch (IllegalArgumentException e) {
            throw Stop.invalid(
                            STAGE,
                            "window",
                            "window: " + e.getMessage() + " (how far back; default: the current window)")
                    .toException();
        }
    }

    private static Stop.Stopped modelNotFound(String model) {
        return new Stop(
                        STAGE,
                        404,
                        "invalid_request_error",
                        "model_not_found",
                        "There is no model " + Stop.echo(model) + ".",
                        "model")
                .toException();
    }

    private static Stop.Stopped versionNotFound(String model, String version, List<String> declared) {
        return new Stop(
                        STAGE,
                        404,
                        "invalid_request_error",
                        "version_not_found",
                        "Model " + model + " has no version '" + version + "'; its versions are " + declared + ".",
                        "version")
                .toException();
    }
}
