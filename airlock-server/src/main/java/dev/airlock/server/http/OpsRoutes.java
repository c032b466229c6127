package dev.airlock.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.airlock.decision.Stop;
import dev.airlock.server.metrics.NodeMetrics;
import dev.airlock.server.runtime.NodeHealth;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Liveness, readiness, Prometheus metrics (OpenMetrics when the scraper asks for it) and the OpenAPI document. None of them needs an API key; metrics need the
 * scrape token when {@code server.metrics_token} is set (they carry model, provider and budget names and spend).
 */
final class OpsRoutes {
    private final PrometheusMeterRegistry prometheus;
    private final BooleanSupplier storeReady;
    private final Supplier<NodeHealth> health;
    private final Errors errors;
    private final String openApiYaml;
    private final String openApiJson;
    private final byte @Nullable [] metricsToken;

    OpsRoutes(
            PrometheusMeterRegistry prometheus,
            BooleanSupplier storeReady,
            Supplier<NodeHealth> health,
            Errors errors,
            ObjectMapper json,
            @Nullable String metricsToken) {
        this.prometheus = prometheus;
        this.metricsToken =
                metricsToken == null || metricsToken.isBlank() ? null : metricsToken.getBytes(StandardCharsets.UTF_8);
        this.storeReady = storeReady;
        this.health = health;
        this.errors = errors;
        this.openApiYaml = resource("/openapi.yaml");
        try {
            JsonNode tree = new YAMLMapper().readTree(openApiYaml);
            this.openApiJson = json.writerWithDefaultPrettyPrinter().writeValueAsString(tree);
        } catch (IOException e) {
            throw new UncheckedIOException("the bundled OpenAPI document is invalid", e);
        }
    }

    void register(Javalin app) {
        app.get("/healthz", ctx -> ctx.json(HealthJson.of(health.get())));
        app.get("/readyz", this::ready);
        app.get("/metrics", this::metrics);
        app.get("/openapi.json", ctx -> ctx.contentType("application/json").result(openApiJson));
        app.get("/openapi.yaml", ctx -> ctx.contentType("application/yaml").result(openApiYaml));
    }

    private void metrics(Context ctx) {
        if (metricsToken != null) {
            String presented = Credentials.of(ctx);
            boolean ok = presented != null
                    && MessageDigest.isEqual(metricsToken, presented.getBytes(StandardCharsets.UTF_8));
            if (!ok) {
                errors.write(
                        ctx,
                        new Stop(
                                "authenticate",
                                401,
                                "invalid_request_error",
                                "invalid_metrics_token",
                                "Metrics need the scrape token (server.metrics_token) as Authorization: Bearer.",
                                null));
                return;
            }
        }
        NodeMetrics.Scrape scrape = NodeMetrics.scrape(prometheus, ctx.header("Accept"));
        ctx.contentType(scrape.contentType()).result(scrape.body());
    }

    private void ready(Context ctx) {
        if (storeReady.getAsBoolean()) {
            ctx.json(Map.of("status", "ready"));
        } else {
            errors.write(
                    ctx,
                    new Stop(
                            "ready",
                            503,
                            "api_error",
                            "store_unavailable",
                            "The store cannot be reached; Decisions cannot be recorded, so no calls are accepted.",
                            null));
        }
    }

    private static String resource(String name) {
        try (InputStream in = OpsRoutes.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is missing from the server jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
