package dev.airlock.server.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.airlock.alert.Alerts;
import dev.airlock.audit.AuditChain;
import dev.airlock.auth.KeyStore;
import dev.airlock.cost.Budgets;
import dev.airlock.cost.SpendSource;
import dev.airlock.decision.DecisionLog;
import dev.airlock.decision.Stop;
import dev.airlock.deploy.DeploymentDesk;
import dev.airlock.incident.Incidents;
import dev.airlock.monitor.DriftWatch;
import dev.airlock.monitor.Profiles;
import dev.airlock.monitor.outcome.Outcomes;
import dev.airlock.pipeline.Pipeline;
import dev.airlock.pipeline.ShadowComparison;
import dev.airlock.registry.ModelCatalog;
import dev.airlock.registry.PromptTemplate;
import dev.airlock.response.ResponseStore;
import dev.airlock.retrieval.DocumentStore;
import dev.airlock.review.ReviewDesk;
import dev.airlock.server.json.Json;
import dev.airlock.server.retrain.RetrainJobs;
import dev.airlock.server.runtime.NodeHealth;
import dev.airlock.server.runtime.Tracing;
import dev.airlock.time.Sleeper;
import dev.airlock.workflow.Workflows;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.json.JavalinJackson;
import io.javalin.validation.ValidationException;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.security.PublicKey;
import java.time.Clock;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Airlock's HTTP server: Javalin on Jetty, one virtual thread per request. */
public final class HttpApi {
    /** The slowest a request body may arrive, averaged from its first byte. */
    static final long MIN_BODY_BYTES_PER_SECOND = 1024;

    private static final Logger LOG = LoggerFactory.getLogger(HttpApi.class);

    private HttpApi() {}

    /** The store's ports the routes read and write; each route gets only those it uses. */
    public record Ports(
            DecisionLog decisions,
            AuditChain audit,
            SpendSource spend,
            KeyStore keys,
            ShadowComparison.Log shadows,
            DocumentStore documents,
            ResponseStore responses) {}

