package dev.airlock.server.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.airlock.cost.Budgets;
import dev.airlock.decision.Stop;
import dev.airlock.pipeline.Pipeline;
import dev.airlock.registry.ModelCatalog;
import dev.airlock.store.Store;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.json.JavalinJackson;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Airlock's HTTP server: Javalin on Jetty, one virtual thread per request. */
public final class HttpApi {
    private static final Logger LOG = LoggerFactory.getLogger(HttpApi.class);

    private HttpApi() {}

    /**
     * Builds the server, not yet started.
     *
     * @param maxBodyBytes the largest request body accepted; larger ones get 413
     * @param storeReady whether the store answers, for {@code /readyz}
     */
    public static Javalin create(
            Pipeline pipeline,
            ModelCatalog catalog,
            Store decisions,
            Budgets budgets,
            PrometheusMeterRegistry prometheus,
            BooleanSupplier storeReady,
            long maxBodyBytes,
            String metricsToken,
            dev.airlock.deploy.Deployments deployments,
            java.util.function.BiFunction<String, String, dev.airlock.readiness.Readiness.Scorecard> gate,
            java.time.Clock clock,
            dev.airlock.registry.PromptTemplate.Catalog prompts,
            dev.airlock.server.ReviewDesk reviews,
            String installationTenant) {
        ObjectMapper json = Json.mapper();
        Errors errors = new Errors(json);
        Javalin app = Javalin.create(config -> {
            config.useVirtualThreads = true;
            config.showJavalinBanner = false;
            config.startupWatcherEnabled = false;
            config.http.maxRequestSize = maxBodyBytes;
            config.http.prefer405over404 = true;
            config.http.disableCompression();
            config.jsonMapper(new JavalinJackson(json, true));
        });
        new OpenAiRoutes(pipeline, catalog, json, errors, new BodyLimit(maxBodyBytes), reviews).register(app);
        new DecisionRoutes(pipeline, decisions, json).register(app);
        new SpendRoutes(pipeline, decisions, budgets, json).register(app);
        new DeploymentRoutes(pipeline, deployments, catalog, decisions, gate, clock, json, installationTenant)
                .register(app);
        new PromptRoutes(pipeline, prompts, json).register(app);
        new DocumentRoutes(pipeline, decisions, clock, json).register(app);
        new ReviewRoutes(pipeline, reviews, decisions, json).register(app);
        new OpsRoutes(prometheus, storeReady, errors, json, metricsToken).register(app);
        app.exception(Stop.Stopped.class, (e, ctx) -> errors.write(ctx, e.stop()));
        app.exception(HttpResponseException.class, (e, ctx) -> errors.write(ctx, routingStop(ctx, e.getStatus())));
        app.exception(Json.CallerGone.class, (e, ctx) -> {
            ctx.attribute(Errors.HANDLED, Boolean.TRUE);
            LOG.debug("the caller of {} {} left before the answer was written", ctx.method(), ctx.path());
        });
        app.exception(Exception.class, (e, ctx) -> {
            LOG.error("unhandled error on {} {}", ctx.method(), ctx.path(), e);
            errors.write(ctx, Errors.stop(500, "internal_error", "Airlock failed to handle the request."));
        });
        app.error(404, ctx -> unlessWritten(ctx, errors, routingStop(ctx, 404)));
        app.error(405, ctx -> unlessWritten(ctx, errors, routingStop(ctx, 405)));
        return app;
    }

    /** The body a caller would get for an answer: what a review holds and releases. */
    public static String answerBody(dev.airlock.pipeline.DecisionDraft draft, dev.airlock.provider.AiAnswer answer) {
        return OpenAiRoutes.answerBody(draft, answer);
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
            default -> Errors.stop(status, "http_" + status, Errors.titleOf(status));
        };
    }

    private static void unlessWritten(Context ctx, Errors errors, Stop stop) {
        if (ctx.attribute(Errors.HANDLED) == null) {
            errors.write(ctx, stop);
        }
    }
}
