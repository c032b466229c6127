package dev.airlock.server.http;

import dev.airlock.decision.Role;
import dev.airlock.decision.Stop;
import dev.airlock.monitor.DriftWatch;
import dev.airlock.monitor.drift.DriftOptions;
import dev.airlock.pipeline.Pipeline;
import dev.airlock.server.config.Durations;
import dev.airlock.server.json.DriftJson;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Drift of a model version's recent traffic from its reference profile. Errors are problem+json.
 *
 * <ul>
 *   <li>{@code GET /v1/admin/drift/{model}?version=&since=24h&format=json|html|text}: the drift report of the
 *       windows that started within {@code since} before now and the current one, merged, against the reference
 *       (auditor, operator or admin keys of the installation's tenant: it aggregates every tenant's traffic)
 * </ul>
 */
final class DriftRoutes {
    static final String PREFIX = "/v1/admin/drift";
    private static final String STAGE = "drift";

    private final Pipeline pipeline;
    private final DriftWatch watch;
    private final String installationTenant;

    DriftRoutes(Pipeline pipeline, DriftWatch watch, String installationTenant) {
        this.pipeline = pipeline;
        this.watch = watch;
        this.installationTenant = installationTenant;
    }

    void register(Javalin app) {
        app.get(PREFIX + "/{model}", this::report);
    }

    private void report(Context ctx) {
        // a report merges every tenant's traffic of the model: the installation's to read (docs/api.md, Who reads what)
        AdminRequests.installation(
                pipeline, ctx, installationTenant, Role.Permission.READ_DECISIONS, "read drift reports");
        String model = ctx.pathParam("model");
        Duration since = since(ctx.queryParam("since"));
        String format = format(ctx.queryParam("format"));
        switch (watch.check(model, ctx.queryParam("version"), since, DriftOptions.defaults())) {
            case DriftWatch.Report r -> {
                switch (format) {
                    case "html" ->
                        Responses.write(
                                ctx,
                                200,
                                "text/html; charset=utf-8",
                                r.report().html("Drift of " + r.model() + "@" + r.version()));
                    case "text" ->
                        Responses.write(
                                ctx,
                                200,
                                "text/plain; charset=utf-8",
                                r.report().text());
                    default -> Responses.ok(ctx, DriftJson.report(r));
                }
            }
            case DriftWatch.NoReference n ->
                throw notFound(
                        "reference_not_found",
                        "Model " + n.model() + " version " + n.version() + " has no reference profile to compare"
                                + " with; put one with PUT " + ProfileRoutes.PREFIX + "/" + n.model() + "/versions/"
                                + n.version() + "/reference and a CSV body, or declare"
                                + " models." + n.model() + ".monitoring.reference.",
                        null);
            case DriftWatch.NoTraffic n ->
                throw notFound(
                        "no_traffic",
                        "Model " + n.model() + " version " + n.version() + " had no calls from " + n.from() + " to "
                                + n.to() + "; nothing to compare (widen since).",
                        "since");
            case DriftWatch.UnknownModel m ->
                throw notFound("model_not_found", "There is no model " + m.model() + ".", null);
            case DriftWatch.UnknownVersion v ->
                throw notFound(
                        "version_not_found",
                        "Model " + v.model() + " has no version '" + Stop.echo(v.version()) + "'; its versions are "
                                + v.declared() + ".",
                        "version");
        }
    }

    private static Duration since(String text) {
        if (text == null || text.isBlank()) {
            return DriftWatch.DEFAULT_SINCE;
        }
        try {
            return Durations.parseLookBack(text);
        } catch (IllegalArgumentException e) {
            throw Stop.invalid(STAGE, "since", "since: " + e.getMessage() + " (how far back; default: 24h)")
                    .toException();
        }
    }

    private static String format(String text) {
        String f = text == null || text.isBlank() ? "json" : text.toLowerCase(Locale.ROOT);
        if (!List.of("json", "html", "text").contains(f)) {
            throw Stop.invalid(STAGE, "format", "format: '" + text + "' is not one of json, html, text")
                    .toException();
        }
        return f;
    }

    private static Stop.Stopped notFound(String code, String message, @Nullable String param) {
        return new Stop(STAGE, 404, "invalid_request_error", code, message, param).toException();
    }
}