    /**
     * Builds the server, not yet started.
     *
     * @param maxBodyBytes the largest request body accepted; larger ones get 413
     * @param storeReady whether the store answers, for {@code /readyz}
     * @param trustedKeys the checkpoint keys of the signing key file: inclusion and consistency proofs are served only
     *     against checkpoints they signed
     */
    public static Javalin create(
            Pipeline pipeline,
            ModelCatalog catalog,
            Ports ports,
            Budgets budgets,
            PrometheusMeterRegistry prometheus,
            BooleanSupplier storeReady,
            long maxBodyBytes,
            @Nullable String metricsToken,
            DeploymentDesk deployments,
            Clock clock,
            PromptTemplate.Catalog prompts,
            ReviewDesk reviews,
            String installationTenant,
            Supplier<Map<String, PublicKey>> trustedKeys,
            Profiles profiles,
            Tracing tracing,
            Alerts alerts,
            Outcomes outcomes,
            Incidents incidents,
            Supplier<NodeHealth> health,
            RetrainJobs retraining,
            Workflows workflows) {
        ObjectMapper json = Json.mapper();
        Errors errors = new Errors(json);
        EdgeErrors jettyErrors = new EdgeErrors(errors);
        Javalin app = Javalin.create(config -> {
            config.useVirtualThreads = true;
            config.showJavalinBanner = false;
            config.startupWatcherEnabled = false;
            config.http.maxRequestSize = maxBodyBytes;
            config.http.prefer405over404 = true;
            config.http.disableCompression();
            config.jsonMapper(new JavalinJackson(json, true));
            config.jetty.modifyServer(jettyErrors::install);
            // dispatch on the headers: a declared length over the limit is refused at once, not when content arrives
            config.jetty.modifyHttpConfiguration(http -> {
                http.setDelayDispatchUntilContent(false);
                // a body trickled slower than this holds a connection for nothing: 408 (any real client sends faster)
                http.setMinRequestDataRate(MIN_BODY_BYTES_PER_SECOND);
            });
            config.jetty.modifyServletContextHandler(context -> context.setErrorHandler(new EdgeErrors(errors)));
            config.events(events -> events.serverStarting(jettyErrors::listenOnConnectors));
        });
        // first: every response gets a request id, and (tracing on) the request's server span is current from here on
        app.before(RequestIds::fresh);
        tracing.tracer().ifPresent(tracer -> HttpTraces.install(app, tracer, tracing.openTelemetry()));
        BodyLimit bodies = new BodyLimit(maxBodyBytes);
        // before any route: the request's text is storable, and its body is read once, within the limit
        app.before(ctx -> {
            EdgeChecks.check(ctx);
            bodies.readInto(ctx);
        });
        OpenAiRoutes openAi = new OpenAiRoutes(pipeline, catalog, json, errors, reviews);
        openAi.register(app);
        new ResponseRoutes(openAi, pipeline, ports.responses(), catalog, clock, json).register(app);
        new CompletionRoutes(openAi, pipeline, json).register(app);
        new DecisionRoutes(pipeline, ports.decisions(), ports.audit(), json, trustedKeys).register(app);
        new SpendRoutes(pipeline, ports.spend(), ports.keys(), budgets, json).register(app);
        new DeploymentRoutes(pipeline, deployments, catalog, ports.shadows(), clock, json, installationTenant)
                .register(app);
        new PromptRoutes(pipeline, prompts, json).register(app);
        new DocumentRoutes(pipeline, ports.documents(), ports.audit(), clock, json).register(app);
        new ReviewRoutes(pipeline, reviews, json).register(app);
        new ProfileRoutes(pipeline, profiles, json, installationTenant).register(app);
        new AlertRoutes(pipeline, alerts, json, installationTenant).register(app);
        new IncidentRoutes(pipeline, incidents, json, installationTenant).register(app);
        new OutcomeRoutes(pipeline, outcomes, catalog, json, installationTenant).register(app);
        new DriftRoutes(pipeline, new DriftWatch(profiles), installationTenant).register(app);
        new RetrainRoutes(pipeline, retraining.retraining(), retraining.background(), catalog, json, installationTenant)
                .register(app);
        new WorkflowRoutes(pipeline, workflows, json, Sleeper.system()).register(app);
        new OpsRoutes(prometheus, storeReady, health, errors, json, metricsToken).register(app);
        app.exception(Stop.Stopped.class, (e, ctx) -> errors.write(ctx, e.stop()));
        app.exception(HttpResponseException.class, (e, ctx) -> errors.write(ctx, routingStop(ctx, e.getStatus())));
        app.exception(ValidationException.class, (e, ctx) -> errors.write(ctx, validationStop(e)));
        app.exception(Responses.CallerGone.class, (e, ctx) -> {
            ctx.attribute(Errors.HANDLED, Boolean.TRUE);
            LOG.debug("the caller of {} {} left before the answer was written", ctx.method(), ctx.path());
        });
        app.exception(Exception.class, (e, ctx) -> {
            LOG.error("unhandled error on {} {}", ctx.method(), ctx.path(), e);
            errors.write(ctx, Errors.stop(500, "internal_error", "Airlock failed to handle the request."));
        });
        // statuses set without a body of ours (by Javalin or Jetty, or a java.lang.Error such as OutOfMemoryError,
        // for which Javalin sets 500) still answer in Airlock's format
        for (int status : new int[] {400, 404, 405, 408, 413, 414, 415, 431, 500, 501, 503}) {
            app.error(status, ctx -> unlessWritten(ctx, errors, routingStop(ctx, status)));
        }
        return app;
    }

    /** Errors Javalin raises before any of our handlers runs: no such route, wrong method, body too large. */
    private static Stop routingStop(Context ctx, int status) {
        return switch (status) {
            case 404 ->
                Errors.stop(
                        404,
                        "route_not_found",
                        "There is no route " + ctx.method() + " " + ctx.path() + "; see /openapi.json.");
            case 405 ->
                Errors.stop(
                        405,
                        "method_not_allowed",
                        "The route " + ctx.path() + " does not accept " + ctx.method() + "; see /openapi.json.");
            case 413 -> Errors.stop(413, "request_too_large", "The request body is too large (server.max_body_bytes).");
            case 500 -> Errors.stop(500, "internal_error", "Airlock failed to handle the request.");
            default -> Errors.stop(status, "http_" + status, Errors.titleOf(status));
        };
    }

    /** A Javalin validator's refusal, named like ours: the parameter and what was wrong with it. */
    private static Stop validationStop(ValidationException e) {
        var first = e.getErrors().entrySet().stream().findFirst();
        String param = first.map(Map.Entry::getKey).orElse(null);
        String why = first.flatMap(f -> f.getValue().stream().findFirst())
                .map(error -> error.getMessage())
                .orElse("invalid");
        return Stop.invalid("read", param, "'" + param + "' is not valid: " + why);
    }

    private static void unlessWritten(Context ctx, Errors errors, Stop stop) {
        if (ctx.attribute(Errors.HANDLED) == null) {
            errors.write(ctx, stop);
        }
    }
}
